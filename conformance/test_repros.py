"""The selected env's repro snippets (``conformance/repros/<env>/*.py``) run.

Each snippet is plain framework code that imports nothing from this repository
(checked), so it runs on its own when pasted. Here each runs in this already
warm interpreter (``runpy``, fresh globals, a temp working dir): a fresh
interpreter per snippet would cost one framework import each (see bench/).
"""
from __future__ import annotations

import ast
import runpy
import warnings
from pathlib import Path

import pytest

REPROS = Path(__file__).resolve().parent / "repros"
OWN_PACKAGES = {"adapters", "conformance", "spec", "reports", "meta_tests"}


def _env(config) -> str:
    return config.getoption("env_name") or config.getoption("framework") or ""


def pytest_generate_tests(metafunc):
    if "repro" in metafunc.fixturenames:
        files = sorted((REPROS / _env(metafunc.config)).glob("*.py"))
        metafunc.parametrize("repro", files or [None], ids=[f.stem for f in files] or ["none"])


def imported_roots(source: str) -> set:
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_repro_runs(repro, lazyinit, capsys, tmp_path, monkeypatch):
    if repro is None:
        pytest.skip(f"no repros for env {lazyinit.env!r} in {REPROS}")
    own = imported_roots(repro.read_text(encoding="utf-8")) & OWN_PACKAGES
    assert not own, f"{repro.name} imports this repository's {sorted(own)}: not standalone"
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runpy.run_path(str(repro), run_name="__main__")
    assert capsys.readouterr().out.strip(), f"{repro.name} printed nothing"
