"""Expectation files: format, version conditions, stale entries, and the plugin
judging a reference run (with a broken variant) against them, in a subprocess."""
from __future__ import annotations

import json

import pytest

from adapters.reference import ReferenceAdapter
from conformance import expectations
from conformance.runner import run_behaviour
from meta_tests.test_plugin import run_suite

MUTATION = "tie-copies"


def entry_toml(check, outcome, reason="known", **extra):
    lines = ["[[expect]]", f"check = {json.dumps(check)}", f"outcome = {json.dumps(outcome)}",
             f"reason = {json.dumps(reason)}"]
    return "\n".join(lines + [f"{k} = {json.dumps(v)}" for k, v in extra.items()]) + "\n\n"


@pytest.fixture(scope="module")
def broken(catalogue):
    """``{"behaviour/check": outcome}`` of every non-conforming check of the mutation."""
    fw = ReferenceAdapter([MUTATION])
    return {f"{r['behaviour']}/{r['check']}": r["outcome"] for b in catalogue
            for r in run_behaviour(b, fw) if r["outcome"] != "conforms"}


@pytest.mark.parametrize("cond, version, want", [
    ("", "1.9.1", True), (">=2.0", "1.9.1", False), (">=2.0", "2.13.0+cpu", True),
    (">=1.9, <2", "1.9.1", True), (">=1.9, <2", "2.0.0", False), ("1.*", "1.9.1", True),
    ("1.9.*", "1.10.0", False), ("==2.13", "2.13.0", True), ("!=3.15.1", "3.15.1", False),
])
def test_version_conditions(cond, version, want):
    assert expectations.version_matches(cond, version) is want


@pytest.mark.parametrize("body, field, fix", [
    ("[[expect]]\ncheck = 'a/b'\noutcome = 'diverges'\n", "expect[0].reason", "missing; add"),
    ("[[expect]]\ncheck = 'a/b'\noutcome = 'divergs'\nreason = 'x'\n", "expect[0].outcome",
     "use diverges or unsupported"),
    ("[[expect]]\ncheck = 'a/b'\noutcome = 'conforms'\nreason = 'x'\n", "expect[0].outcome",
     "remove the entry"),
    ("[[expect]]\ncheck = 'a'\noutcome = 'diverges'\nreason = 'x'\n", "expect[0].check",
     "is not 'behaviour/check'"),
    ("[[expect]]\ncheck = 'a/b'\noutcome = 'diverges'\nreason = 'x'\nwhen_version = '>>2'\n",
     "expect[0].when_version", "use clauses like"),
    ("[[expect]]\ncheck = 'a/b'\noutcome = 'diverges'\nreason = 'x'\nlink = 'javascript:x'\n",
     "expect[0].link", "not an http(s) URL"),
    ("[[expect]]\ncheck = 'a/b'\noutcome = 'diverges'\nreason = 'x'\nwhy = 'x'\n",
     "expect[0].why", "unknown field"),
    ("[expect]\ncheck = 'a/b'\n", "expect", "array of tables"),
])
def test_malformed_file_is_one_line_naming_file_and_field(tmp_path, body, field, fix):
    path = tmp_path / "torch.toml"
    path.write_text(body)
    with pytest.raises(expectations.ExpectationsError) as err:
        expectations.load(path)
    msg = str(err.value)
    assert "\n" not in msg and "torch.toml" in msg and f"'{field}'" in msg and fix in msg


def test_missing_file_expects_everything_to_conform(tmp_path):
    known = expectations.load(tmp_path / "nope.toml")
    assert not known.exists and known.active("1.0") == {}


def test_stale_and_version_conditional_entries(tmp_path, catalogue):
    path = tmp_path / "e.toml"
    path.write_text(entry_toml("unknown-dims/param-ids", "diverges", when_version="<2")
                    + entry_toml("unknown-dims/param-ids", "unsupported", when_version=">=2")
                    + entry_toml("no-such/check", "diverges"))
    known = expectations.load(path)
    assert [e.check for e in known.stale(catalogue)] == ["no-such/check"]
    assert known.active("1.9.1")["unknown-dims/param-ids"].outcome == "diverges"
    assert known.active("2.1")["unknown-dims/param-ids"].outcome == "unsupported"


# a broken variant has no differences catalogue: judge its behaviours only
BEHAVIOURS = ("conformance/test_behaviours.py",)


def write_expectations(path, broken, flip=None):
    text = ""
    for check, outcome in broken.items():
        if check == flip:
            outcome = "unsupported" if outcome == "diverges" else "diverges"
        text += entry_toml(check, outcome, reason="the mutation breaks it")
    path.write_text(text)


def test_run_matching_its_expectations_is_green(tmp_path, broken):
    exp = tmp_path / "reference.toml"
    write_expectations(exp, broken)
    proc = run_suite("--framework", "reference", "--mutations", MUTATION,
                     "--expectations", str(exp), paths=BEHAVIOURS)
    assert proc.returncode == 0, proc.stdout[-3000:]
    n = len(broken)
    assert f"{n} entries, 0 derived from the differences; {n} active" in proc.stdout  # header
    assert " 0 changed, 0 stale" in proc.stdout and "xfailed" in proc.stdout


def test_flipped_expectation_fails_with_one_line(tmp_path, broken):
    flip = next(c for c, o in broken.items() if o == "diverges")
    exp = tmp_path / "reference.toml"
    write_expectations(exp, broken, flip=flip)
    proc = run_suite("--framework", "reference", "--mutations", MUTATION,
                     "--expectations", str(exp), paths=BEHAVIOURS)
    assert proc.returncode == 1
    line = f"reference {flip}: expected unsupported, got diverges (observed "
    assert "1 failed" in proc.stdout and f"\n{line}" in proc.stdout  # the failure: one line
    assert f"CHANGED {line}" in proc.stdout and " 1 changed" in proc.stdout
    assert proc.stdout.count("expected unsupported, got diverges") == 2  # failure + CHANGED


def test_unlisted_divergence_fails(tmp_path, broken):
    proc = run_suite("--framework", "reference", "--mutations", MUTATION,
                     "--expectations", str(tmp_path / "none.toml"), paths=BEHAVIOURS)
    assert proc.returncode == 1
    check = next(iter(broken))
    assert f"reference {check}: expected conforms, got {broken[check]}" in proc.stdout


def test_stale_entry_is_a_warning_line(tmp_path):
    exp = tmp_path / "reference.toml"
    exp.write_text(entry_toml("gone-behaviour/old-check", "diverges"))
    proc = run_suite("--framework", "reference", "--expectations", str(exp), "-k", "unknown_dims")
    assert proc.returncode == 0
    assert "WARNING stale expectation in" in proc.stdout and "'gone-behaviour/old-check'" in proc.stdout
    assert "1 stale" in proc.stdout


def test_malformed_file_is_a_usage_error_without_traceback(tmp_path):
    exp = tmp_path / "reference.toml"
    exp.write_text("[[expect]]\ncheck = 'unknown-dims/param-ids'\noutcome = 'diverges'\n")
    proc = run_suite("--framework", "reference", "--expectations", str(exp))
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    err = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(err) == 1 and "reference.toml: field 'expect[0].reason': missing" in err[0]
