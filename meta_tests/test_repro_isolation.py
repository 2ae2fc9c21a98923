"""Repros stand alone: ``conformance/test_repros.py`` runs them in a fresh
interpreter that cannot import this repository (``python -I``, a temp working dir),
so a repro that leans on the suite or the adapter fails there; and no repro, in
this repository, imports one of its packages."""
from __future__ import annotations

import json
from pathlib import Path

from conformance.test_repros import OWN_PACKAGES, imported_roots, observed_lines, run_isolated

REPO = Path(__file__).resolve().parents[1]


def test_a_plain_repro_runs_and_one_leaning_on_the_suite_fails(tmp_path):
    plain = tmp_path / "plain.py"
    plain.write_text("import json, os, sys\nprint('OBSERVED b/c', os.environ['LAZYINIT_SEED'])\n"
                     "print('# path', json.dumps(sys.path))\n")
    leaning = tmp_path / "leaning.py"
    leaning.write_text("import importlib\nmod = 'adap' + 'ters.interface'\n"
                       "importlib.import_module(mod)\nprint('OBSERVED b/c 1')\n")
    ran = run_isolated([str(plain), str(leaning)], tmp_path)
    assert "error" not in ran[str(plain)]
    assert list(observed_lines(ran[str(plain)]["stdout"])) == ["b/c"]
    path = json.loads(ran[str(plain)]["stdout"].split("# path ", 1)[1])
    assert str(REPO) not in path and "" not in path and str(tmp_path) not in path
    assert "ModuleNotFoundError: No module named 'adapters'" in ran[str(leaning)]["error"]


def test_no_shipped_repro_imports_the_suite():
    repros = sorted((REPO / "conformance" / "repros").rglob("*.py"))
    assert repros
    leaning = {p.name: sorted(imported_roots(p.read_text(encoding="utf-8")) & OWN_PACKAGES)
               for p in repros}
    assert {k: v for k, v in leaning.items() if v} == {}
