"""An adapter's bug is never a framework's finding: deliberately broken
adapters end with adapter-fault verdicts (``blocked``) and zero divergences or n/a
charged to their framework; a framework trait raised from C code is never an
adapter fault; ``Unsupported`` is ``unsupported`` wherever it is raised."""
from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from adapters.interface import Init, Unsupported
from adapters.reference import ReferenceAdapter, ShapeMismatchError
from conformance import runner
from conformance.recorder import Recorder
from adapters.bugs import is_harness_bug
from conformance.scenarios.common import MLP
from conformance.session import Session
from spec.catalogue import Behaviour, Check, load_catalogue


class IgnoresInit(ReferenceAdapter):
    """build() drops weight_init/bias_init (the Haiku trial's first break)."""

    def build(self, arch, input_shape=None, weight_init=None, bias_init=None):
        return super().build(arch, input_shape)


class ReinitDropsInit(ReferenceAdapter):
    """reinitialize() replaces the requested initializer by the default one."""

    def reinitialize(self, state, init, target=None):
        return super().reinitialize(state, Init(), target)


class BatchNormInInferenceMode(ReferenceAdapter):
    """A BatchNorm set up in inference mode: the framework (here the reference)
    refuses the first data with its own error (the Haiku trial's 'No value for
    average')."""

    def materialize(self, state, x):
        if any(layer.kind == "bn" for layer in state.layers):
            raise ShapeMismatchError("No value for 'average' (BatchNorm in inference mode)")
        return super().materialize(state, x)


def run_all(fw) -> tuple[Session, list]:
    s = Session(fw, load_catalogue(), "broken")
    return s, [s.result(b.id, c.id) for b in s.catalogue for c in b.checks_for(fw.name)
               if not c.quote]   # documentation claims are judged apart


@pytest.mark.parametrize("adapter, fault", [
    (IgnoresInit, {"construction-weight-init", "construction-bias-init"}),
    (ReinitDropsInit, {"reinitialize-network", "reinitialize-layer", "reinitialize-parameter"}),
    (BatchNormInInferenceMode, {"conv-batchnorm"}),
])
def test_broken_adapter_is_blocked_never_charged_to_the_framework(adapter, fault):
    s, results = run_all(adapter())
    faulted = {n for n, r in s.selftests.items() if r["outcome"] == "fault"}
    assert fault <= faulted
    charged = [f"{r['behaviour']}/{r['check']} {r['outcome']}" for r in results
               if r["outcome"] in ("diverges", "n/a", "unsupported", "error")]
    assert charged == []
    blocked = [r for r in results if r["outcome"] == "blocked"]
    assert blocked and all(set(r["fault"]) <= faulted and "fix the adapter" in r["message"]
                           for r in blocked)


def test_fault_sentence_names_the_operation_and_argument():
    s, _ = run_all(IgnoresInit())
    message = s.selftests["construction-weight-init"]["message"]
    assert message.startswith("build(weight_init=) ignored its initializer")
    message = run_all(ReinitDropsInit())[0].selftests["reinitialize-layer"]["message"]
    assert message.startswith("reinitialize(init=, target=1) did not route")


def test_correct_adapter_has_no_fault_and_no_blocked_check():
    s, results = run_all(ReferenceAdapter())
    assert all(r["outcome"] == "passed" for r in s.selftests.values())
    assert all(r["outcome"] == "conforms" for r in results)


def _closure():
    def inner():
        return 1
    return inner


class PicklesAClosure(ReferenceAdapter):
    """copy(how='pickle') pickles a network holding a closure: pickle (C code) raises
    AttributeError/PicklingError with the adapter's frame innermost."""

    def copy(self, state, how):
        if how == "pickle":
            state.hook = _closure()
            return pickle.loads(pickle.dumps(state))
        return super().copy(state, how)


def test_framework_trait_raised_from_c_code_is_never_an_adapter_fault():
    fw = PicklesAClosure()
    with pytest.raises(Exception) as raised:
        fw.copy(fw.build(MLP), "pickle")
    assert not is_harness_bug(raised.value, (Path(__file__).resolve(),))
    s, results = run_all(PicklesAClosure())
    copies = {r["check"]: r for r in results if r["behaviour"] == "copy-before-init"}
    assert not [r for r in copies.values() if r["outcome"] in ("error", "blocked")]
    assert any(str(r["observed"]).startswith("raises:") for r in copies.values())


class Typo(ReferenceAdapter):
    def param_dtype(self, state, pid):
        return self.no_such_attribute


class WrongArity(ReferenceAdapter):
    def param_dtype(self, state, pid):
        return self._param(state)      # a missing argument: the adapter's bug


class BuiltinMisuse(ReferenceAdapter):
    def param_dtype(self, state, pid):
        return len(None)


@pytest.mark.parametrize("adapter", [Typo, WrongArity, BuiltinMisuse])
def test_adapter_bug_in_its_own_code_is_an_error(adapter):
    _, results = run_all(adapter())
    dtype = [r for r in results if r["behaviour"] == "dtype" and r["check"] ==
             "weight-dtype-after"]
    assert dtype and dtype[0]["outcome"] == "error"


def test_unsupported_inside_observe_is_unsupported(monkeypatch):
    class NoEager(ReferenceAdapter):
        def build_eager(self, arch):
            raise Unsupported("build_eager", "no eager layers; considered X and Y")
    b = next(b for b in load_catalogue() if b.id == "eager-required")
    results = runner.run_behaviour(b, NoEager())
    assert {r["outcome"] for r in results} == {"unsupported"}
    assert "no eager layers" in results[0]["message"]


