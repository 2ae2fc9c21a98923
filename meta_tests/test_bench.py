"""The numbers bench/run.py's floor is made of: every run records, per
behaviour and per adapter self-test, the wall time spent inside the adapter's
operations (the framework's own calls), and that time is part of the behaviour's.
Nothing here asserts how long anything takes."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.interface import OPERATIONS
from adapters.reference import ReferenceAdapter
from conformance import uses
from conformance.selftest import SELFTESTS, run_selftest
from conformance.uses import Clock, Traced

REPO = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    results, junit = out / "reference.json", out / "reference.xml"
    env = {k: v for k, v in os.environ.items()
           if k not in ("LAZYINIT_FRAMEWORK", "LAZYINIT_COMPILE")}
    proc = subprocess.run([sys.executable, "-m", "pytest", "conformance", "-p", "no:randomly",
                           "-p", "no:cacheprovider", "--framework", "reference",
                           f"--results={results}", f"--junitxml={junit}"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return json.loads(results.read_text()), junit


def test_results_carry_framework_seconds_within_the_behaviours(reference_run):
    data, _ = reference_run
    seconds, inside = data["seconds"], data["framework_seconds"]
    assert seconds and set(inside) == set(seconds)
    over = {b: (inside[b], seconds[b]) for b in seconds if not 0 <= inside[b] <= seconds[b]}
    assert not over, f"framework seconds not within the behaviour's seconds: {over}"
    assert sum(inside.values()) > 0   # the scenarios' operations were timed at all


def test_selftests_carry_framework_seconds_too(reference_run):
    data, _ = reference_run
    total, inside = data["selftest_seconds"], data["selftest_framework_seconds"]
    assert set(total) == set(inside) == {t.name for t in SELFTESTS}
    over = {n: (inside[n], total[n]) for n in total if not 0 <= inside[n] <= total[n]}
    assert not over, f"self-test framework seconds not within their seconds: {over}"
    assert data["setup_framework_seconds"] >= 0


def test_bench_floor_parts_come_from_the_results(reference_run):
    data, junit = reference_run
    parts = _bench().framework_seconds(data, junit)
    assert set(parts) == {"behaviours_s", "selftests_s", "setup_s", "repros_s"}
    assert parts["behaviours_s"] == round(sum(data["framework_seconds"].values()), 3)
    assert parts["repros_s"] >= 0   # the reference has no differences: no repro runs


def test_clock_counts_the_outermost_operation_once(monkeypatch):
    ticks = iter(range(100))
    monkeypatch.setattr(uses.time, "perf_counter", lambda: float(next(ticks)))

    class Nested(ReferenceAdapter):
        """An operation that calls another one back through the traced proxy."""
        traced = None

        def param_ids(self, state):
            return self.traced.count_params(state)

        def count_params(self, state):
            return 7

    clock, seen = Clock(), []
    fw = Nested()
    fw.traced = traced = Traced(fw, seen.append, clock)
    assert traced.param_ids(None) == 7
    assert clock.seconds == 1.0 and clock.lap() == 1.0 and clock.lap() == 0.0
    assert seen == ["param_ids", "count_params"]   # the uses are traced as before


def test_timed_selftests_observe_what_untimed_ones_do():
    """A self-test with a clock sees the adapter object itself (its class tells the
    adapter's own files apart), and the timing is removed afterwards."""
    plain, timed, clock = ReferenceAdapter(), ReferenceAdapter(), Clock()
    for t in SELFTESTS:
        assert run_selftest(timed, t, clock=clock) == run_selftest(plain, t), t.name
    assert clock.seconds > 0
    assert not set(vars(timed)) & set(OPERATIONS)
