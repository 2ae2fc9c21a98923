"""Every check says what backs its expected value (``Check.basis``): a documentation
claim its quoted source; a check MXNet 1.9.1 cannot run (``semantics``) the
reference model; every other check MXNet 1.9.1 as probed -- and then the committed
mxnet results conform on it (the expected value is what MXNet does)."""
from __future__ import annotations

import json
from pathlib import Path

from spec.catalogue import BASES

REPO = Path(__file__).resolve().parents[1]


def test_every_check_has_a_basis(catalogue):
    assert {c.basis for b in catalogue for c in b.checks} <= set(BASES)
    assert all(c.basis == "source" for b in catalogue for c in b.checks if c.quote)


def test_a_check_backed_by_mxnet_conforms_in_the_mxnet_results(catalogue):
    results = json.loads((REPO / "reports" / "results" / "mxnet.json").read_text())
    outcome = {(r["behaviour"], r["check"]): r["outcome"] for r in results["results"]}
    left_out = results.get("left_out", {})
    wrong = [f"{b.id}/{c.id}: {outcome.get((b.id, c.id), 'not run')}"
             for b in catalogue for c in b.checks
             if c.basis == "mxnet" and b.id not in left_out
             and outcome.get((b.id, c.id)) != "conforms"]
    assert wrong == [], "checks backed by MXNet 1.9.1 that MXNet does not conform on"


def test_a_check_mxnet_cannot_run_is_backed_by_the_model(catalogue):
    results = json.loads((REPO / "reports" / "results" / "mxnet.json").read_text())
    na = {(r["behaviour"], r["check"]) for r in results["results"] if r["outcome"] == "n/a"}
    assert all(c.basis == "model" for b in catalogue for c in b.checks if (b.id, c.id) in na)
