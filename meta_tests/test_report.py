"""reports/build: merging results files into the matrix; missing and unreadable envs."""
from __future__ import annotations

import json

import pytest

from adapters.reference import ReferenceAdapter
from conformance.session import Session
from reports import build


@pytest.fixture
def results_dir(tmp_path, catalogue):
    """A full reference run saved as env 'mxnet', a broken one as 'torch'."""
    for env, muts in (("mxnet", []), ("torch", ["init-biases-too"])):
        s = Session(ReferenceAdapter(muts), catalogue, env, tmp_path / f"{env}.json")
        for b in catalogue:
            s.result(b.id, b.checks[0].id)
        s.write()
    return tmp_path


def test_merge_marks_missing_env_not_run(results_dir, catalogue):
    report = build.merge(catalogue, build.load_envs(results_dir))
    assert report["envs"]["tf"]["status"] == "not run"
    first = report["behaviours"][0]["cells"]
    assert first["mxnet"]["outcome"] == "conforms"
    assert first["tf"]["outcome"] == "not run"


def test_divergence_shows_observed_and_expected(results_dir, catalogue):
    report = build.merge(catalogue, build.load_envs(results_dir))
    row = next(b for b in report["behaviours"] if b["id"] == "first-forward-inits")
    assert row["cells"]["torch"]["outcome"] == "diverges"
    check = next(c for c in row["checks"] if c["id"] == "bias-calls")
    assert check["envs"]["torch"]["observed"] == [["0.bias", [256]], ["1.bias", [10]]]
    text = build.render_md(report)
    assert "bias-calls | \\[\\] | conforms | diverges: observed" in text


@pytest.mark.parametrize("content, why", [
    ("{not json", "not valid JSON"),
    ('{"schema": 99, "results": []}', "schema 99"),
    ('{"schema": 1}', "no 'results' list"),
])
def test_unreadable_file_is_named_and_skipped(results_dir, catalogue, content, why, capsys):
    (results_dir / "tf.json").write_text(content, encoding="utf-8")
    envs = build.load_envs(results_dir)
    assert envs["tf"]["status"] == "unreadable" and why in envs["tf"]["why"]
    assert envs["mxnet"]["status"] == "ok"
    assert "tf.json" in capsys.readouterr().err
    report = build.merge(catalogue, envs)
    assert report["behaviours"][0]["cells"]["tf"]["outcome"] == "unreadable"


def test_incomplete_file_shows_missing_checks_as_not_run(results_dir, catalogue):
    data = json.loads((results_dir / "mxnet.json").read_text())
    data["results"] = data["results"][:2]
    data["complete"] = False
    (results_dir / "mxnet.json").write_text(json.dumps(data))
    report = build.merge(catalogue, build.load_envs(results_dir))
    assert report["envs"]["mxnet"]["status"] == "incomplete"
    assert report["behaviours"][-1]["cells"]["mxnet"]["outcome"] == "not run"


def test_markdown_cells_escape_untrusted_text():
    cell = build.md("a | b\nc <script>alert(1)</script> `x`")
    assert "|" not in cell.replace("\\|", "") and "\n" not in cell
    assert "<script>" not in cell


def test_main_writes_both_files(results_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert build.main([str(results_dir), "--out", str(out)]) == 0
    assert (out / "parity.md").read_text().startswith("# Lazy-initialization parity")
    assert json.loads((out / "parity.json").read_text())["schema"] == 1
