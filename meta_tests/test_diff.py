"""``python -m reports.diff OLD NEW``: exactly the changed checks, and the exit code."""
from __future__ import annotations

import shutil

import pytest

from meta_tests.fake_results import diverges, edit_result, fake_run
from reports import diff


@pytest.fixture
def runs(tmp_path, catalogue):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    fake_run(old / "mxnet.json", "mxnet", catalogue)
    fake_run(old / "torch.json", "torch", catalogue, changes={
        "first-forward-inits/bias-draws": diverges(7)})
    shutil.copytree(old, new)
    return old, new


def test_identical_runs_print_no_changes(runs, capsys):
    assert diff.main([str(runs[0]), str(runs[1])]) == 0
    assert capsys.readouterr().out == "no changes\n"


def test_one_changed_check_is_exactly_one_line(runs, capsys):
    old, new = runs
    edit_result(new / "torch.json", "unknown-dims/param-ids", outcome="diverges",
                observed=["0.weight"])
    assert diff.main([str(old), str(new)]) == 1
    assert capsys.readouterr().out == (
        "torch unknown-dims/param-ids: outcome conforms -> diverges (observed "
        '["0.weight", "0.bias", "1.weight", "1.bias"] -> ["0.weight"])\n')


def test_files_as_well_as_directories(runs, capsys):
    old, new = runs
    edit_result(new / "mxnet.json", "tied-params/grad-is-sum", observed="first-use-only")
    assert diff.main([str(old / "mxnet.json"), str(new / "mxnet.json")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        'mxnet tied-params/grad-is-sum: outcome conforms -> conforms (observed "sum" -> '
        '"first-use-only")']


def test_env_on_one_side_only(runs, capsys):
    old, new = runs
    (new / "torch.json").unlink()
    assert diff.main([str(old), str(new)]) == 1
    assert capsys.readouterr().out == "torch: only in OLD\n"


def test_unreadable_input_is_one_line(runs, capsys):
    old, new = runs
    (new / "tf.json").write_text("{")
    assert diff.main([str(old), str(new)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "tf.json: not valid JSON" in err
