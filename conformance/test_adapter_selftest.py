"""Adapter contract tests: the selected adapter honours the contract on its real
framework (``conformance/selftests``: declared capabilities are true, initializer
requests reach what they name, the core operations round-trip).

They assert nothing about lazy initialization itself. A failure is an *adapter
fault*: one sentence names the operation and what it ignored, and every behaviour
check that used what the self-test covers ends ``blocked`` -- fix the adapter, not
the spec, and write no difference for it.
"""
from __future__ import annotations

import pytest

from conformance.conftest import SESSION
from conformance.items import Results
from conformance.selftest import SELFTESTS


def settle_selftest(config, name: str) -> None:
    r = config.stash[SESSION].selftests[name]
    if r["outcome"] in ("unsupported", "n/a", "left-out"):
        pytest.skip(f"{name} {r['outcome']}: {r['message']}")
    if r["outcome"] == "fault":
        pytest.fail(f"adapter fault ({name}): {r['message']}. Fix the adapter; the checks "
                    f"that use {', '.join(r['covers'])} are blocked until then."
                    + (f"\n{r['traceback']}" if r.get("traceback") else ""), pytrace=False)


#: an item per self-test (``conformance.items``): ``test_selftest[<name>]``
test_selftest = Results([t.name for t in SELFTESTS], settle_selftest,
                        doc="the adapter self-tests (conformance/selftests)")
