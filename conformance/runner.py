"""Run one behaviour's scenario on an adapter and turn observations into outcomes.

Outcomes (never folded into one another):
``conforms`` observed == expected; ``diverges`` observed != expected (both kept);
``unsupported`` no native API (reason kept); ``error`` the harness or adapter
itself broke (traceback kept).
"""
from __future__ import annotations

from adapters.interface import Unsupported
from conformance.results_file import OUTCOMES  # noqa: F401 - re-exported
from conformance.recorder import Observation, Recorder, exc_line, harness_trace, normalize
from conformance.scenarios import SCENARIOS

SEED = 20240101


def matches(check, observed) -> bool:
    expected = normalize(check.expected)
    if check.compare == "approx":
        try:
            return _close(expected, observed, check.tol)
        except (TypeError, ValueError):
            return False
    return expected == observed


def _close(a, b, tol) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], tol) for k in a)
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    return abs(float(a) - float(b)) <= tol


def result(behaviour, check, obs: Observation) -> dict:
    if obs.outcome:
        outcome = obs.outcome
    else:
        outcome = "conforms" if matches(check, obs.value) else "diverges"
    return {"behaviour": behaviour.id, "check": check.id, "outcome": outcome,
            "expected": normalize(check.expected),
            "observed": obs.value if not obs.outcome else None,
            "message": obs.message, **({"traceback": obs.trace} if obs.trace else {})}


def run_behaviour(behaviour, fw) -> list:
    """All check results of ``behaviour`` on adapter ``fw``, in spec order."""
    rec = Recorder(fw)
    abort = None
    scenario = SCENARIOS.get(behaviour.id)
    try:
        if scenario is None:
            raise LookupError(f"no scenario for behaviour {behaviour.id!r} in conformance/scenarios/")
        fw.seed(SEED)
        scenario(fw, rec)
    except Unsupported as exc:
        abort = Observation(message=str(exc), outcome="unsupported")
    except Exception as exc:  # noqa: BLE001 - reported as outcome "error"
        abort = Observation(message=exc_line(exc), outcome="error", trace=harness_trace(exc))
    spec_ids = {c.id for c in behaviour.checks}
    stray = sorted(set(rec.obs) - spec_ids)
    out = []
    for check in behaviour.checks:
        obs = rec.obs.get(check.id)
        if obs is None:
            obs = abort or Observation(message="scenario recorded nothing for this check",
                                       outcome="error")
        elif stray:
            obs = Observation(message=f"scenario recorded unknown check(s) {stray}",
                              outcome="error")
        out.append(result(behaviour, check, obs))
    return out
