"""Adapter self-tests: the contract's promises, checked on the selected adapter
before any behaviour. They assert nothing about lazy initialization -- only what
every shipped framework does through a correct adapter, mostly on a network that
has seen its first data (where lazy and eager semantics coincide): declared
capabilities are true, every operation and every variant (``copy(pickle)``,
``freeze(layer)``, ``init(xavier)``...) does what the framework shows directly.

Each self-test names the *uses* it covers (``conformance/uses.py``); together they
cover the whole vocabulary (``uses.vocabulary``; a meta test holds it). A failing
one is an **adapter fault**: every check whose observation used something it
covers ends ``blocked: adapter fault (<self-test>)`` -- never ``diverges`` or
``n/a`` charged to the framework. A self-test the adapter refuses (an optional
group's ``Unsupported``, a group it does not map, an element it does not declare)
blocks nothing: the checks then say so themselves.
"""
from conformance.selftests import contract, groups, initializers, lifecycle  # noqa: F401 (register)
from conformance.selftests.registry import SELFTESTS, Fault, Premise, SelfTest

__all__ = ["SELFTESTS", "Fault", "Premise", "SelfTest"]
