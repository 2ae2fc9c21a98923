"""Every check conforms on the reference semantics, and every check can fail:
for each check some broken variant (mutation) of the reference adapter makes it
diverge."""
from __future__ import annotations

import pytest

from adapters.reference import MUTATIONS, ReferenceAdapter
from conformance.runner import run_behaviour


@pytest.fixture(scope="module")
def mutation_outcomes(catalogue):
    """{(behaviour, check): {mutation: outcome}}"""
    table = {}
    for m in MUTATIONS:
        fw = ReferenceAdapter(mutations=[m])
        for b in catalogue:
            for r in run_behaviour(b, fw):
                table.setdefault((b.id, r["check"]), {})[m] = r["outcome"]
    return table


def test_reference_conforms_everywhere(catalogue):
    fw = ReferenceAdapter()
    bad = [(r["behaviour"], r["check"], r["outcome"], r["observed"], r["message"])
           for b in catalogue for r in run_behaviour(b, fw) if r["outcome"] != "conforms"]
    assert bad == []


def test_every_check_is_killed_by_some_mutation(catalogue, mutation_outcomes):
    survivors = [f"{b.id}/{c.id}" for b in catalogue for c in b.checks
                 if "diverges" not in mutation_outcomes[(b.id, c.id)].values()]
    assert survivors == [], "checks no broken reference variant can make diverge"


def test_every_mutation_kills_some_check(mutation_outcomes):
    useless = [m for m in MUTATIONS
               if all(row[m] != "diverges" for row in mutation_outcomes.values())]
    assert useless == []


def test_mutations_never_break_the_harness(mutation_outcomes):
    errors = [(key, m) for key, row in mutation_outcomes.items()
              for m, outcome in row.items() if outcome == "error"]
    assert errors == []


def test_unknown_mutation_is_rejected():
    with pytest.raises(ValueError, match="unknown mutation"):
        ReferenceAdapter(mutations=["no-such-thing"])