def test_framework_error_in_a_setup_step_is_a_finding_once(monkeypatch):
    """A setup step no check observes raises: the first check that needs it diverges
    (``raises:<kind> at <step>``), the next is n/a naming that check -- never a
    silent n/a."""
    def scenario(fw, rec):
        setup = rec.step("setup", lambda: fw.read_param(fw.build(MLP), "0.weight"))
        rec.record("a", "ok", needs=setup)
        rec.record("b", "ok", needs=setup)
    monkeypatch.setitem(runner.SCENARIOS, "demo", scenario)
    b = Behaviour("demo", 0, "t", "s", {}, (Check("a", "d", "ok"), Check("b", "d", "ok")), "x")
    a, second = runner.run_behaviour(b, ReferenceAdapter())
    assert (a["outcome"], a["observed"]) == ("diverges", "raises:no-value at setup")
    assert (second["outcome"], second["cause"]) == ("n/a", {"check": "a"})


def test_report_cell_says_fix_the_adapter():
    from reports.build import cell_notes
    from reports.scoring import worst
    _, results = run_all(IgnoresInit())
    first = [r for r in results if r["behaviour"] == "first-forward-inits"]
    assert worst([r["outcome"] for r in first]) == "blocked"
    assert any(n.startswith("adapter fault (construction-") and "fix the adapter" in n
               for n in cell_notes(first))


class CoreOnly(ReferenceAdapter):
    """Maps the contract's core only: no optional group."""
    groups = ()


def test_core_only_adapter_gets_na_naming_the_group_never_an_error():
    s, results = run_all(CoreOnly())
    assert not [r for r in results if r["outcome"] in ("error", "blocked", "diverges")]
    na = {r["cause"]["capability"] for r in results
          if r["outcome"] == "n/a" and "capability" in (r.get("cause") or {})}
    assert {"group:training", "group:copy", "group:compile-cast", "group:abstract"} <= na
    trained = [r for r in results if r["behaviour"] == "optimizer-before-init"]
    assert {r["outcome"] for r in trained} == {"n/a"}
    assert s.selftests["sgd-step"]["outcome"] == "unsupported"
    assert s.as_json()["framework"]["groups"] == []


def test_a_declared_group_must_be_mapped_whole():
    from adapters import AdapterLoadError, check_contract
    from adapters.stub import StubAdapter

    class Claims(StubAdapter):
        groups = ("training",)
    with pytest.raises(AdapterLoadError, match="misses operation.*make_optimizer"):
        check_contract(Claims)
    check_contract(StubAdapter)   # the core alone loads


def test_a_machine_without_the_devices_is_n_a_naming_it():
    """A check needing 2 devices on a machine with 1 (``PlatformLacks``) is n/a naming
    ``platform:<what>``, never a finding."""
    from adapters.interface import PlatformLacks

    class OneDevice(ReferenceAdapter):
        def shard_init(self, arch, input_shape, seed):
            raise PlatformLacks("devices", "1 device, 2 needed")

    b = next(b for b in load_catalogue() if b.id == "sharded-init-equals-whole")
    results = runner.run_behaviour(b, OneDevice())
    assert {r["outcome"] for r in results} == {"n/a"} and len(results) == 3, results
    assert all("platform:devices" in json.dumps(r) for r in results), results


def test_an_adapter_bug_in_a_shard_child_is_an_error_not_a_finding(tmp_path):
    """``shard_init`` runs in child processes: a plain Python error raised there by
    the repository's own code comes back as that error, the adapter's bug (outcome
    ``error``); the framework's own error stays a finding."""
    from adapters.shard_process import ShardProcessError, child_main, raise_result
    from adapters.bugs import is_harness_bug

    def outcome(work):
        req, out = tmp_path / "request.pkl", tmp_path / "result.pkl"
        req.write_bytes(pickle.dumps({}))
        child_main([str(req), str(out)], work)
        try:
            raise_result(pickle.loads(out.read_bytes()))
        except Exception as exc:  # noqa: BLE001 - what the parent raises
            return exc

    typo = outcome(lambda request: request.no_such_attribute)
    assert isinstance(typo, AttributeError) and is_harness_bug(typo)
    framework = outcome(lambda request: json.loads("{"))
    assert isinstance(framework, ShardProcessError) and not is_harness_bug(framework)


def _pickles_a_closure(request):
    return pickle.dumps(_closure())         # C code (_pickle) refuses: the framework's


def _misuses_a_builtin(request):
    return len(None)                        # a builtin misused: the adapter's bug


def _typo(request):
    return request.no_such_attribute        # the adapter's own statement: its bug


def _wrong_arity(request):
    return _closure()(1)                    # a call with wrong arguments: its bug


def _framework_error(request):
    return json.loads("{")                  # not a plain Python error: the framework's


@pytest.mark.parametrize("work, bug", [(_pickles_a_closure, False), (_misuses_a_builtin, True),
                                       (_typo, True), (_wrong_arity, True),
                                       (_framework_error, False)])
def test_an_error_gets_one_verdict_in_the_recorder_and_in_a_shard_child(tmp_path, work, bug):
    """One judge (``adapters/bugs.py``): what the recorder calls the adapter's bug a
    shard child reports as one, and what it observes as the framework's the child does."""
    from adapters.shard_process import child_main
    rec = Recorder(ReferenceAdapter())
    try:
        rec.step("work", lambda: work({}))
        recorder_bug = False
    except Exception:  # noqa: BLE001 - the recorder re-raises an adapter bug
        recorder_bug = True
    req, out = tmp_path / "request.pkl", tmp_path / "result.pkl"
    req.write_bytes(pickle.dumps({}))
    child_main([str(req), str(out)], work)
    child_bug = "bug" in pickle.loads(out.read_bytes())
    assert (recorder_bug, child_bug) == (bug, bug)
