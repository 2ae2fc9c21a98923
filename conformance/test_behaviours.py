"""One test per behaviour of spec/, an item per check (``conformance.items``: the
node ids of a parametrised test, ``test_<behaviour>[<check>]``).

Outcomes map to pytest as: conforms -> pass; diverges -> xfail (a finding);
unsupported -> skip (a finding); error -> fail (the harness or adapter broke);
blocked -> fail (an adapter self-test failed: fix the adapter, it is no finding).
Each outcome is first judged against the env's expectations file: an outcome
other than the expected one (``conforms`` when the file does not list the
check) fails with one line, ``torch b/c: expected diverges, got conforms``.
"""
from __future__ import annotations

import pytest

from conformance.conftest import SESSION, TALLY
from conformance.items import Results
from spec.catalogue import load_catalogue


def settle(r: dict, verdict=None) -> None:
    """Turn one check result, and its verdict against the expectations (if
    given), into its pytest outcome, with a precise message."""
    where = f"{r['behaviour']}/{r['check']}"
    if r["outcome"] == "error":
        pytest.fail(f"{where} error: {r['message']}\n{r.get('traceback', '')}", pytrace=False)
    if r["outcome"] == "blocked":
        pytest.fail(f"{where} blocked: {r['message']}", pytrace=False)
    if r["outcome"] in ("crash", "timeout"):
        pytest.fail(f"{where} {r['outcome']}: {r['message']}", pytrace=False)
    if verdict is not None and not verdict.matched:
        pytest.fail(verdict.line(), pytrace=False)
    known = f" [expected: {verdict.entry.reason}]" if verdict and verdict.entry else ""
    if r["outcome"] == "diverges":   # pytest.xfail, without the traceback it would format
        raise pytest.xfail.Exception(
            f"{where} diverges: expected {r['expected']!r}, observed {r['observed']!r}"
            + (f" ({r['message']})" if r["message"] else "") + known, pytrace=False)
    if r["outcome"] == "unsupported":
        pytest.skip(f"{where} unsupported: {r['message']}{known}")


def _settle_check(behaviour_id: str):
    def settle_check(config, check: str) -> None:
        s, tally = config.stash[SESSION], config.stash[TALLY]
        r = s.result(behaviour_id, check)
        settle(r, tally.judge(r))
    return settle_check


for _b in load_catalogue():
    globals()[f"test_{_b.id.replace('-', '_')}"] = Results(
        [c.id for c in _b.checks], _settle_check(_b.id), marker=_b.marker,
        doc=f"{_b.id}: {_b.title}")
