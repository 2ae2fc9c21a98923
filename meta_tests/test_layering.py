"""The project's layering: the adapter contract and adapters/ under spec/
(the catalogue names the contract's operations and capabilities), under
conformance/, under reports/ and bench/ -- no import reaches upward, and no two modules import each
other, directly or round a longer circle. Imports inside functions count, and so do
modules loaded by ``importlib`` (a package that discovers its submodules imports every
one of them; the registry's ``importlib.import_module(name)`` imports every adapter it
names). Inside conformance/ the same rule holds between its own layers (``INNER``)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from adapters import MODULES

REPO = Path(__file__).resolve().parents[1]
#: a package may import only those at its level or below it
LAYERS = {"adapters": 0, "spec": 1, "conformance": 2, "reports": 3, "bench": 4}
#: conformance/'s own layers (the longest matching prefix decides): a module imports only
#: its own layer or lower ones. Seed, clock and recorder at the bottom; the procedures
#: (scenarios, self-tests, properties' parts) on them; the runner that discovers them;
#: the session and tools that drive the runner; pytest's conftest; the tests on top.
INNER = {"conformance": 0, "conformance.seed": 0, "conformance.uses": 0,
         "conformance.recorder": 0, "conformance.results_file": 0,
         "conformance.differences": 0, "conformance.expectations": 0,
         "conformance.expectations.verdict": 1, "conformance.expectations.update": 1,
         "conformance.scenarios.common": 1, "conformance.selftests.registry": 1,
         "conformance.scenarios": 2, "conformance.selftests": 2,
         "conformance.properties": 2, "conformance.repros": 2,
         "conformance.scenarios.__init__": 3, "conformance.runner": 3,
         "conformance.properties.search": 3,
         "conformance.selftest": 4, "conformance.vacuity": 4, "conformance.session": 4,
         "conformance.supervise": 4, "conformance.expectations.__main__": 4,
         "conformance.conftest": 5, "conformance.test_": 6}
#: a call ``importlib.import_module(<a name, not a literal>)`` in these modules loads the
#: modules listed (anywhere else such a call must be declared here)
DYNAMIC = {"adapters": set(MODULES.values()),
           "adapters.interface": set(),   # ``private``: framework modules only
           "adapters.shard_child": {"adapters.torch_sharded", "adapters.flax_sharded",
                                    "adapters.keras_sharded", "adapters.haiku_modules"}}


def _module_name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def _submodules(package: str, root: Path) -> set:
    folder = root.joinpath(*package.split("."))
    return {f"{package}.{p.stem}" for p in folder.glob("*.py") if p.stem != "__init__"} | {
        f"{package}.{p.name}" for p in folder.iterdir() if (p / "__init__.py").is_file()}


def _dynamic(node, name: str, is_package: bool, root: Path) -> set:
    """The project modules one ``importlib.import_module(...)`` call loads."""
    arg = node.args[0] if node.args else None
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return {arg.value}
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(
            arg.values[0], ast.FormattedValue) and getattr(arg.values[0].value, "id", "") \
            == "__name__":
        return _submodules(name if is_package else name.rsplit(".", 1)[0], root)
    if name not in DYNAMIC:
        raise AssertionError(f"{name}: importlib.import_module of a computed name; declare "
                             f"what it loads in DYNAMIC ({__file__})")
    return DYNAMIC[name]


def _is_import_module(node) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module"


def imports(root: Path = REPO, packages=LAYERS) -> dict:
    """``{module: {project modules it imports}}`` over the layered packages of ``root``."""
    out = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            name = _module_name(path, root)
            found = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module)
                    found |= {f"{node.module}.{a.name}" for a in node.names
                              if (root / node.module.replace(".", "/") / a.name).exists()
                              or (root / node.module.replace(".", "/") /
                                  f"{a.name}.py").exists()}
                elif isinstance(node, ast.Import):
                    found |= {a.name for a in node.names}
                elif _is_import_module(node):
                    found |= _dynamic(node, name, path.name == "__init__.py", root)
            out[name] = {m for m in found if m.split(".")[0] in packages}
    return out


def _owner(module: str, known) -> str:
    while module not in known and "." in module:
        module = module.rsplit(".", 1)[0]
    return module


def test_no_import_reaches_upward():
    upward = [f"{m} imports {d}" for m, deps in imports().items() for d in deps
              if LAYERS[d.split(".")[0]] > LAYERS[m.split(".")[0]]]
    assert not upward, upward


def _inner(module: str, is_package: bool = False) -> int:
    key = f"{module}.__init__" if is_package and f"{module}.__init__" in INNER else module
    prefixes = [p for p in INNER if key == p or key.startswith(p + ".")
                or (p.endswith("_") and key.startswith(p))]
    assert prefixes, f"{module} has no layer in INNER ({__file__}): give it one"
    return INNER[max(prefixes, key=len)]


def test_no_import_reaches_upward_inside_conformance():
    graph = imports()
    packages = {m for m in graph if (REPO.joinpath(*m.split(".")) / "__init__.py").is_file()}
    upward = [f"{m} imports {d}" for m, deps in graph.items() if m.startswith("conformance")
              for d in deps if d.startswith("conformance.") and d != m
              and _inner(d, d in packages) > _inner(m, m in packages)]
    assert not upward, upward


def circles(graph: dict) -> list:
    """Every import circle of ``graph`` as a list of modules, first == last."""
    edges = {m: {_owner(d, graph) for d in deps} - {m} for m, deps in graph.items()}
    found, done = [], set()

    def visit(node, path):
        for dep in sorted(edges.get(node, ())):
            if dep in path:
                found.append(path[path.index(dep):] + [dep])
            elif dep not in done:
                visit(dep, path + [dep])
        done.add(node)

    for module in sorted(edges):
        if module not in done:
            visit(module, [module])
    return found


def test_no_import_circle():
    assert not circles(imports()), [" -> ".join(c) for c in circles(imports())]


def test_a_circle_through_importlib_discovery_is_seen(tmp_path):
    """A scenario that imports the runner, which discovers the scenarios with importlib,
    closes a circle no plain import shows: the test must see it."""
    scen = tmp_path / "conformance" / "scenarios"
    scen.mkdir(parents=True)
    (tmp_path / "conformance" / "__init__.py").write_text("")
    (scen / "__init__.py").write_text(
        "import importlib, pkgutil\nfor i in pkgutil.iter_modules(__path__):\n"
        "    importlib.import_module(f\"{__name__}.{i.name}\")\n")
    (scen / "a.py").write_text("def run():\n    from conformance.runner import SEED\n")
    (tmp_path / "conformance" / "runner.py").write_text("import conformance.scenarios\n")
    found = circles(imports(tmp_path, ["conformance"]))
    assert ["conformance.runner", "conformance.scenarios", "conformance.scenarios.a",
            "conformance.runner"] in found, found


def test_an_upward_import_inside_conformance_is_seen():
    assert _inner("conformance.scenarios.force_reinit") > _inner("conformance.seed")
    assert _inner("conformance.runner") > _inner("conformance.scenarios.force_reinit")
    assert _inner("conformance.test_repros") > _inner("conformance.conftest")


def test_no_issue_numbers_in_code():
    """The code cites the spec id or the design doc, not the tracker's issue numbers."""
    found = [f"{p.relative_to(REPO)}:{n}" for d in (*LAYERS, "meta_tests")
             for p in (REPO / d).rglob("*.py") if "repros" not in p.parts
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\b[Ii]ssues? \d+", line)]
    assert not found, found
