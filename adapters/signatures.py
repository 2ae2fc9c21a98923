"""One declaration per operation: the contract's own method (``Adapter.<op>`` in
``adapters/interface.py``), its signature included.

An adapter's operation takes exactly the declared parameters: the same names, kinds
and defaults, in order, and no others (annotations aside). The harness passes only
what the declaration names, some by keyword (``freeze(way=)``, ``build(input_shape=)``),
so a renamed or missing parameter breaks a call, and an extra one would hide a rename;
an optional argument added to the contract is added to every adapter that maps the
operation. ``adapters.check_contract`` refuses an adapter whose operation differs
(:func:`mismatches`); a harness wrapper (the vacuity perturbations) defines its
operations with :func:`wrapper_operation`, so it takes and forwards what the
declaration names without restating it.
"""
from __future__ import annotations

import functools
import inspect

from adapters.interface import OPERATIONS, Adapter

#: operation -> its declared signature (``self`` first)
DECLARED = {op: inspect.signature(getattr(Adapter, op)) for op in OPERATIONS}


def shown(op: str, signature: inspect.Signature) -> str:
    """``op(self, a, b=1)``: a signature as written, annotations left out."""
    return op + str(signature.replace(
        parameters=[p.replace(annotation=p.empty) for p in signature.parameters.values()],
        return_annotation=inspect.Signature.empty))


def difference(op: str, found: inspect.Signature) -> str:
    """What parameter of ``found`` first differs from ``op``'s declaration ("" where
    none does): missing, renamed, of another kind or default, or extra."""
    want, have = list(DECLARED[op].parameters.values()), list(found.parameters.values())
    for i, p in enumerate(want):
        if i >= len(have):
            return f"parameter {p.name!r} is missing"
        q = have[i]
        if q.name != p.name:
            return f"parameter {i + 1} is {q.name!r}, declared {p.name!r}"
        if q.kind != p.kind:
            return f"{q.name!r} is {q.kind.description}, declared {p.kind.description}"
        if q.default is not p.default and q.default != p.default:
            return f"{q.name!r} has {_default(q)}, declared {_default(p)}"
    extra = [q.name for q in have[len(want):]]
    return f"extra parameter(s) {', '.join(map(repr, extra))}" if extra else ""


def mismatches(cls, ops=OPERATIONS) -> list:
    """One sentence per operation of ``ops`` that ``cls`` defines (anything but the
    contract's own) with another signature than the declaration."""
    out = []
    for op in ops:
        method = getattr(cls, op, None)
        if method is None or method is getattr(Adapter, op) or not callable(method):
            continue
        try:
            found = inspect.signature(method)
        except (TypeError, ValueError) as exc:
            out.append(f"operation {op}: its signature cannot be read ({exc}); define it as "
                       f"a method with the declared parameters (adapters/interface.py "
                       f"Adapter.{op})")
            continue
        why = difference(op, found)
        if why:
            out.append(f"operation {shown(op, found)}: {why}; expected "
                       f"{shown(op, DECLARED[op])} (adapters/interface.py Adapter.{op}): "
                       "write its parameters as declared")
    return out


def _default(p: inspect.Parameter) -> str:
    return "no default" if p.default is p.empty else f"default {p.default!r}"


class Arguments:
    """The arguments of one call of an operation by parameter name, the declaration's
    defaults applied: ``args["target"]``; ``args.to(op, target=1)`` calls the wrapped
    adapter's ``op`` with them (some replaced), positionally as the harness does."""

    def __init__(self, op: str, args: tuple, kwargs: dict):
        self._signature = DECLARED[op]
        try:
            bound = self._signature.bind(None, *args, **kwargs)
        except TypeError as exc:   # the caller's bug, raised here (not by inspect's code)
            raise TypeError(f"{op}(): {exc}") from None
        bound.apply_defaults()
        self._values = dict(bound.arguments)

    def __getitem__(self, name: str):
        return self._values[name]

    def to(self, operation, **changed):
        bound = self._signature.bind(**{**self._values, **changed})
        return operation(*bound.args[1:], **bound.kwargs)


def wrapper_operation(method):
    """A wrapper's operation named for a contract operation, written as
    ``method(self, args)`` (:class:`Arguments`): it takes, and shows to
    ``inspect.signature``, exactly the declaration."""
    op = method.__name__

    @functools.wraps(method)
    def operation(self, *args, **kwargs):
        return method(self, Arguments(op, args, kwargs))
    del operation.__wrapped__
    operation.__signature__ = DECLARED[op]
    return operation
