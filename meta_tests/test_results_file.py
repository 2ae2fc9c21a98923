"""Results files, one record a line (``conformance/results_file.py``): valid JSON that
every reader reads, a check's result on a line of its own, and the committed files
written that way."""
from __future__ import annotations

import difflib
import importlib.metadata
import json
from pathlib import Path

import pytest

from conformance import session
from conformance.results_file import (append_progress, dumps_records, end_progress,
                                      progress_path, read_results, start_progress,
                                      write_json_atomic)
from meta_tests.fake_results import edit_result, fake_run

RESULTS = Path(__file__).resolve().parents[1] / "reports" / "results"


def test_one_record_a_line_loads_as_written(tmp_path, catalogue):
    data = fake_run(tmp_path / "torch.json", "torch", catalogue)
    data.update(seconds={"unknown-dims": 0.5, "naming": 1.25}, left_out={}, tags=[],
                selftests={"identity": {"covers": ["framework_version"], "outcome": "passed"}})
    write_json_atomic(tmp_path / "torch.json", data)
    text = (tmp_path / "torch.json").read_text(encoding="utf-8")
    assert read_results(tmp_path / "torch.json") == (data, "")
    lines = text.splitlines()
    assert lines[0] == "{" and lines[-1] == "}" and ' "schema": 2,' in lines
    for r in data["results"]:
        assert f"  {json.dumps(r)}," in lines or f"  {json.dumps(r)}" in lines
    assert '  "naming": 1.25' in lines and ' "left_out": {},' in lines and ' "tags": [],' in lines
    assert '  "identity": {"covers": ["framework_version"], "outcome": "passed"}' in lines


def test_a_changed_check_is_one_changed_line(tmp_path, catalogue):
    path = tmp_path / "torch.json"
    fake_run(path, "torch", catalogue)
    before = path.read_text(encoding="utf-8").splitlines()
    edit_result(path, "naming/unique", outcome="diverges", observed=0.25)
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [x for x in difflib.unified_diff(before, after, lineterm="", n=0)
               if x[:1] in "+-" and x[:3] not in ("+++", "---")]
    assert len(changed) == 2 and all('"check": "unique"' in x for x in changed), changed


def test_progress_lines_replay_into_one_record_and_end_in_the_results_file(tmp_path):
    path = tmp_path / "x.json"
    start_progress(path, {"schema": 2, "results": [{"a": 1}], "seconds": {"a": 1.0},
                          "running": None, "complete": False})
    append_progress(path, {"running": {"behaviour": "b", "since": 1.0}})
    append_progress(path, {"results": [{"b": 2}], "seconds": {"b": 2.0}, "running": None,
                           "selftests": {"t": {"outcome": "passed"}}})
    assert not path.exists() and progress_path(path).read_text().count("\n") == 3
    data = {"schema": 2, "results": [{"a": 1}, {"b": 2}], "seconds": {"a": 1.0, "b": 2.0},
            "running": None, "complete": False, "selftests": {"t": {"outcome": "passed"}}}
    assert read_results(path) == (data, "")
    with open(progress_path(path), "a") as f:   # killed while appending a line
        f.write('{"running": {"behav')
    assert read_results(path) == (data, "")
    end_progress(path, {**data, "complete": True})
    assert not progress_path(path).exists() and read_results(path)[0]["complete"] is True
    start_progress(path, {"schema": 2, "results": []})   # a new run: the old file goes
    assert not path.exists() and read_results(path)[0]["results"] == []


@pytest.mark.parametrize("path", sorted(RESULTS.glob("*.json")), ids=lambda p: p.name)
def test_committed_results_files_are_one_record_a_line(path):
    text = path.read_text(encoding="utf-8")
    assert text == dumps_records(json.loads(text)) + "\n", (
        f"{path.name}: not as conformance/results_file.py writes it; rewrite it with "
        "write_json_atomic(path, json.load(open(path)))")


def test_versions_map_distributions_as_the_stdlib_does_but_the_harness():
    """``session._distributions`` skips the harness's distributions (``HARNESS``, never
    listed in a results file) and maps every other one as
    ``importlib.metadata.packages_distributions`` does."""
    whole = importlib.metadata.packages_distributions()
    expected = {top: kept for top, names in whole.items()
                if (kept := [n for n in names if n.lower() not in session.HARNESS])}
    session._distributions.cache_clear()
    assert session._distributions() == expected
    assert "pytest" not in session._distributions()
