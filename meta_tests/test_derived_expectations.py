"""Expected outcomes derived from the differences: a check a difference of
the system explains is expected to end in the difference's ``outcome``; the
expectations file keeps only what no difference explains, and overrides."""
from __future__ import annotations

import textwrap

from conformance import differences, expectations
from conformance.expectations.__main__ import main
from meta_tests.fake_results import fake_run
from meta_tests.test_expectations import entry_toml

DIFFERENCES = textwrap.dedent('''
    [[difference]]
    id = "torch/a"
    statement = "torch does A."
    evidence = "somewhere"
    repro = "a.py"
    explains = ["unknown-dims/param-ids", "unknown-dims/weight-shapes"]

    [[difference]]
    id = "torch/b"
    statement = "torch has no B."
    evidence = "elsewhere"
    repro = "b.py"
    explains = ["unknown-dims/bias-shapes"]
    outcome = "unsupported"
    considered = ["torch.compile", "torch.jit.script"]
    only_in = ["torch"]
''')


def found(tmp_path, system="torch"):
    path = tmp_path / "torch-differences.toml"
    path.write_text(DIFFERENCES)
    return differences.for_framework("torch", path).for_system(system)


def test_outcomes_follow_from_the_differences(tmp_path):
    known = expectations.load(tmp_path / "none.toml").derive(found(tmp_path))
    active = known.active("2.13")
    assert {c: e.outcome for c, e in active.items()} == {
        "unknown-dims/param-ids": "diverges", "unknown-dims/weight-shapes": "diverges",
        "unknown-dims/bias-shapes": "unsupported"}
    assert active["unknown-dims/bias-shapes"].reason == "torch has no B. [torch/b]"
    # only_in: in another system of the family, torch/b causes nothing
    assert "unknown-dims/bias-shapes" not in expectations.load(
        tmp_path / "none.toml").derive(found(tmp_path, "torch-other")).active("2.13")


def test_a_file_entry_overrides_under_any_condition(tmp_path):
    path = tmp_path / "torch.toml"
    path.write_text(entry_toml("unknown-dims/param-ids", "unsupported", when_version=">=99"))
    known = expectations.load(path).derive(found(tmp_path))
    assert "unknown-dims/param-ids" not in known.active("2.13")   # inactive entry: conforms
    assert known.active("99.1")["unknown-dims/param-ids"].outcome == "unsupported"


def test_bad_outcome_is_one_line(tmp_path):
    path = tmp_path / "torch.toml"
    path.write_text(DIFFERENCES.replace('outcome = "unsupported"', 'outcome = "conforms"'))
    try:
        differences.for_framework("torch", path)
    except differences.DifferencesError as exc:
        assert "field 'difference[1].outcome'" in str(exc) and "\n" not in str(exc)
    else:
        raise AssertionError("an outcome other than diverges/unsupported was accepted")


def test_update_writes_only_what_cannot_be_derived(tmp_path, catalogue, capsys):
    results = tmp_path / "torch.json"
    fake_run(results, "torch", catalogue, framework="torch", changes={
        "unknown-dims/param-ids": {"outcome": "diverges", "observed": []},
        "unknown-dims/bias-shapes": {"outcome": "unsupported", "observed": None},
        "unknown-dims/read-raises": {"outcome": "diverges", "observed": "x"}})
    exp = tmp_path / "torch.toml"
    exp.write_text(entry_toml("unknown-dims/param-ids", "diverges", reason="old"))
    (tmp_path / "torch-differences.toml").write_text(DIFFERENCES)
    assert main(["update", str(results), "--file", str(exp),
                 "--differences", str(tmp_path / "torch-differences.toml")]) == 0
    out = capsys.readouterr().out
    assert "removed unknown-dims/param-ids (diverges): derived from torch/a" in out
    entries = expectations.load(exp).entries
    # only the check no difference explains is written (with a TODO reason)
    assert [(e.check, e.outcome) for e in entries] == [("unknown-dims/read-raises", "diverges")]
