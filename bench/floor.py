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

floor = bare import + that work. The budget is the test phase <= FLOOR_TARGET x the
floor; the old ratio (test phase / bare import, the earlier budget of 2x) is kept
alongside (``bench.budgets``)."""
from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from pathlib import Path

from bench.budgets import FLOOR_TARGET, verdict
from bench.envs import ENVS, interpreter, timed


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


def floor_columns(start: dict, wall: float, work: dict) -> dict:
    """An env's floor columns: its start-up costs (``start_up``) and the framework's
    work (``framework_seconds``) in the run of test phase ``wall``."""
    imp, fw = start["import_s"], round(sum(work.values()), 3)
    floor = imp + fw
    return {"import_s": round(imp, 3), "pytest_start_s": round(start["pytest_start_s"], 3),
            "framework_s": fw, "framework_parts": work, "floor_s": round(floor, 3),
            "floor_ratio": round(wall / floor, 2),
            "floor_verdict": verdict(wall / floor, FLOOR_TARGET),
            "adapter_load_s": round(start["adapter_load_s"], 3),
            "adapter_extra_s": round(start["adapter_load_s"] - imp, 3),
            "ratio": round(wall / imp, 2)}


def floors_and_starts(rows: list) -> float:
    """The sum of the envs' floors and pytest start-ups: what a warm tox over them
    cannot go below."""
    return sum(r["floor_s"] + r["pytest_start_s"] for r in rows)
