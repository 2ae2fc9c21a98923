"""One test per behaviour of spec/, parametrised over its checks.

Outcomes map to pytest as: conforms -> pass; diverges -> xfail (a finding);
unsupported -> skip (a finding); error -> fail (the harness or adapter broke).
"""
from __future__ import annotations

import pytest

from spec.catalogue import load_catalogue


def settle(r: dict) -> None:
    """Turn one check result into its pytest outcome, with a precise message."""
    where = f"{r['behaviour']}/{r['check']}"
    if r["outcome"] == "diverges":
        pytest.xfail(f"{where} diverges: expected {r['expected']!r}, observed "
                     f"{r['observed']!r}" + (f" ({r['message']})" if r["message"] else ""))
    if r["outcome"] == "unsupported":
        pytest.skip(f"{where} unsupported: {r['message']}")
    if r["outcome"] == "error":
        pytest.fail(f"{where} error: {r['message']}\n{r.get('traceback', '')}", pytrace=False)


def _behaviour_test(behaviour):
    @pytest.mark.parametrize("check", [c.id for c in behaviour.checks])
    def test(check, lazyinit):
        settle(lazyinit.result(behaviour.id, check))

    test.__name__ = "test_" + behaviour.id.replace("-", "_")
    test.__doc__ = f"{behaviour.id}: {behaviour.title}"
    return test


for _b in load_catalogue():
    globals()[f"test_{_b.id.replace('-', '_')}"] = _behaviour_test(_b)
