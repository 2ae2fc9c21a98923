"""Robustness: a crash, a hang or bad input costs one cell, never the run
or the data. Faults are injected into the reference adapter
(``LAZYINIT_REFERENCE_FAULTS``, see adapters/reference.py FAULTS)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conformance.results_file import read_json
from reports import build

REPO = Path(__file__).resolve().parents[1]


def env_with(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAZYINIT_")}
    env.update(extra)
    return env


def suite_args(results, *more):
    return ["conformance", "-q", "-p", "no:cacheprovider", "--framework", "reference",
            "--env-name", "torch", "--results", str(results), "-k", "not repro",
            "--expectations", str(Path(results).parent / "none.toml"), *more]


def test_crash_hang_and_unreadable_file_each_cost_one_cell(tmp_path):
    results = tmp_path / "results"
    out = results / "torch.json"
    faults = "segfault-build-tied,hang-build-nested,native-hang-build-conv"
    proc = subprocess.run(
        # the soft limit leaves room for the reference's slowest behaviour (its 128 MiB
        # sharded weight: about 1 s), the hard one for the soft
        [sys.executable, "-m", "conformance.supervise", "--hard-timeout", "6", "--",
         *suite_args(out, "--check-timeout", "3")],
        cwd=REPO, env=env_with(LAZYINIT_REFERENCE_FAULTS=faults), capture_output=True,
        text=True, timeout=240)
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "tied-params: crash (killed by signal SIGSEGV (11))" in proc.stderr
    assert "conv-lazy: timeout (timeout: killed after 6 s (hard limit))" in proc.stderr
    data = json.loads(out.read_text())
    assert data["complete"] and data["running"] is None
    by = {}
    for r in data["results"]:
        by.setdefault(r["behaviour"], set()).add(r["outcome"])
    # the faults fire when a tied / nested / conv arch is built: in every behaviour
    # whose scenario builds one
    for tied in ("tied-params", "count-before-init", "shared-shape-conflict",
                 "tied-survives-materialisation"):
        assert by.pop(tied) == {"crash"}, tied
    assert by.pop("nested-blocks") == {"timeout"}   # soft limit, in process
    for conv in ("conv-lazy", "nondegenerate-init", "shape-without-init"):
        assert by.pop(conv) == {"timeout"}, conv    # hard limit, process killed
    assert set().union(*by.values()) == {"conforms"}  # every other cell intact

    (results / "tf.json").write_text('{"schema": 1, "env": "tf", "results": [')  # truncated
    report = build.merge(build.load_catalogue(), build.load_envs(results))
    cells = {b["id"]: b["cells"] for b in report["behaviours"]}
    assert cells["tied-params"]["torch"]["outcome"] == "crash"
    assert cells["nested-blocks"]["torch"]["outcome"] == "timeout"
    assert cells["unknown-dims"]["torch"]["outcome"] == "conforms"
    assert cells["unknown-dims"]["tf"]["outcome"] == "unreadable"
    assert cells["unknown-dims"]["mxnet"]["outcome"] == "not run"


def test_sigkill_halfway_leaves_every_finished_result_readable(tmp_path):
    out = tmp_path / "torch.json"
    proc = subprocess.Popen([sys.executable, "-m", "pytest", *suite_args(out)], cwd=REPO,
                            env=env_with(LAZYINIT_REFERENCE_FAULTS="native-hang-build-nested",
                                         LAZYINIT_CHECK_TIMEOUT="0"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        data = read_json(out) or {}
        if (data.get("running") or {}).get("behaviour") == "nested-blocks":
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists()   # the progress file holds every finished result
    data = read_json(out)
    assert data["complete"] is False
    done = {r["behaviour"] for r in data["results"]}
    assert "unknown-dims" in done and "nested-blocks" not in done
    report = build.merge(build.load_catalogue(), build.load_envs(tmp_path))
    cells = {b["id"]: b["cells"]["torch"]["outcome"] for b in report["behaviours"]}
    assert cells["unknown-dims"] == "conforms" and cells["nested-blocks"] == "not run"


SPY = """
import json, os
from conformance.results_file import read_json

def pytest_runtest_call(item):
    if item.path.name not in ("test_behaviours.py", "test_adapter_selftest.py"):
        data = read_json(os.environ["SPY_RESULTS"])
        with open(os.environ["SPY_OUT"], "a") as f:
            f.write(json.dumps([item.nodeid, data.get("running")]) + "\\n")
"""


def test_no_finished_behaviour_is_named_running_while_other_tests_run(tmp_path):
    """What runs after the behaviours (differences, properties, vacuity) is never
    counted as the last behaviour's time: the supervisor kills a behaviour named
    running past its hard limit (Session.settle)."""
    out, seen = tmp_path / "torch.json", tmp_path / "seen.jsonl"
    (tmp_path / "spy_plugin.py").write_text(SPY)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "spy_plugin", *suite_args(out)], cwd=REPO,
        env=env_with(PYTHONPATH=f"{tmp_path}{os.pathsep}{REPO}", SPY_RESULTS=str(out),
                     SPY_OUT=str(seen)), capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = [json.loads(line) for line in seen.read_text().splitlines()]
    assert any("test_differences" in node for node, _ in rows)
    assert [node for node, running in rows if running] == []


def test_system_exit_in_a_scenario_is_a_crash_cell(tmp_path):
    """(a doubly nested arch, the seeds' NESTED: the adapter self-tests build none, so
    the exit hits behaviours)"""
    out = tmp_path / "torch.json"
    proc = subprocess.run([sys.executable, "-m", "pytest", *suite_args(out)], cwd=REPO,
                          env=env_with(LAZYINIT_REFERENCE_FAULTS="exit-build-nested"),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    results = json.loads(out.read_text())["results"]
    nested = {r["outcome"] for r in results if r["behaviour"] == "nested-blocks"}
    assert nested == {"crash"}
    assert {r["outcome"] for r in results if r["behaviour"] != "nested-blocks"} == {"conforms"}


def test_malformed_spec_is_one_line_without_traceback(tmp_path):
    (tmp_path / "unknown-dims.toml").write_text('id = "unknown-dims"\ntitle = \n')
    proc = subprocess.run([sys.executable, "-m", "pytest", "conformance", "--framework",
                           "reference"], cwd=REPO, capture_output=True, text=True,
                          env=env_with(LAZYINIT_SPEC_DIR=str(tmp_path)), timeout=120)
    assert proc.returncode == 4
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("ERROR:")]
    assert len(errors) == 1 and "unknown-dims.toml: not valid TOML" in errors[0]
    assert "Traceback" not in proc.stderr + proc.stdout


def test_framework_not_installed_names_the_env():
    proc = subprocess.run([sys.executable, "-m", "pytest", "conformance", "--framework",
                           "mxnet"], cwd=REPO, capture_output=True, text=True,
                          env=env_with(), timeout=120)
    assert proc.returncode == 4
    assert "framework 'mxnet' is not installed here" in proc.stderr
    assert "tox -e mxnet" in proc.stderr and "Traceback" not in proc.stderr
