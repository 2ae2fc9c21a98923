"""The project's layering: the adapter contract and adapters/ under spec/
(the catalogue names the contract's operations and capabilities), under
conformance/, under reports/ and bench/ -- no import reaches upward, and no two modules import each
other, directly or round a longer circle (imports inside functions count too)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: a package may import only those at its level or below it
LAYERS = {"adapters": 0, "spec": 1, "conformance": 2, "reports": 3, "bench": 4}


def imports() -> dict:
    """``{module: {project modules it imports}}`` over the layered packages."""
    out = {}
    for package in LAYERS:
        for path in (REPO / package).rglob("*.py"):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts)
            name = name.removesuffix(".__init__")
            found = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module)
                elif isinstance(node, ast.Import):
                    found |= {a.name for a in node.names}
            out[name] = {m for m in found if m.split(".")[0] in LAYERS}
    return out


def _owner(module: str, known) -> str:
    while module not in known and "." in module:
        module = module.rsplit(".", 1)[0]
    return module


def test_no_import_reaches_upward():
    upward = [f"{m} imports {d}" for m, deps in imports().items() for d in deps
              if LAYERS[d.split(".")[0]] > LAYERS[m.split(".")[0]]]
    assert not upward, upward


def test_no_import_circle():
    graph = imports()
    edges = {m: {_owner(d, graph) for d in deps} - {m} for m, deps in graph.items()}
    circles, done = [], set()

    def visit(node, path):
        for dep in sorted(edges.get(node, ())):
            if dep in path:
                circles.append(path[path.index(dep):] + [dep])
            elif dep not in done:
                visit(dep, path + [dep])
        done.add(node)

    for module in sorted(edges):
        if module not in done:
            visit(module, [module])
    assert not circles, [" -> ".join(c) for c in circles]


def test_no_issue_numbers_in_code():
    """The code cites the spec id or the design doc, not the tracker's issue numbers."""
    found = [f"{p.relative_to(REPO)}:{n}" for d in (*LAYERS, "meta_tests")
             for p in (REPO / d).rglob("*.py") if "repros" not in p.parts
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\b[Ii]ssues? \d+", line)]
    assert not found, found
