"""One difference, one finding: every non-conforming check of this run names exactly
one difference of ``conformance/differences/<framework>.toml``, and every difference
explains at least one non-conforming check of this run.

Runs after ``test_behaviours.py`` (file order) and runs any behaviour not run yet,
except those left out by their marker: a difference that explains only their
checks is not judged in such a run.
"""
from __future__ import annotations

from adapters.interface import family_of
from conformance.differences import NON_CONFORMING


def _results(lazyinit):
    return [lazyinit.result(b.id, c.id) for b in lazyinit.behaviours
            for c in b.checks_for(family_of(lazyinit.fw))]


def _judged(lazyinit) -> list:
    """The differences that explain a check of a behaviour this run does not leave out."""
    return [d for d in lazyinit.differences.items
            if any(c.split("/")[0] not in lazyinit.left_out for c in d.explains)]


def _is_claim(lazyinit, r) -> bool:
    return bool(next(b for b in lazyinit.catalogue if b.id == r["behaviour"])
                .check(r["check"]).quote)


def test_every_nonconforming_check_is_attributed(lazyinit):
    faulty = sorted({f for r in _results(lazyinit) if r["outcome"] == "blocked"
                     for f in r.get("fault", [])})
    assert not faulty, (f"adapter fault(s) {', '.join(faulty)} block checks of this run: fix "
                        "the adapter (test_adapter_selftest.py says what it ignored); an "
                        "adapter's bug is never written down as a difference")
    loose = [f"{r['behaviour']}/{r['check']} ({r['outcome']})" for r in _results(lazyinit)
             if r["outcome"] in NON_CONFORMING and not r.get("difference")
             and not _is_claim(lazyinit, r)]
    assert not loose, (f"{len(loose)} non-conforming check(s) name no difference: add them to "
                       f"`explains` of a difference in {lazyinit.differences.path.name}: "
                       + "; ".join(loose))


def test_every_difference_explains_something(lazyinit):
    results = {f"{r['behaviour']}/{r['check']}": r for r in _results(lazyinit)}
    blocked = {c for c, r in results.items() if r["outcome"] == "blocked"}
    results = {c: r for c, r in results.items() if c not in blocked}  # judged once fixed
    idle = [d.id for d in _judged(lazyinit) if not blocked & set(d.explains)
            and not any(results.get(c, {}).get("outcome") in NON_CONFORMING for c in d.explains)]
    assert not idle, f"difference(s) that explain no non-conforming check of this run: {idle}"
    stale = [f"{d.id}: {c} ({results[c]['outcome']})" for d in _judged(lazyinit)
             for c in d.explains if c in results
             and results[c]["outcome"] not in NON_CONFORMING]
    assert not stale, "differences explain checks that did not diverge here: " + "; ".join(stale)


def test_explained_checks_exist(lazyinit):
    known = {f"{b.id}/{c.id}" for b in lazyinit.catalogue for c in b.checks}
    unknown = [(d.id, c) for d in lazyinit.differences.items for c in d.explains
               if c not in known]
    assert not unknown, f"differences explain checks the catalogue does not have: {unknown}"
