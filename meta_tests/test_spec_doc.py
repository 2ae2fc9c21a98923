"""docs/spec.md is generated (reports/spec_doc.py) and must be fresh: what the
catalogue and the committed reports/parity.json give, byte for byte."""
from __future__ import annotations

import json

from reports import spec_doc
from spec.catalogue import load_catalogue

REPORT = spec_doc.REPO / "reports" / "parity.json"


def test_spec_doc_is_fresh():
    want = spec_doc.render(load_catalogue(), json.loads(REPORT.read_text(encoding="utf-8")))
    have = spec_doc.DEFAULT_OUT.read_text(encoding="utf-8") if spec_doc.DEFAULT_OUT.exists() else ""
    assert have == want, ("docs/spec.md is stale: regenerate it with "
                          "`python -m reports.spec_doc` (or `tox -e report`)")


def test_spec_doc_names_every_behaviour_and_check(catalogue):
    text = spec_doc.render(catalogue, {"envs": {"mxnet": {}}, "behaviours": [],
                                       "doc_claims": []})
    for b in catalogue:
        assert f"\n## {b.id}\n" in text
        for c in b.checks:
            assert f"\n| {c.id} | " in text
    assert "| not run |" in text  # an env without results says so
