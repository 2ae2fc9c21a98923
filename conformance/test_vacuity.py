"""Every check that does not end n/a can fail in this env: some perturbation of the
adapter (``conformance/vacuity.py``) changes its outcome or observation.

Costs one run of the catalogue per perturbation, so it runs with ``--vacuity``
(env ``LAZYINIT_VACUITY=1``; CI sets it). The survey goes into the results file
(``"vacuity"``: the perturbations that change each check) and the report.
"""
from __future__ import annotations

import pytest

from conformance.vacuity import survey


def test_every_check_can_fail_here(lazyinit, request):
    if not request.config.getoption("vacuity"):
        pytest.skip("vacuity survey not requested (--vacuity or LAZYINIT_VACUITY=1)")
    lazyinit.vacuity = survey(lazyinit.behaviours, lazyinit.fw)
    unable = sorted(c for c, kinds in lazyinit.vacuity.items() if not kinds)
    assert not unable, (f"{len(unable)} check(s) no perturbation changes in "
                        f"{lazyinit.env}: {unable}")
