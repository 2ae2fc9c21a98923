"""adapters/: the contract is enforced at load time (every operation with its declared
signature); selection errors are one line."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import numpy as np
import pytest

import adapters
from adapters import AdapterLoadError, check_contract
from adapters.interface import CHANGES, CONTRACT_VERSION, CORE, OPERATIONS, Adapter
from adapters.reference import ReferenceAdapter
from adapters.signatures import DECLARED, difference, mismatches
from conformance.vacuity import Perturbed
from meta_tests.adapter_sources import adapter_classes, methods, signature

REPO = Path(__file__).resolve().parents[1]


def test_reference_satisfies_the_contract():
    check_contract(ReferenceAdapter)
    assert adapters.load("reference").name == "reference"


def test_missing_operation_is_named():
    class Half(ReferenceAdapter):
        pass
    Half.forward = Adapter.forward
    with pytest.raises(AdapterLoadError, match=r"misses operation\(s\): forward"):
        check_contract(Half)


def test_every_operation_is_documented():
    for op in OPERATIONS:
        assert getattr(Adapter, op).__doc__, op


def test_capabilities_must_be_declared_with_known_values():
    class Undeclared(ReferenceAdapter):
        capabilities = {}
    with pytest.raises(AdapterLoadError, match="does not declare capabilities"):
        check_contract(Undeclared)

    class Odd(ReferenceAdapter):
        capabilities = {**ReferenceAdapter.capabilities, "init_step": "sometimes"}
    with pytest.raises(AdapterLoadError, match="init_step='sometimes'"):
        check_contract(Odd)


def test_stub_satisfies_the_contract():
    from adapters.stub import StubAdapter
    check_contract(StubAdapter)


def test_unknown_framework_is_one_line():
    with pytest.raises(AdapterLoadError) as err:
        adapters.load("caffe")
    assert "unknown framework 'caffe'" in str(err.value) and "\n" not in str(err.value)


def test_framework_not_installed_names_the_env(monkeypatch):
    monkeypatch.setitem(adapters.MODULES, "ghost", "adapters.no_such_module_here")
    with pytest.raises(AdapterLoadError, match="tox -e ghost"):
        adapters.load("ghost")


# -- one declaration per operation (adapters/signatures.py) ---------------------------
class Renamed(ReferenceAdapter):
    def copy(self, net, how):
        return super().copy(net, how)


class Missing(ReferenceAdapter):
    def build(self, arch, input_shape=None, weight_init=None):
        return super().build(arch, input_shape, weight_init)


class OtherDefault(ReferenceAdapter):
    def freeze(self, state, target, way=None):
        return super().freeze(state, target, way or "layer")


class Extra(ReferenceAdapter):
    def forward(self, state, x, training=False):
        return super().forward(state, x)


class KeywordOnly(ReferenceAdapter):
    def reinitialize(self, state, init, *, target=None):
        return super().reinitialize(state, init, target)


@pytest.mark.parametrize("adapter, found, why", [
    (Renamed, "copy(self, net, how)", "parameter 2 is 'net', declared 'state'"),
    (Missing, "build(self, arch, input_shape=None, weight_init=None)",
     "parameter 'bias_init' is missing"),
    (OtherDefault, "freeze(self, state, target, way=None)",
     "'way' has default None, declared default 'layer'"),
    (Extra, "forward(self, state, x, training=False)", "extra parameter(s) 'training'"),
    (KeywordOnly, "reinitialize(self, state, init, *, target=None)",
     "'target' is keyword-only, declared positional or keyword"),
])
def test_an_operation_unlike_its_declaration_is_refused(adapter, found, why):
    """Which adapter, which operation, what was found and what is declared, and what
    to do: one sentence."""
    with pytest.raises(AdapterLoadError) as err:
        check_contract(adapter)
    message = str(err.value)
    assert message.startswith(f"adapter {__name__}.{adapter.__name__} ({__file__}): "
                              f"operation {found}: {why}; expected "), message
    assert "(adapters/interface.py Adapter." in message and \
        message.endswith("write its parameters as declared")


def test_every_in_repo_adapter_follows_the_declarations():
    """Read from the source (the frameworks are not installed here): every operation
    an adapter class of adapters/ defines has the declared signature, judged by the
    function check_contract uses."""
    judged, wrong = 0, []
    for path, cls in adapter_classes():
        for op, f in methods(cls).items():
            if op in DECLARED:
                assert not f.decorator_list, f"{path.name} {cls.name}.{op}: decorated"
                why = difference(op, signature(f))
                wrong += [f"{path.name} {cls.name}.{op}: {why}"] if why else []
                judged += 1
    assert not wrong, wrong
    assert judged > 8 * len(CORE)   # every shipped adapter's operations were read


def test_the_stub_and_the_perturbations_show_the_declarations():
    from adapters.stub import StubAdapter
    generated = [op for op in CORE if hasattr(getattr(StubAdapter, op), "__wrapped__")]
    assert len(generated) == len(CORE) - 3 and mismatches(StubAdapter) == []
    assert all(inspect.signature(getattr(StubAdapter, op)) == DECLARED[op] for op in generated)
    defined = [op for op in OPERATIONS if op in vars(Perturbed)]
    assert len(defined) > 30 and mismatches(Perturbed) == []
    assert all(inspect.signature(getattr(Perturbed, op)) == DECLARED[op] for op in defined)


class Recording:
    """Every operation records the arguments it got, by name, and returns a value of
    the kind the contract says."""
    name, capabilities, groups = "recording", {}, ()
    returns = {"forward": (np.zeros(1), "state"), "param_ids": ["0.weight"],
               "param_shape": (1,), "read_param": np.zeros(1), "layout": "NCHW",
               "backward_sum": {}, "nested_lookup": "0.weight", "native_name": "w",
               "select_params": [], "count_params": 1, "memory_bytes": 4,
               "shard_init": {"whole": {}, "shards": {}}}

    def __init__(self):
        self.got = {}

    def __getattr__(self, op):
        def operation(*args, **kwargs):
            call = DECLARED[op].bind(self, *args, **kwargs)
            call.apply_defaults()
            self.got[op] = dict(list(call.arguments.items())[1:])
            return self.returns.get(op, "state")
        return operation


def test_a_perturbation_forwards_every_declared_argument():
    """A perturbed operation hands the adapter what it was called with, each argument
    under its declared name (an optional one included), without restating them."""
    fw = Recording()
    wrapped = Perturbed(fw, "none")
    for op in [op for op in OPERATIONS if op in vars(Perturbed)]:
        params = list(DECLARED[op].parameters)[1:]
        values = {p: (f"{op}:{p}" if p != "arch" else (f"{op}:{p}",)) for p in params}
        getattr(wrapped, op)(**values)
        assert fw.got[op] == values, op


#: prose naming a contract version by its number: "contract" (or "contract version")
#: then a number, or a "v" and a number before "operations", "adapter" or "contract"
_VERSION_PROSE = re.compile(r"\bcontract(?:'s)?\W+(?:version\W+)?v?\d|"
                            r"\bv\d+(?:'s)?\s+(?:operations|adapters?|contract)\b", re.I)


def test_the_contract_version_is_stated_only_as_the_constant():
    """Code and docs name ``CONTRACT_VERSION`` (its history: ``CHANGES``), never a
    number of their own that the next version leaves stale."""
    texts = [REPO / "README.md", *(REPO / "docs").rglob("*.md")] + [
        p for d in ("adapters", "conformance", "spec", "reports", "bench", "meta_tests")
        for p in (REPO / d).rglob("*.py")]
    stated = [f"{p.relative_to(REPO)}:{n}: {m.group(0)}" for p in texts
              for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
              for m in [_VERSION_PROSE.search(line)] if m]
    assert not stated, stated
    assert CONTRACT_VERSION == max(CHANGES)
