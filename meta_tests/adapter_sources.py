"""The adapter classes of ``adapters/*.py`` read from their source (``ast``), without
importing their frameworks (the meta env has numpy only): which classes derive from
``Adapter``, their operations' signatures and the attributes they set."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_KIND = inspect.Parameter


def adapter_classes() -> list:
    """``[(path, ClassDef)]`` of every class in ``adapters/`` deriving, directly or
    through another of them, from ``Adapter``."""
    found = [(p, n) for p in sorted((REPO / "adapters").glob("*.py"))
             for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
             if isinstance(n, ast.ClassDef)]
    adapters, grown = {"Adapter"}, True
    while grown:
        before = len(adapters)
        adapters |= {n.name for _, n in found if {_base(b) for b in n.bases} & adapters}
        grown = len(adapters) > before
    return [(p, n) for p, n in found if n.name != "Adapter" and n.name in adapters]


def _base(node) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def methods(cls: ast.ClassDef) -> dict:
    """``{name: FunctionDef}`` of the methods ``cls`` defines."""
    return {f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)}


def attributes(cls: ast.ClassDef) -> set:
    """The names ``cls`` binds in its body (``family = ...``, ``name, family = ...``)."""
    out = set()
    for node in cls.body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign) else []
        for t in targets:
            out |= {n.id for n in ast.walk(t) if isinstance(n, ast.Name)}
    return out


def signature(f: ast.FunctionDef) -> inspect.Signature:
    """The signature ``def f(...)`` gives (defaults as literals; annotations left out)."""
    a = f.args
    positional = a.posonlyargs + a.args
    defaults = [_KIND.empty] * (len(positional) - len(a.defaults)) + \
        [ast.literal_eval(d) for d in a.defaults]
    params = [_KIND(p.arg, _KIND.POSITIONAL_ONLY if i < len(a.posonlyargs)
                    else _KIND.POSITIONAL_OR_KEYWORD, default=d)
              for i, (p, d) in enumerate(zip(positional, defaults))]
    if a.vararg:
        params.append(_KIND(a.vararg.arg, _KIND.VAR_POSITIONAL))
    params += [_KIND(p.arg, _KIND.KEYWORD_ONLY,
                     default=_KIND.empty if d is None else ast.literal_eval(d))
               for p, d in zip(a.kwonlyargs, a.kw_defaults)]
    if a.kwarg:
        params.append(_KIND(a.kwarg.arg, _KIND.VAR_KEYWORD))
    return inspect.Signature(params)
