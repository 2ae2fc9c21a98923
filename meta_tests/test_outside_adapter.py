"""Adapters that live outside this repository: selected as package.module:Class or
through the entry-point group, with expectations and results anywhere on disk; a
bug in such an adapter's own file is outcome ``error``, exactly as in-tree."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

ADAPTER = """
from adapters.interface import Unsupported, leaves
from adapters.reference import ReferenceAdapter


class ExtAdapter(ReferenceAdapter):
    name = "extref"


class IgnoresInit(ReferenceAdapter):
    name = "extref"

    def build(self, arch, input_shape=None, weight_init=None, bias_init=None):
        return super().build(arch, input_shape)  # an adapter bug: the initializers dropped


class BuggyShape(ReferenceAdapter):
    name = "extref"

    def param_shape(self, state, pid):
        return self.no_such_attribute  # an adapter bug, met inside a scenario's observe()


class NoConv(ReferenceAdapter):
    # a system without image convolutions (PyTorch Geometric) declares so
    name = "extref"
    elements = ("Dense", "Flatten", "Group", "Table")

    def build(self, arch, input_shape=None, weight_init=None, bias_init=None):
        if any(type(n).__name__ in ("Conv2D", "BatchNorm") for n in leaves(arch)):
            raise Unsupported("build/Conv2D", "no image convolution (torch_geometric.nn)")
        return super().build(arch, input_shape, weight_init, bias_init)


class BuggyAdapter(ReferenceAdapter):
    name = "extref"

    def param_dtype(self, state, pid):
        return self.no_such_attribute  # an adapter bug: AttributeError in this file
"""


def outside(tmp_path) -> Path:
    """A package ``extpkg`` in a directory outside the repository, plus an installed
    distribution's metadata registering it under the entry-point group."""
    root = tmp_path / "site"
    (root / "extpkg").mkdir(parents=True)
    (root / "extpkg" / "__init__.py").write_text("")
    (root / "extpkg" / "ext_adapter.py").write_text(textwrap.dedent(ADAPTER))
    dist = root / "extpkg-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: extpkg\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[lazyinit_conformance.adapters]\nextref = extpkg.ext_adapter:ExtAdapter\n")
    return root


def run(tmp_path, framework, *extra):
    env = {k: v for k, v in os.environ.items() if k != "LAZYINIT_FRAMEWORK"}
    env["PYTHONPATH"] = str(outside(tmp_path))
    results = tmp_path / "out" / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "conformance", "-p", "no:randomly",
         "--framework", framework, f"--results={results}",
         f"--expectations={tmp_path / 'out' / 'extref.toml'}", *extra],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    data = json.loads(results.read_text()) if results.exists() else {}
    return proc, data


def test_outside_adapter_by_module_path_runs_green(tmp_path):
    proc, data = run(tmp_path, "extpkg.ext_adapter:ExtAdapter")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-1000:]
    assert "lazyinit: adapter extpkg.ext_adapter:ExtAdapter (" in proc.stdout
    assert str(tmp_path) in proc.stdout  # the header says where it was loaded from
    assert data["complete"] and data["framework"]["adapter"] == "extpkg.ext_adapter:ExtAdapter"
    assert data["env"] == "extref"   # the adapter's name, not the selector string
    assert {r["outcome"] for r in data["results"]} == {"conforms"}


def test_outside_adapter_by_entry_point(tmp_path):
    proc, _ = run(tmp_path, "extref", "-k", "unknown_dims")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-1000:]
    assert "extpkg.ext_adapter:ExtAdapter" in proc.stdout


def test_bug_in_outside_adapter_is_error_not_a_finding(tmp_path):
    proc, data = run(tmp_path, "extpkg.ext_adapter:BuggyAdapter", "-k", "dtype")
    assert proc.returncode == 1
    dtype = {r["check"]: r for r in data["results"] if r["behaviour"] == "dtype"}
    assert dtype["weight-dtype-before-data"]["outcome"] == "error"
    assert "AttributeError" in dtype["weight-dtype-before-data"]["message"]


def test_broken_outside_adapter_is_blocked_never_a_finding(tmp_path):
    """an outside adapter that drops the initializers fails its self-tests,
    and the checks that passed initializers end ``blocked``: zero diverges or n/a
    charged to the framework, and the attribution test says to fix the adapter."""
    proc, data = run(tmp_path, "extpkg.ext_adapter:IgnoresInit")
    assert proc.returncode == 1
    charged = [r for r in data["results"] if r["outcome"] in ("diverges", "n/a")]
    assert charged == [] and any(r["outcome"] == "blocked" for r in data["results"])
    assert "adapter fault (construction-weight-init): build(weight_init=) ignored" in proc.stdout
    assert "fix the adapter" in proc.stdout and "add them to `explains`" not in proc.stdout


def test_bug_met_through_the_harness_proxy_is_still_an_error(tmp_path):
    """Scenarios reach the adapter through ``Traced``; ``observe()`` must still tell
    the outside adapter's own files (a plain bug there is ``error``)."""
    proc, data = run(tmp_path, "extpkg.ext_adapter:BuggyShape", "-k", "unknown_dims")
    assert proc.returncode == 1
    shapes = {r["check"]: r for r in data["results"] if r["behaviour"] == "unknown-dims"}
    assert shapes["weight-shapes"]["outcome"] == "error", shapes["weight-shapes"]
    assert "AttributeError" in shapes["weight-shapes"]["message"]


def test_stub_adapter_runs_without_errors(tmp_path):
    proc, data = run(tmp_path, "adapters.stub:StubAdapter", "conformance/test_behaviours.py")
    outcomes = {r["outcome"] for r in data["results"]}
    assert outcomes <= {"unsupported", "n/a", "blocked"}, outcomes  # never error
    # Unsupported from a core operation is the adapter's: blocked, "map this operation"
    blocked = [r for r in data["results"] if r["outcome"] == "blocked"]
    assert blocked and all("map this operation" in r["message"] or "adapter fault" in
                           r["message"] for r in blocked)
    assert "not mapped yet" in json.dumps(data["results"])


def test_a_system_refuses_keras_imported_under_another_backend(monkeypatch):
    """Keras reads its backend at import: asking for keras-jax in a process that
    imported Keras on TensorFlow is refused with the env to run instead."""
    import sys
    import types

    from adapters import AdapterLoadError, adapter_class
    monkeypatch.setitem(sys.modules, "keras", types.ModuleType("keras"))
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    with pytest.raises(AdapterLoadError, match=r"needs KERAS_BACKEND=jax.*tox -e keras-jax"):
        adapter_class("keras-jax")


def test_a_system_without_convolutions_passes_properties_and_is_never_charged(tmp_path):
    """Declared ``elements`` without Conv2D/BatchNorm: the checks needing them are n/a
    naming ``arch:<element>``, the properties draw MLPs only, nothing escapes."""
    proc, data = run(tmp_path, "extpkg.ext_adapter:NoConv", "--properties")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-1000:]
    lacking = [r for r in data["results"] if (r.get("cause") or {}).get("capability", "")
               .startswith("arch:")]
    assert lacking and all(r["outcome"] == "n/a" for r in lacking)
    assert {r["cause"]["capability"] for r in lacking} == {"arch:Conv2D"}
    assert {r["outcome"] for r in data["results"]} <= {"conforms", "n/a"}
    assert data["selftests"]["conv-batchnorm"]["outcome"] == "n/a"
    assert set(data["properties"]) and all(p["classes"] == {}
                                           for p in data["properties"].values())
