"""``python -m conformance.expectations update``: regenerate from a run, keep reasons."""
from __future__ import annotations

import json

from conformance import expectations
from conformance.expectations.__main__ import main
from conformance.expectations.update import TODO
from meta_tests.fake_results import write_run
from meta_tests.test_expectations import entry_toml


def test_update_keeps_reasons_adds_todo_drops_stale(tmp_path, catalogue, capsys):
    results = tmp_path / "torch.json"
    data = write_run(results, "torch", catalogue, ["tie-copies"])
    broken = [f"{r['behaviour']}/{r['check']}" for r in data["results"]
              if r["outcome"] != "conforms"]
    kept, new = broken[0], broken[1]
    exp = tmp_path / "torch.toml"
    exp.write_text(entry_toml(kept, "diverges", reason="hand-written why",
                              link="https://example.org/issue/1")
                   + entry_toml("unknown-dims/param-ids", "diverges", reason="no longer true")
                   + entry_toml("unknown-dims/param-ids", "unsupported", reason="old torch",
                                when_version=">=99")
                   + entry_toml("gone/check", "diverges", reason="stale"))
    assert main(["update", str(results), "--file", str(exp)]) == 0
    out = capsys.readouterr().out
    assert "removed stale gone/check" in out
    assert "removed unknown-dims/param-ids: expected diverges, now conforms" in out
    known = {(e.check, e.when_version): e for e in expectations.load(exp).entries}
    assert known[(kept, "")].reason == "hand-written why"
    assert known[(kept, "")].link == "https://example.org/issue/1"
    assert known[(new, "")].reason == TODO
    assert known[("unknown-dims/param-ids", ">=99")].reason == "old torch"  # other version
    assert ("unknown-dims/param-ids", "") not in known and ("gone/check", "") not in known
    assert {c for c, v in known if not v} == set(broken)
    new_result = next(r for r in data["results"] if f"{r['behaviour']}/{r['check']}" == new)
    assert f"# observed: {json.dumps(new_result['observed'])}" in exp.read_text()


def test_update_is_idempotent(tmp_path, catalogue, capsys):
    results = tmp_path / "tf.json"
    write_run(results, "tf", catalogue, ["no-relu"])
    exp = tmp_path / "tf.toml"
    assert main(["update", str(results), "--file", str(exp)]) == 0
    first = exp.read_text()
    assert main(["update", str(results), "--file", str(exp)]) == 0
    assert exp.read_text() == first


def test_update_refuses_unreadable_results(tmp_path, capsys):
    bad = tmp_path / "x.json"
    bad.write_text("{nope")
    assert main(["update", str(bad), "--file", str(tmp_path / "x.toml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "x.json: not valid JSON" in err
