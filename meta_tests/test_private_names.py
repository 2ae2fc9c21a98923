"""Adapters use public APIs: a framework's private name (a module path with a
``_``-part or Keras's ``keras.src``) is reached only through ``adapters.interface.
private``, lazily, so importing an adapter never needs one, and a release that lacks
one ends the adapter's operation as the adapter's error naming it -- in the suite's
process and in a shard child alike -- never as a finding about the framework."""
from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

from adapters.interface import PrivateNameMissing, private
from adapters.shard_process import child_main, raise_result
from adapters.bugs import is_harness_bug

REPO = Path(__file__).resolve().parents[1]
ADAPTER_FILES = sorted(p for p in (REPO / "adapters").glob("*.py"))


def is_private(module: str) -> bool:
    parts = module.split(".")
    return any(p.startswith("_") and p != "__future__" for p in parts) or \
        ".".join(parts[:2]) == "keras.src"


def private_imports(path: Path) -> list:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module else
                 [a.name for a in node.names] if isinstance(node, ast.Import) else [])
        out += [f"{path.name}:{node.lineno} imports {n}" for n in names if is_private(n)]
    return out


def test_no_adapter_imports_a_private_module():
    found = [line for p in ADAPTER_FILES for line in private_imports(p)]
    assert not found, ("reach a framework's private name through adapters.interface.private"
                       f"(module, name), not an import: {found}")


def test_private_names_are_spelled_as_private():
    """What ``private(...)`` is asked for really is private (else: import it)."""
    asked = []
    for path in ADAPTER_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "private":
                asked.append((path.name, node.args[0].value))
    assert asked, "no adapter uses private(): the scan above would prove nothing"
    assert all(is_private(module) for _, module in asked), asked


@pytest.fixture()
def framework_lacking_a_private_name(tmp_path, monkeypatch):
    """A framework package ``fakefw`` whose private module lacks ``helper``."""
    (tmp_path / "fakefw").mkdir()
    (tmp_path / "fakefw" / "__init__.py").write_text("")
    (tmp_path / "fakefw" / "_internal.py").write_text("other = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("module,name", [("fakefw._internal", "helper"),
                                         ("fakefw._gone", "helper")])
def test_a_missing_private_name_is_the_adapters_error(framework_lacking_a_private_name,
                                                     module, name):
    with pytest.raises(PrivateNameMissing, match=f"{module}.{name}") as info:
        private(module, name)
    assert is_harness_bug(info.value), "judged the framework's, not the adapter's"


def test_a_missing_private_name_in_a_shard_child_is_the_adapters_error(
        framework_lacking_a_private_name, tmp_path):
    request, out = tmp_path / "request.pkl", tmp_path / "out.pkl"
    request.write_bytes(pickle.dumps({}))
    child_main([str(request), str(out)], lambda _: private("fakefw._internal", "helper"))
    result = pickle.loads(out.read_bytes())
    assert "bug" in result, result
    with pytest.raises(PrivateNameMissing) as info:
        raise_result(result)
    assert is_harness_bug(info.value)
