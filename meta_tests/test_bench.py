"""The numbers the bench's floor (bench/floor.py) is made of: every run records, per
behaviour and per adapter self-test, the wall time spent inside the adapter's
operations (the framework's own calls), and that time is part of the behaviour's.
The bench's own shape: short functions, its CLI's deferred table and budget lines.
Nothing here asserts how long anything takes."""
from __future__ import annotations

import ast
import configparser
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.interface import OPERATIONS
from adapters.reference import ReferenceAdapter
from bench.budgets import budget_lines
from bench.deferred import DEFERRED_HEAD, deferred_family
from bench.envs import ENV
from bench.floor import framework_seconds
from bench.preloaded import VARIABLE, self_times, share
from conformance import uses
from conformance.selftest import SELFTESTS, run_selftest
from conformance.uses import Clock, Traced

REPO = Path(__file__).resolve().parents[1]
#: a function in bench/ has fewer lines than this (its def line to its last line)
MAX_FUNCTION_LINES = 40


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
    parts = framework_seconds(data, junit)
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


def long_functions(source: str, where: str) -> list:
    """``where:function:lines`` of every function (nested ones and methods too) in
    ``source`` of ``MAX_FUNCTION_LINES`` lines or more."""
    return [f"{where}:{node.name}:{node.end_lineno - node.lineno + 1}"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 >= MAX_FUNCTION_LINES]


def test_bench_functions_are_short():
    found = [f for path in sorted((REPO / "bench").glob("*.py"))
             for f in long_functions(path.read_text(encoding="utf-8"), path.name)]
    assert not found, f"functions of {MAX_FUNCTION_LINES} lines or more: {found}"


def test_the_length_check_sees_a_long_nested_function():
    body = "".join(f"        x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES - 2))
    source = f"def short():\n    def inner():\n{body}        return 0\n    return inner\n"
    assert long_functions(source, "f.py") == [f"f.py:short:{MAX_FUNCTION_LINES + 2}",
                                             f"f.py:inner:{MAX_FUNCTION_LINES}"]


def test_budget_lines_name_the_env_over_and_the_run_that_failed():
    met = {"env": "a", "floor_verdict": "met", "floor_ratio": 1.1, "ratio": 1.5,
           "property_s": 3.0, "harness_s": 0.1, "harness_fixed_s": 0.05,
           "harness_per_test_s": 0.05, "pytest_exits": [0], "compile_exit": 0,
           "property_exit": 0}
    over = {**met, "env": "b", "floor_verdict": "over", "floor_ratio": 1.6, "ratio": 2.5,
            "property_s": 30.0, "compile_exit": 1}
    lines = budget_lines([met, over])
    assert lines[0].endswith("over in b (1.6: 0.10 s over the floor, of it 0.05 s fixed, "
                             "0.05 s per-test)")
    assert "x import: over in b (2.5)" in lines[1] and "s: over in b (30.0 s)" in lines[1]
    assert lines[2].startswith("WARNING") and "b (exit [0], compile 1" in lines[2]
    assert all("met in every env" in line for line in budget_lines([met]))


def test_deferred_only_prints_and_writes_the_family_table(tmp_path):
    """The CLI end to end without a conformance run: the family's seconds from a
    results file, the 1 B build left out."""
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--deferred-only",
                           "--no-abstract-1b", "--envs", "mxnet", "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    header = next(line for line in proc.stdout.splitlines() if line.lstrip().startswith("env"))
    assert header.split("  ")[-1] == DEFERRED_HEAD[-1] and "1B build s" in header
    (row,) = json.loads(out.read_text())["deferred"]
    assert row["env"] == "mxnet" and row["abstract_1b"] == {}
    assert row["family_ran"].endswith(f"/{len(deferred_family())}")


def test_bench_children_get_the_environment_tox_sets():
    """The bench times pytest as tox runs it: its children's environment is tox.ini's
    ``[testenv] setenv`` (less the system selector, which the bench sets per env)."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(REPO / "tox.ini", encoding="utf-8")
    setenv = dict(re.findall(r"^\s*([A-Z_]+)\s*=\s*(\S.*?)\s*$", ini["testenv"]["setenv"], re.M))
    assert "PYTEST_ADDOPTS" in setenv
    setenv.pop("LAZYINIT_FRAMEWORK")
    assert {k: ENV.get(k) for k in setenv} == setenv, "bench/envs.py ENV differs from tox.ini"


def test_the_run_times_its_own_framework_import(reference_run):
    data, _ = reference_run
    assert 0 < data["import_seconds"] < 60


def test_preloaded_share_counts_the_modules_already_loaded():
    bare = self_times("import time: self [us] | cumulative | imported package\n"
                      "import time:       300 |        300 |   typing\n"
                      "import time:       100 |        100 |     fw._core\n"
                      "import time:       600 |       1000 | fw\n")
    assert bare == {"typing": 300, "fw._core": 100, "fw": 600}
    assert share(bare, {"typing", "os"}) == 0.3
    assert share(bare, set()) == 0.0


def test_preloaded_plugin_records_the_modules_before_the_adapter_loads(tmp_path):
    out = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if k != "LAZYINIT_FRAMEWORK"}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "bench.preloaded",
                           "conformance", "--co", "-q", "-p", "no:cacheprovider",
                           "--framework", "reference"], cwd=REPO, capture_output=True,
                          text=True, env={**env, VARIABLE: str(out)}, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    modules = set(json.loads(out.read_text()))
    assert {"pytest", "conformance.conftest"} <= modules
    assert "adapters.reference" not in modules and "conformance.session" not in modules


def test_arguments_binds_as_signature_bind_does():
    """``uses.arguments`` binds by hand what ``Signature.bind`` + ``apply_defaults``
    would: the same names, order and defaults, and None for every wrong call (too many
    positional, a duplicate, an unknown or a missing argument), for every operation."""
    def bound(op, args, kwargs):
        try:
            b = uses.DECLARED[op].bind(None, *args, **kwargs)
        except TypeError:
            return None
        b.apply_defaults()
        return dict(b.arguments)

    shapes = 0
    for op, signature in uses.DECLARED.items():
        names = [*list(signature.parameters)[1:], "bogus"]
        for k in range(len(names) + 1):
            for n in range(len(names) + 1):
                for chosen in itertools.combinations(names, n):
                    args, kwargs = tuple(range(k)), {c: c for c in chosen}
                    got, want = uses.arguments(op, args, kwargs), bound(op, args, kwargs)
                    assert got == want and list(got or ()) == list(want or ()), (op, args, kwargs)
                    shapes += 1
    assert uses.PLAIN["build"] is not None and shapes > 1000
