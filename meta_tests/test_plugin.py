"""The pytest plugin end to end, on the reference adapter, in a subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_suite(*args, env_extra=None, paths=("conformance",)):
    env = {k: v for k, v in os.environ.items()
           if k not in ("LAZYINIT_FRAMEWORK", "LAZYINIT_COMPILE")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "pytest", *paths, "-p", "no:randomly",
                           *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_reference_run_writes_complete_results(tmp_path):
    out = tmp_path / "reference.json"
    proc = run_suite("--framework", "reference", "--results", str(out))
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "lazyinit: framework=reference" in proc.stdout  # header names the selection
    assert "total" in proc.stdout and "conforms" in proc.stdout  # summary table
    data = json.loads(out.read_text())
    assert data["complete"] and data["schema"] == 2 and data["env"] == "reference"
    assert {r["outcome"] for r in data["results"]} == {"conforms"}
    # the behaviour behind the compile marker is left out, and says how to run it
    assert data["left_out"] == {"compile-before-init": "compile"}
    assert not [r for r in data["results"] if r["behaviour"] == "compile-before-init"]
    assert "left out compile-before-init (marker compile; --compile or" in proc.stdout


def test_compile_marker_runs_with_its_option(tmp_path):
    out = tmp_path / "reference.json"
    proc = run_suite("--framework", "reference", "--results", str(out), "-m", "compile",
                     env_extra={"LAZYINIT_COMPILE": "1"})
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    data = json.loads(out.read_text())
    assert "left_out" not in data
    assert {r["behaviour"] for r in data["results"]} == {"compile-before-init"}
    assert len(data["results"]) == 4 and {r["outcome"] for r in data["results"]} == {"conforms"}


def test_exit_fast_keeps_the_exit_code_and_the_files(tmp_path):
    out, junit = tmp_path / "reference.json", tmp_path / "junit.xml"
    proc = run_suite("--framework", "reference", "--results", str(out), "--exit-fast",
                     f"--junitxml={junit}", "-k", "unknown_dims",
                     "--expectations", str(tmp_path / "none.toml"))
    assert proc.returncode == 0 and json.loads(out.read_text())["results"]
    assert "testsuite" in junit.read_text() and "unknown-dims" in proc.stdout
    failing = tmp_path / "failing.toml"
    failing.write_text('[[expect]]\ncheck = "unknown-dims/weight-shapes"\noutcome = "diverges"\n'
                       'reason = "made up, to fail the run"\n')
    proc = run_suite("--framework", "reference", "--exit-fast", "-k", "unknown_dims",
                     "--expectations", str(failing))
    assert proc.returncode == 1, proc.stdout[-2000:]


def test_selection_by_environment_variable(tmp_path):
    proc = run_suite("-k", "unknown_dims", env_extra={"LAZYINIT_FRAMEWORK": "reference"})
    assert proc.returncode == 0 and "selected by LAZYINIT_FRAMEWORK=reference" in proc.stdout


def test_unknown_framework_is_one_clear_line():
    proc = run_suite("--framework", "caffe")
    assert proc.returncode == 4
    assert "ERROR: unknown framework 'caffe'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_no_framework_selected():
    proc = run_suite()
    assert proc.returncode == 4 and "no framework selected" in proc.stderr
