"""conformance/recorder + runner: outcomes are never folded into one another."""
from __future__ import annotations

from adapters.interface import Unsupported
from adapters.reference import ReferenceAdapter
from conformance import runner
from conformance.recorder import Recorder, exc_line, normalize
from conformance.scenarios.common import MLP
from spec.catalogue import Behaviour, Check


def behaviour(*checks):
    return Behaviour("demo", 0, "t", "s", {}, tuple(Check(c, "d", "ok") for c in checks), "x")


def run_with(monkeypatch, scenario, *checks):
    monkeypatch.setitem(runner.SCENARIOS, "demo", scenario)
    return {r["check"]: r for r in runner.run_behaviour(behaviour(*checks), ReferenceAdapter())}


def test_framework_error_is_an_observation(monkeypatch):
    def scenario(fw, rec):
        net = fw.build(MLP)
        rec.call("a", lambda: fw.read_param(net, "0.weight"))
    r = run_with(monkeypatch, scenario, "a")["a"]
    # the kinds meaning "no value yet" are judged as one unless the check wants the detail
    assert (r["outcome"], r["observed"]) == ("diverges", "raises:no-value")
    assert r["message"].startswith("[not-initialized] NotInitializedError: Parameter")


def test_detail_check_keeps_the_fine_kind(monkeypatch):
    monkeypatch.setitem(runner.SCENARIOS, "demo", lambda fw, rec: rec.call(
        "a", lambda: fw.read_param(fw.build(MLP), "0.weight")))
    b = Behaviour("demo", 0, "t", "s", {}, (Check("a", "d", "ok", detail=True),), "x")
    assert runner.run_behaviour(b, ReferenceAdapter())[0]["observed"] == "raises:not-initialized"


def test_missing_capability_is_na_naming_it(monkeypatch):
    class NoStep(ReferenceAdapter):
        capabilities = {**ReferenceAdapter.capabilities, "init_step": "none"}
    monkeypatch.setitem(runner.SCENARIOS, "demo", lambda fw, rec: rec.record("a", "ok"))
    b = Behaviour("demo", 0, "t", "s", {}, (Check("a", "d", "ok",
                                                   requires=("init_step=deferred",)),), "x")
    r = runner.run_behaviour(b, NoStep())[0]
    assert (r["outcome"], r["cause"]) == ("n/a", {"capability": "init_step=deferred"})
    assert "init_step=none" in r["message"]


def test_harness_bug_is_error_with_traceback(monkeypatch):
    def scenario(fw, rec):
        rec.call("a", lambda: fw.no_such_operation())
    r = run_with(monkeypatch, scenario, "a", "b")
    assert r["a"]["outcome"] == r["b"]["outcome"] == "error"
    assert "AttributeError" in r["a"]["message"] and "Traceback" in r["a"]["traceback"]


def test_unsupported_check_makes_dependents_na(monkeypatch):
    def scenario(fw, rec):
        step = rec.call("a", lambda: (_ for _ in ()).throw(Unsupported("op/variant", "no API")))
        rec.record("b", "ok", needs=step)
        rec.record("c", "ok")
    r = run_with(monkeypatch, scenario, "a", "b", "c")
    assert r["a"]["outcome"] == "unsupported" and "no API" in r["a"]["message"]
    assert (r["b"]["outcome"], r["b"]["cause"]) == ("n/a", {"check": "a"})
    assert r["c"]["outcome"] == "conforms"


def test_unrecorded_check_and_stray_check_are_errors(monkeypatch):
    r = run_with(monkeypatch, lambda fw, rec: rec.record("zzz", 1), "a")
    assert r["a"]["outcome"] == "error"
    r = run_with(monkeypatch, lambda fw, rec: None, "a")
    assert r["a"]["outcome"] == "error" and "recorded nothing" in r["a"]["message"]


def test_recording_twice_is_an_error(monkeypatch):
    def scenario(fw, rec):
        rec.record("a", "ok")
        rec.record("a", "ok")
    r = run_with(monkeypatch, scenario, "a", "b")
    assert r["b"]["outcome"] == "error" and "recorded twice" in r["b"]["message"]


def test_normalize_and_messages():
    assert normalize((256, None)) == [256, "?"]
    assert normalize({"a": (1,)}) == {"a": [1]}
    line = exc_line(ValueError("bad thing at 0x7fe5cc00f560\nsecond line"))
    assert line == "ValueError: bad thing"


def test_approx_compare():
    check = Check("c", "d", [1.0, 2.0], compare="approx", tol=0.1)
    assert runner.matches(check, [1.05, 1.95])
    assert not runner.matches(check, [1.2, 2.0])
    assert not runner.matches(check, "raises:other")


def test_recorder_blocked_by_failed_step():
    rec = Recorder(ReferenceAdapter())
    step = rec.call("a", lambda: (_ for _ in ()).throw(ValueError("boom")))
    rec.record("b", 1, needs=step)
    assert rec.obs["a"].value == "raises:other"
    assert rec.obs["b"].outcome == "n/a" and "boom" in rec.obs["b"].message
    assert rec.obs["b"].cause == {"check": "a"}


def test_error_inside_an_installed_framework_is_an_observation():
    """A TypeError raised inside a framework installed under the repository (.tox/...
    site-packages) is the framework's behaviour, not a harness bug."""
    from adapters.bugs import REPO, is_harness_bug
    fake = REPO / ".tox" / "x" / "lib" / "site-packages" / "framework.py"
    code = compile("def f():\n    raise TypeError('framework says no')\n", str(fake), "exec")
    namespace = {}
    exec(code, namespace)
    try:
        namespace["f"]()
    except TypeError as exc:
        assert not is_harness_bug(exc)
    own = compile("def f():\n    raise TypeError('bug')\n", str(REPO / "conformance" / "x.py"), "exec")
    exec(own, namespace)
    try:
        namespace["f"]()
    except TypeError as exc:
        assert is_harness_bug(exc)
