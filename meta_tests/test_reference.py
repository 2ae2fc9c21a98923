"""Every check conforms on the reference semantics, and every check can fail:
for each check some broken variant (mutation) of the reference adapter makes it
diverge *on its own comparison* -- a mutation that only crashes a setup step (the
observation ``raises:<kind> at <step>``: the property was never compared) kills
nothing."""
from __future__ import annotations

import re

import pytest

from adapters.reference import MUTATIONS, ReferenceAdapter
from conformance.runner import run_behaviour


#: the observation of a framework error in a setup step no check observes
AT_STEP = re.compile(r"^raises:[\w-]+ at ")


def outcome(r: dict) -> str:
    """``killed`` for a divergence of the check's own comparison; a setup step's crash
    (``raises:<kind> at <step>``) is ``crashed-setup``; else the outcome."""
    if r["outcome"] != "diverges":
        return r["outcome"]
    return "crashed-setup" if AT_STEP.match(str(r["observed"])) else "killed"


@pytest.fixture(scope="module")
def mutation_outcomes(catalogue):
    """{(behaviour, check): {mutation: outcome}}"""
    table = {}
    for m in MUTATIONS:
        fw = ReferenceAdapter(mutations=[m])
        for b in catalogue:
            for r in run_behaviour(b, fw):
                table.setdefault((b.id, r["check"]), {})[m] = outcome(r)
    return table


def test_reference_conforms_everywhere(catalogue):
    fw = ReferenceAdapter()
    bad = [(r["behaviour"], r["check"], r["outcome"], r["observed"], r["message"])
           for b in catalogue for r in run_behaviour(b, fw) if r["outcome"] != "conforms"]
    assert bad == []


def test_every_check_is_killed_by_some_mutation(catalogue, mutation_outcomes):
    survivors = [f"{b.id}/{c.id}" for b in catalogue for c in b.checks
                 if "killed" not in mutation_outcomes[(b.id, c.id)].values()]
    assert survivors == [], "checks no broken reference variant can make diverge"


def test_every_mutation_kills_some_check(mutation_outcomes):
    useless = [m for m in MUTATIONS
               if all(row[m] != "killed" for row in mutation_outcomes.values())]
    assert useless == []


def test_mutations_never_break_the_harness(mutation_outcomes):
    errors = [(key, m) for key, row in mutation_outcomes.items()
              for m, outcome in row.items() if outcome == "error"]
    assert errors == []


def test_unknown_mutation_is_rejected():
    with pytest.raises(ValueError, match="unknown mutation"):
        ReferenceAdapter(mutations=["no-such-thing"])


def test_a_setup_crash_is_no_kill():
    assert outcome({"outcome": "diverges", "observed": "raises:other at first data"}) == \
        "crashed-setup"
    assert outcome({"outcome": "diverges", "observed": "raises:shape-mismatch"}) == "killed"
    assert outcome({"outcome": "diverges", "observed": [256, 20]}) == "killed"
