"""adapters/: the contract is enforced at load time; selection errors are one line."""
from __future__ import annotations

import pytest

import adapters
from adapters import AdapterLoadError, check_contract
from adapters.interface import OPERATIONS, Adapter
from adapters.reference import ReferenceAdapter


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
