"""The floor: what the framework itself costs for the work a run asks of it.

* the bare import time of the framework: fresh interpreters timed around each test
  phase (``bare_import``, the median of three: ``bench.phases.import_and_run``; the
  pair with the median ratio is reported, so the floor and the phase see the same
  state of the machine), pytest's start-up (``pytest --version``) and the adapter's
  load (a fresh interpreter loading the adapter: the framework modules it imports
  beyond the bare import, e.g. optax, flax.nnx; part of the run's fixed cost);
* the framework's own work in a run, measured inside it (same process, same warm
  state, same calls): the wall time inside the adapter's operations (results
  ``framework_seconds`` per behaviour, ``selftest_framework_seconds`` per adapter
  self-test, ``setup_framework_seconds``; ``conformance.uses.Clock``) + the repros
  (plain framework scripts that ``test_repros.py`` runs in one fresh interpreter of
  their own, its framework import included; their test times from the JUnit XML).

floor = the framework's import + that work. The import is the one the test phase
itself paid (results ``import_seconds``), scaled to a whole bare import by the share
of it pytest and the suite had already paid (``bench.preloaded``): one process, so
the ratio does not swing with the machine's speed between processes. The budget is
the test phase <= FLOOR_TARGET x that floor. Alongside: the *fresh* floor (the median
bare import in fresh interpreters around the phase + the same work) and its ratio,
and the old ratio (test phase / bare import, the earlier budget of 2x;
``bench.budgets``)."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from bench.budgets import FLOOR_TARGET, verdict
from bench.envs import ENV, ENVS, REPO, interpreter, timed
from bench.preloaded import VARIABLE, self_times, share


def framework_seconds(data: dict, junit: Path) -> dict:
    """The framework's own work in one run, from its results file and JUnit XML:
    inside the adapter's operations (behaviours, self-tests, set-up) and the repros
    (plain framework scripts ``test_repros.py`` runs in one fresh interpreter)."""
    repros = 0.0
    if junit.is_file():
        for case in ET.parse(junit).iter("testcase"):
            if case.get("classname", "").endswith("test_repros"):
                repros += float(case.get("time") or 0)
    parts = {"behaviours_s": sum(data.get("framework_seconds", {}).values()),
             "selftests_s": sum(data.get("selftest_framework_seconds", {}).values()),
             "setup_s": data.get("setup_framework_seconds", 0.0), "repros_s": repros}
    return {k: round(v, 3) for k, v in parts.items()}


def bare_import(env: str) -> float:
    """Seconds of one fresh interpreter of ``env`` importing its framework."""
    python, extra = interpreter(env)
    return timed([str(python), "-c", ENVS[env][1]], env=extra)[0]


def start_up(env: str, repeat: int) -> dict:
    """Seconds of ``env``'s fresh interpreters, each the median of ``repeat``: the
    bare import, pytest's start-up and the adapter's load."""
    python, extra = interpreter(env)

    def median(*cmd, **more) -> float:
        return statistics.median(timed([str(python), *cmd], env={**extra, **more})[0]
                                 for _ in range(repeat))
    return {"import_s": median("-c", ENVS[env][1]),
            "pytest_start_s": median("-m", "pytest", "--version"),
            "adapter_load_s": median("-c", f"from adapters import load; load({env!r})",
                                     LAZYINIT_FRAMEWORK=env)}


def preloaded_share(env: str) -> float:
    """The share of ``env``'s bare import that a test phase has paid before its adapter
    loads (``bench.preloaded``): a collect-only run records the modules loaded by
    then, a fresh ``-X importtime`` bare import gives each module's own time."""
    python, extra = interpreter(env)
    with tempfile.TemporaryDirectory() as tmp:
        modules = Path(tmp) / "modules.json"
        subprocess.run([str(python), "-m", "pytest", "-p", "bench.preloaded", "conformance",
                        "--co", "-q", "-p", "no:cacheprovider", "--framework", env], cwd=REPO,
                       env={**os.environ, **ENV, **extra, VARIABLE: str(modules),
                            "LAZYINIT_FRAMEWORK": env}, capture_output=True, check=True)
        bare = subprocess.run([str(python), "-X", "importtime", "-c", ENVS[env][1]], cwd=REPO,
                              env={**os.environ, **ENV, **extra}, capture_output=True,
                              text=True, check=True)
        return share(self_times(bare.stderr), set(json.loads(modules.read_text())))


def run_floor(data: dict, fw: float, preloaded: float) -> float:
    """The floor of one test phase (module doc): its own import, scaled to a whole
    bare import, + the framework's work ``fw``."""
    return data["import_seconds"] / (1 - preloaded) + fw


def floor_columns(start: dict, run, preloaded: float) -> dict:
    """An env's floor columns: its start-up costs (``start_up``), the import the run
    paid (``preloaded``: ``preloaded_share``) and the framework's work
    (``framework_seconds``) in the test phase ``run`` (``bench.phases.Run``)."""
    imp, fw, wall = start["import_s"], round(sum(run.work.values()), 3), run.wall
    floor, fresh = run_floor(run.data, fw, preloaded), imp + fw
    return {"import_s": round(imp, 3), "pytest_start_s": round(start["pytest_start_s"], 3),
            "import_in_run_s": run.data["import_seconds"],
            "preloaded_share": round(preloaded, 3), "framework_s": fw,
            "framework_parts": run.work, "floor_s": round(floor, 3),
            "floor_ratio": round(wall / floor, 2),
            "floor_verdict": verdict(wall / floor, FLOOR_TARGET),
            "fresh_floor_s": round(fresh, 3), "fresh_floor_ratio": round(wall / fresh, 2),
            "adapter_load_s": round(start["adapter_load_s"], 3),
            "adapter_extra_s": round(start["adapter_load_s"] - imp, 3),
            "ratio": round(wall / imp, 2)}


def floors_and_starts(rows: list) -> float:
    """The sum of the envs' floors and pytest start-ups: what a warm tox over them
    cannot go below."""
    return sum(r["floor_s"] + r["pytest_start_s"] for r in rows)
