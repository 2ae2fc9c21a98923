"""An adapter's bug is never the framework's finding, whatever operation it is in:
outside adapters (a package outside this repository, loaded as
``package.module:Class``) that wrap the shipped MXNet adapter with one deliberate
bug each -- the bugs a PyTorch Geometric adapter written from the docs alone made
-- run in a subprocess on the real MXNet 1.9.1. Every check whose outcome differs
from the correct adapter's ends ``blocked`` ("fix the adapter"), at least one
does, and none is charged to the framework (``diverges``, ``unsupported``,
``n/a`` or ``error``).

The layer freeze that reaches one parameter only freezes the bias here: MXNet
1.9.1 itself leaves a Dense bias's gradient unwritten (zero) when the weight's
``grad_req`` is ``"null"``, so a freeze of the weight alone cannot be told from a
layer freeze on MXNet (on torch it can: the bias trains).

MXNet lives in its own tox env: ``tox -e meta`` runs this with
``LAZYINIT_FRAMEWORK_PYTHON`` naming that env's interpreter (tox.ini); without it
(a bare ``pytest meta_tests``) the test is skipped."""
from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PYTHON = os.environ.get("LAZYINIT_FRAMEWORK_PYTHON")

ADAPTERS = '''
import numpy as np

from adapters.interface import Unsupported
from adapters.mxnet_gluon import MXNetAdapter


class Correct(MXNetAdapter):
    name, family = "outside-mx", "mxnet"


class DeepcopyReturnsOriginal(Correct):
    def copy(self, state, how):
        return state if how == "deepcopy" else super().copy(state, how)


class LayerFreezeOneParameter(Correct):
    def freeze(self, state, target, way="layer"):
        if way != "layer":
            return super().freeze(state, target, way)
        self._param(state, f"{target}.bias").grad_req = "null"
        return state


class LoadIgnoresFile(Correct):
    def load(self, state, path):
        return state


class ClassifiesEverythingOther(Correct):
    def classify_error(self, exc):
        return "other"


class OutputShapeOfAFixedBatch(Correct):
    def output_shape(self, state, input_shape):
        return super().output_shape(state, (2, *input_shape[1:]))


class CountWithoutBiases(Correct):
    def count_params(self, state):
        return int(sum(np.prod(self.param_shape(state, p)) for p in self.param_ids(state)
                       if p.endswith(".weight")))


class ParamShapeUnmapped(Correct):
    def param_shape(self, state, pid):
        raise Unsupported("param_shape", "not mapped yet")
'''

DRIVER = '''
import json, sys, warnings
warnings.simplefilter("ignore")
from adapters import load
from conformance.session import Session
from spec.catalogue import load_catalogue

out = {}
for name in sys.argv[1:]:
    s = Session(load("brokenpkg.adapters:" + name), load_catalogue(), name,
                left_out={"compile-before-init": "compile"})
    results = {f"{b.id}/{c.id}": s.result(b.id, c.id)["outcome"] for b in s.catalogue
               for c in b.checks_for("mxnet") if not c.quote and b.id not in s.left_out}
    out[name] = {"results": results,
                 "faults": sorted(n for n, r in s.selftests.items() if r["outcome"] == "fault")}
print("JSON" + json.dumps(out))
'''

BUGS = {
    "DeepcopyReturnsOriginal": "copy-deepcopy",
    "LayerFreezeOneParameter": "freeze-layer",
    "LoadIgnoresFile": "save-load",
    "ClassifiesEverythingOther": "error-kinds",
    "OutputShapeOfAFixedBatch": "output-shape",
    "CountWithoutBiases": "count-params",
    "ParamShapeUnmapped": "observations",
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    if not PYTHON:
        pytest.skip("LAZYINIT_FRAMEWORK_PYTHON (an interpreter with MXNet 1.9.1) not set: "
                    "run tox -e meta")
    assert Path(PYTHON).exists(), f"LAZYINIT_FRAMEWORK_PYTHON={PYTHON} does not exist"
    root = tmp_path_factory.mktemp("outside")
    (root / "brokenpkg").mkdir()
    (root / "brokenpkg" / "__init__.py").write_text("")
    (root / "brokenpkg" / "adapters.py").write_text(textwrap.dedent(ADAPTERS))
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{root}", "PYTHONHASHSEED": "0",
           "MXNET_ENGINE_TYPE": "NaiveEngine", "OMP_NUM_THREADS": "1"}
    env.pop("LAZYINIT_FRAMEWORK", None)
    proc = subprocess.run([PYTHON, "-c", DRIVER, "Correct", *BUGS], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("JSON")), None)
    assert line, proc.stdout[-2000:] + proc.stderr[-3000:]
    return json.loads(line[4:])


def test_the_correct_outside_adapter_has_no_fault(runs):
    assert runs["Correct"]["faults"] == []
    assert "blocked" not in runs["Correct"]["results"].values()


@pytest.mark.parametrize("bug", list(BUGS))
def test_a_bug_blocks_its_checks_and_charges_none_to_mxnet(runs, bug):
    base, broken = runs["Correct"], runs[bug]
    assert BUGS[bug] in broken["faults"]
    changed = {c: (base["results"][c], o) for c, o in broken["results"].items()
               if o != base["results"][c]}
    charged = {c: v for c, v in changed.items() if v[1] != "blocked"}
    assert charged == {}, f"{bug}: checks charged to MXNet instead of blocked"
    assert changed, f"{bug}: no check went through the broken operation"
