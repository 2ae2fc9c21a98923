"""Every difference of the selected framework has a repro that reproduces it.

A repro (``repro`` of a difference: a path relative to its differences file) is
plain framework code that imports nothing from this repository (checked), runs on
its own when pasted, and prints ``OBSERVED <behaviour/check> <json>`` for the checks
its difference explains. Each printed observation must equal what the suite
observed for that check in this run (numbers within the difference's relative
``tolerance`` when it has one): a repro cannot drift from its finding. Repros run in
this already warm interpreter (``runpy``, fresh globals, a temp working dir) with
``LAZYINIT_SEED`` set to the suite's seed (``runner.SEED``).
"""
from __future__ import annotations

import ast
import json
import runpy
import warnings

import pytest


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


def test_repro_reproduces(difference, lazyinit, capsys, tmp_path, monkeypatch):
    if difference is None:
        pytest.skip(f"no differences listed for {lazyinit.fw.name}")
    left = sorted({c.split("/")[0] for c in difference.explains} & set(lazyinit.left_out))
    if left:
        pytest.skip(f"{difference.id}: explains {', '.join(left)}, left out by its marker")
    repro = difference.repro
    assert repro.is_file(), f"{difference.id}: repro {repro} is missing"
    own = imported_roots(repro.read_text(encoding="utf-8")) & OWN_PACKAGES
    assert not own, f"{repro.name} imports this repository's {sorted(own)}: not standalone"
    from conformance.runner import SEED
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(SEED_VARIABLE, str(SEED))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runpy.run_path(str(repro), run_name="__main__")
    printed = observed_lines(capsys.readouterr().out)
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
