"""Every difference of the selected framework has a repro that reproduces it.

A repro (``repro`` of a difference: a path relative to its differences file) is
plain framework code that runs on its own when pasted, and prints ``OBSERVED
<behaviour/check> <json>`` for the checks its difference explains. Each printed
observation must equal what the suite observed for that check in this run (numbers
within the difference's relative ``tolerance`` when it has one): a repro cannot
drift from its finding. The repros run in a *fresh* interpreter that cannot import
this repository or the adapter (``python -I``, a temp working dir: neither is on
its path), all of this run's in one, each with ``runpy`` as ``__main__`` and
``LAZYINIT_SEED`` set to the suite's seed; a repro that imports the suite fails
there (and is refused before, by its imports).
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest

from conformance.seed import SEED


OWN_PACKAGES = {"adapters", "conformance", "spec", "reports", "meta_tests"}
PREFIX = "OBSERVED "
SEED_VARIABLE = "LAZYINIT_SEED"


def _differences(config) -> list:
    """The differences that apply to the system this run tests."""
    from conformance.conftest import SESSION
    s = config.stash.get(SESSION, None)
    return s.differences.items if s else []


def pytest_generate_tests(metafunc):
    if "difference" in metafunc.fixturenames:
        items = _differences(metafunc.config)
        metafunc.parametrize("difference", items or [None],
                             ids=[d.id.split("/", 1)[1] for d in items] or ["none"])


def imported_roots(source: str) -> set:
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def observed_lines(text: str) -> dict:
    """``{"behaviour/check": value}`` from the repro's ``OBSERVED`` lines."""
    out = {}
    for line in text.splitlines():
        if line.startswith(PREFIX):
            where, _, value = line[len(PREFIX):].partition(" ")
            out[where] = json.loads(value)
    return out


def close(printed, observed, tolerance: float = 0.0) -> bool:
    """``printed == observed``; with ``tolerance``, numbers (also inside lists and
    dicts) within that relative tolerance; bools and strings exactly."""
    if isinstance(printed, bool) or isinstance(observed, bool):
        return printed is observed
    if tolerance and isinstance(printed, (int, float)) and isinstance(observed, (int, float)):
        return abs(printed - observed) <= tolerance * max(abs(printed), abs(observed))
    if isinstance(printed, list) and isinstance(observed, list):
        return len(printed) == len(observed) and all(
            close(a, b, tolerance) for a, b in zip(printed, observed))
    if isinstance(printed, dict) and isinstance(observed, dict):
        return printed.keys() == observed.keys() and all(
            close(printed[k], observed[k], tolerance) for k in printed)
    return printed == observed


#: runs each repro given as a JSON list of paths, capturing its output apart
DRIVER = """
import contextlib, io, json, runpy, sys, traceback, warnings
out = {}
for path in json.loads(sys.argv[1]):
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            runpy.run_path(path, run_name="__main__")
        out[path] = {"stdout": buf.getvalue()}
    except BaseException as exc:
        out[path] = {"stdout": buf.getvalue(),
                     "error": "".join(traceback.format_exception(exc)[-3:])}
sys.__stdout__.write("REPROS" + json.dumps(out) + chr(10))
"""


def run_isolated(paths, workdir) -> dict:
    """``{path: {"stdout", "error"?}}``: the repros run in one fresh interpreter that
    cannot import this repository (``-I``; ``workdir`` as its working dir)."""
    if not paths:
        return {}
    env = {**os.environ, SEED_VARIABLE: str(SEED)}
    proc = subprocess.run([sys.executable, "-I", "-c", DRIVER, json.dumps(paths)],
                          cwd=workdir, env=env, capture_output=True, text=True, timeout=600)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("REPROS")), None)
    if line is None:
        return {p: {"stdout": "", "error": f"the repro interpreter died (exit "
                    f"{proc.returncode}): {proc.stderr[-1500:]}"} for p in paths}
    return json.loads(line[len("REPROS"):])


def _applies(difference, left_out) -> bool:
    return not ({c.split("/")[0] for c in difference.explains} & set(left_out))


@pytest.fixture(scope="session")
def repro_runs(request, lazyinit, tmp_path_factory) -> dict:
    paths = sorted({str(d.repro) for d in _differences(request.config)
                    if _applies(d, lazyinit.left_out) and d.repro.is_file()})
    return run_isolated(paths, tmp_path_factory.mktemp("repros"))


def test_repro_reproduces(difference, lazyinit, repro_runs):
    if difference is None:
        pytest.skip(f"no differences listed for {lazyinit.fw.name}")
    left = sorted({c.split("/")[0] for c in difference.explains} & set(lazyinit.left_out))
    if left:
        pytest.skip(f"{difference.id}: explains {', '.join(left)}, left out by its marker")
    repro = difference.repro
    assert repro.is_file(), f"{difference.id}: repro {repro} is missing"
    own = imported_roots(repro.read_text(encoding="utf-8")) & OWN_PACKAGES
    assert not own, f"{repro.name} imports this repository's {sorted(own)}: not standalone"
    ran = repro_runs[str(repro)]
    assert "error" not in ran, (f"{repro.name} failed in a fresh interpreter without this "
                                f"repository on its path:\n{ran['error']}")
    printed = observed_lines(ran["stdout"])
    assert printed, f"{repro.name} printed no '{PREFIX}<behaviour/check> <json>' line"
    stray = sorted(set(printed) - set(difference.explains))
    assert not stray, f"{repro.name} prints checks its difference does not explain: {stray}"
    for where, value in printed.items():
        behaviour, check = where.split("/")
        r = lazyinit.result(behaviour, check)
        within = f" (relative tolerance {difference.tolerance})" if difference.tolerance else ""
        assert close(value, r["observed"], difference.tolerance), (
            f"{repro.name}: {where} prints {value!r}, the suite observed "
            f"{r['observed']!r}{within}")
