"""Every operation of the contract, every variant of its arguments (``copy(pickle)``,
``freeze(layer)``, ``reinitialize(target=parameter)``, ``init(xavier)``...), every
architecture element and every capability is covered by an adapter self-test
(``conformance/selftests``), and a self-test covers only what it really uses."""
from __future__ import annotations

import warnings

import pytest

from adapters.interface import CAPABILITIES, CORE, GROUPS, INIT_KINDS, OPERATIONS
from adapters.reference import ReferenceAdapter
from conformance.selftest import SELFTESTS, run_selftest
from conformance.uses import VARIANTS, vocabulary


def uncovered(selftests, uses) -> list:
    covered = set().union(*(t.covers for t in selftests))
    return sorted(set(uses) - covered)


def test_every_use_the_harness_can_trace_is_covered():
    assert uncovered(SELFTESTS, vocabulary()) == []


def test_the_vocabulary_holds_every_operation_and_variant():
    vocab = vocabulary()
    assert set(CORE) | {op for ops in GROUPS.values() for op in ops} <= vocab
    assert {f"{op}({v})" for op, (_, values) in VARIANTS.items() for v in values} <= vocab
    assert {f"init({k})" for k in INIT_KINDS} | {f"capability:{c}" for c in CAPABILITIES} \
        <= vocab


def test_an_operation_added_without_a_selftest_is_uncovered():
    assert uncovered(SELFTESTS, vocabulary() | {"new_operation"}) == ["new_operation"]


@pytest.mark.parametrize("t", SELFTESTS, ids=[t.name for t in SELFTESTS])
def test_a_selftest_uses_what_it_covers(t):
    """On the reference adapter (which maps every group and declares every element),
    each covered operation or variant is really called."""
    used: set = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = run_selftest(ReferenceAdapter(), t, used=used)
    assert r["outcome"] == "passed", r
    claimed = {u for u in t.covers if not u.startswith("capability:")}
    assert claimed <= used, f"{t.name} covers {sorted(claimed - used)} but never uses them"
    assert all(u.split("(")[0].split("[")[0] in OPERATIONS or u.startswith(("arch[", "init("))
               for u in claimed)
