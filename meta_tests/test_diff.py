"""``python -m reports.diff OLD NEW``: exactly the changed checks (floats within the
stated tolerance), the envs on one side only once, each system's version changes,
and the exit code."""
from __future__ import annotations

import copy
import shutil

import pytest

from meta_tests.fake_results import diverges, edit_result, edit_versions, fake_run
from reports import diff

HEADER = ("compared: the outcome and observed value of each check (floats equal within "
          "relative 1e-06 or absolute 1e-09; integers, strings and booleans exactly)")


@pytest.fixture
def runs(tmp_path, catalogue):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    fake_run(old / "mxnet.json", "mxnet", catalogue)
    fake_run(old / "torch.json", "torch", catalogue, changes={
        "first-forward-inits/bias-draws": diverges(7)})
    shutil.copytree(old, new)
    return old, new


def out_lines(capsys) -> list:
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == HEADER == diff.HEADER  # the tolerance, stated first
    return lines[1:]


def test_identical_runs_print_no_changes(runs, capsys):
    assert diff.main([str(runs[0]), str(runs[1])]) == 0
    assert out_lines(capsys) == ["no changes"]


def test_one_changed_check_is_exactly_one_line(runs, capsys):
    old, new = runs
    edit_result(new / "torch.json", "unknown-dims/param-ids", outcome="diverges",
                observed=["0.weight"])
    assert diff.main([str(old), str(new)]) == 1
    assert out_lines(capsys) == [
        "torch unknown-dims/param-ids: outcome conforms -> diverges (observed "
        '["0.weight", "0.bias", "1.weight", "1.bias"] -> ["0.weight"]); versions unchanged']


def test_files_as_well_as_directories(runs, capsys):
    old, new = runs
    edit_result(new / "mxnet.json", "tied-params/grad-is-sum", observed="first-use-only")
    assert diff.main([str(old / "mxnet.json"), str(new / "mxnet.json")]) == 1
    assert out_lines(capsys) == [
        'mxnet tied-params/grad-is-sum: outcome conforms -> conforms (observed "sum" -> '
        '"first-use-only"); versions unchanged']


def test_env_on_one_side_only(runs, capsys):
    old, new = runs
    (new / "torch.json").unlink()
    assert diff.main([str(old), str(new)]) == 1
    assert out_lines(capsys) == ["only in OLD: torch"]


def test_envs_on_one_side_only_are_one_line_not_a_line_per_check(runs, catalogue, capsys):
    old, new = runs
    fake_run(old / "tf.json", "tf", catalogue)
    (new / "torch.json").unlink()
    fake_run(new / "flax.json", "flax", catalogue)
    fake_run(new / "keras-jax.json", "keras-jax", catalogue)
    assert diff.main([str(old), str(new)]) == 1
    assert out_lines(capsys) == ["only in OLD: tf, torch; only in NEW: flax, keras-jax"]
    d = diff.changes(diff.load_side(old), diff.load_side(new))
    assert (d["only_old"], d["only_new"], d["systems"]) == (
        ["tf", "torch"], ["flax", "keras-jax"], [])
    assert diff.only_line(d, "baseline", "this run") == (
        "only in baseline: tf, torch; only in this run: flax, keras-jax")


NESTED = {"shapes": [[2, 3], [3]], "stats": {"mean": 0.1234567, "std": [0.25, 1000.0]},
          "zero": 0.0, "count": 3, "flag": True, "name": "w"}


@pytest.mark.parametrize("where, value, changed", [
    (("stats", "mean"), 0.1234567 + 6e-10, False),     # a 6e-10 move: the same value
    (("zero",), 6e-10, False),                          # within the absolute tolerance
    (("zero",), 2e-9, True),                            # past it (and past the relative)
    (("stats", "std", 1), 1000.0005, False),            # within the relative tolerance
    (("stats", "std", 1), 1000.002, True),
    (("count",), 4, True),                              # integers exactly
    (("count",), 3.0000001, False),                     # a float against an integer: approx
    (("flag",), 1, True),                               # a bool never equals a number
    (("name",), "w ", True),                            # strings exactly
    (("shapes", 1), [3, 1], True),
])
def test_observed_floats_compare_within_the_tolerance(runs, capsys, where, value, changed):
    old, new = runs
    edit_result(old / "torch.json", "unknown-dims/param-ids", observed=NESTED)
    moved = copy.deepcopy(NESTED)
    at = moved
    for key in where[:-1]:
        at = at[key]
    at[where[-1]] = value
    edit_result(new / "torch.json", "unknown-dims/param-ids", observed=moved)
    assert diff.main([str(old), str(new)]) == int(changed)
    lines = out_lines(capsys)
    assert (lines != ["no changes"]) is changed
    assert diff.same(NESTED, moved) is not changed


