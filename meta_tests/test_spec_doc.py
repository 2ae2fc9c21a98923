"""docs/spec.md is generated (reports/spec_doc.py) from the catalogue and the report
``reports.build`` merges in memory (its freshness: ``meta_tests/test_generated.py``)."""
from __future__ import annotations

from meta_tests.fake_results import fake_world
from reports import build, spec_doc


def test_spec_doc_names_every_behaviour_and_check(catalogue):
    text = spec_doc.render(catalogue, {"envs": {"mxnet": {}}, "behaviours": [],
                                       "doc_claims": []})
    for b in catalogue:
        assert f"\n## {b.id}\n" in text
        for c in b.checks:
            assert f"\n| {c.id} | " in text
    assert "| not run |" in text  # an env without results says so


def test_build_writes_the_spec_doc_from_the_results(tmp_path, catalogue):
    """``--spec-doc``: the catalogue with the outcomes of the results files."""
    results, _ = fake_world(tmp_path, catalogue)
    doc, out = tmp_path / "spec.md", tmp_path / "out"
    assert build.main([str(results), "--out", str(out), "--spec-doc", str(doc)]) == 0
    row = next(line for line in doc.read_text(encoding="utf-8").splitlines()
               if line.startswith("| extra-axes-output | "))
    cells = row.split(" | ")[-11:]
    assert cells[0] == "✓" and cells[2] == "✗ torch/last-axis" and cells[-1] == "not run |"
