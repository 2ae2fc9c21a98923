"""Each behaviour's ``operations`` field lists exactly the adapter operations its
scenario calls (measured on the reference adapter), so the spec documents what
an adapter must provide for it."""
from __future__ import annotations

from adapters.interface import OPERATIONS
from adapters.reference import ReferenceAdapter
from conformance.runner import run_behaviour

PLUMBING = {"seed", "classify_error"}  # every scenario may use these


def spy_class(calls: set):
    def wrap(op):
        method = getattr(ReferenceAdapter, op)

        def spied(self, *args, **kwargs):
            calls.add(op)
            return method(self, *args, **kwargs)
        return spied

    return type("Spy", (ReferenceAdapter,), {op: wrap(op) for op in OPERATIONS})


def test_declared_operations_match_the_scenarios(catalogue):
    wrong = {}
    for b in catalogue:
        calls = set()
        run_behaviour(b, spy_class(calls)())
        if sorted(calls - PLUMBING) != sorted(b.operations):
            wrong[b.id] = {"declared": sorted(b.operations), "called": sorted(calls - PLUMBING)}
    assert wrong == {}