def test_same_compares_floats_approximately_everything_else_exactly():
    assert diff.same(1.0, 1.0 + 1e-12) and diff.same([0.5, {"a": 2.0}], [0.5, {"a": 2.0 + 1e-9}])
    assert diff.same(float("nan"), float("nan")) and diff.same(None, None)
    assert not diff.same(1.0, 1.01) and not diff.same(None, 0.0) and not diff.same(0, False)
    assert not diff.same({"a": 1.0}, {"b": 1.0}) and not diff.same([1.0], [1.0, 1.0])
    assert not diff.same("1.0", 1.0) and not diff.same(2, 3)
    assert (diff.REL_TOL, diff.ABS_TOL) == (1e-6, 1e-9)


def test_version_changes_head_their_system_and_end_each_check_line(runs, capsys):
    old, new = runs
    edit_versions(old / "torch.json", config={"jax_version": "0.10.2"})
    edit_versions(new / "torch.json", version="2.1.0", config={"jax_version": "0.12.1"},
                  numpy="2.0", cuda="12.1")   # a component the old run did not record
    edit_result(new / "torch.json", "unknown-dims/param-ids", outcome="diverges", observed=[])
    edit_versions(new / "mxnet.json", python="3.12.1")
    assert diff.main([str(old), str(new)]) == 1
    versions = "torch 1.0 -> 2.1.0, numpy 1.0 -> 2.0, cuda absent -> 12.1, jax 0.10.2 -> 0.12.1"
    assert out_lines(capsys) == [
        "mxnet: python 3.11.0 -> 3.12.1",          # versions changed, no check did
        f"torch: {versions}",
        "torch unknown-dims/param-ids: outcome conforms -> diverges (observed "   # a check
        '["0.weight", "0.bias", "1.weight", "1.bias"] -> []); '   # line: the releases that
        "torch 1.0 -> 2.1.0, numpy 1.0 -> 2.0, jax 0.10.2 -> 0.12.1"]   # moved, no 'absent'


def test_version_change_alone_exits_zero(runs, capsys):
    old, new = runs
    edit_versions(new / "torch.json", version="2.1.0")
    assert diff.main([str(old), str(new)]) == 0
    assert out_lines(capsys) == ["torch: torch 1.0 -> 2.1.0", "no changed check"]


def test_recorded_versions_read_every_key_generically():
    data = {"framework": {"name": "keras-jax", "family": "keras", "version": "3.15.1",
                          "config": {"backend": "jax", "jax_version": "0.10.2"}},
            "versions": {"python": "3.11.7", "numpy": "2.4.6", "jaxlib": "0.10.2"}}
    assert diff.recorded_versions(data) == {
        "keras": "3.15.1", "python": "3.11.7", "numpy": "2.4.6", "jaxlib": "0.10.2",
        "backend": "jax", "jax": "0.10.2"}
    # every imported distribution recorded: the framework's once, the config's
    # jax_version left to the jax distribution
    data["versions"].update(keras="3.15.1", jax="0.10.2", backend="other")
    assert diff.recorded_versions(data) == {
        "keras": "3.15.1", "python": "3.11.7", "numpy": "2.4.6", "jaxlib": "0.10.2",
        "jax": "0.10.2", "backend": "other", "config backend": "jax"}
    # a framework whose version is not its family's distribution's (tf-keras)
    data["framework"].update(name="tf-keras", version="2.21.0")
    assert list(diff.recorded_versions(data).items())[0] == ("tf-keras", "2.21.0")


def test_unreadable_input_is_one_line(runs, capsys):
    old, new = runs
    (new / "tf.json").write_text("{")
    assert diff.main([str(old), str(new)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "tf.json: not valid JSON" in err
