"""Run one behaviour's scenario on an adapter and turn observations into outcomes.

Outcomes (never folded into one another):
``conforms`` observed == expected; ``diverges`` observed != expected (both kept);
``unsupported`` no native API (reason kept); ``error`` the harness or adapter
itself broke (traceback kept); ``timeout`` the scenario ran past its limit;
``crash`` the process died in it (recorded by ``conformance.supervise``);
``n/a`` the check's premise is a capability the framework declares it lacks, or a
premise another check observed (the cause names it): never counted as a pass or as
a divergence; ``blocked`` the observation used what a failed adapter self-test
covers (``conformance/selftests``): an adapter fault, never the framework's.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from adapters.interface import MissingGroup, Unsupported, family_of
from conformance.recorder import Observation, Recorder, exc_line, harness_trace, normalize
from conformance.scenarios import SCENARIOS
from conformance.uses import Traced

from conformance.seed import SEED


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
            "message": obs.message, **({"traceback": obs.trace} if obs.trace else {}),
            **({"cause": obs.cause} if obs.cause else {})}


class ScenarioTimeout(BaseException):
    """Raised into a scenario that ran past its time limit (not an Exception, so
    no ``except Exception`` inside a scenario or framework swallows it)."""


@contextmanager
def time_limit(seconds):
    """Raise ScenarioTimeout after ``seconds`` (SIGALRM; main thread, POSIX only).
    A hang inside native code that never returns to Python is left to the
    supervisor's hard limit (``conformance.supervise``)."""
    usable = seconds and hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise ScenarioTimeout(f"no result after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def blocked(r: dict, uses: set, faults: dict, refusals: dict | None = None) -> dict:
    """``r`` as outcome ``blocked`` when one of its ``uses`` is covered by a failed
    self-test of ``faults`` (``{name: (covers, sentence)}``), or is a core operation
    the adapter refused (``refusals``: ``{"refused:<op>": sentence}``, from
    ``Traced``); errors stay errors."""
    hit = [name for name, (covers, _) in faults.items() if covers & uses]
    refused = sorted(u for u in uses if u in (refusals or {}))
    if not (hit or refused) or r["outcome"] in ("error", "crash", "timeout"):
        return r
    why = faults[hit[0]][1] if hit else refusals[refused[0]]
    return {**r, "outcome": "blocked", "observed": None, "fault": hit + refused,
            "message": f"adapter fault ({', '.join(hit + refused)}): {why}; fix the "
                       f"adapter (was {r['outcome']})"}


def run_behaviour(behaviour, fw, timeout=None, faults=None, clock=None, memo=None) -> list:
    """All check results of ``behaviour`` on adapter ``fw``, in spec order;
    ``timeout`` seconds bound the scenario (outcome ``timeout`` past it);
    ``faults``: the failed adapter self-tests (``conformance.selftest.faults``);
    ``clock`` (``conformance.uses.Clock``): accumulates the wall time spent inside
    the adapter's operations (the framework's calls; ``Session``: framework_seconds);
    ``memo``: the run's ``Traced`` memo (``shard_init`` once per arguments)."""
    checks = behaviour.checks_for(family_of(fw))
    rec = Recorder(fw, checks)
    abort = None
    traced = Traced(fw, rec.use, clock, memo)
    scenario = SCENARIOS.get(behaviour.id)
    try:
        if scenario is None:
            raise LookupError(f"no scenario for behaviour {behaviour.id!r} in conformance/scenarios/")
        with time_limit(timeout):
            if clock is None:
                fw.seed(SEED)
            else:
                clock.call(fw.seed, (SEED,))
            scenario(traced, rec)
    except ScenarioTimeout as exc:
        abort = Observation(message=f"timeout: {exc}", outcome="timeout")
    except SystemExit as exc:
        abort = Observation(message=f"SystemExit({exc.code}) raised in the scenario",
                            outcome="crash")
    except MissingGroup as exc:
        abort = Observation(message=str(exc), outcome="n/a", cause={"capability": exc.premise})
    except Unsupported as exc:
        abort = Observation(message=str(exc), outcome="unsupported")
    except Exception as exc:  # noqa: BLE001 - reported as outcome "error"
        abort = Observation(message=exc_line(exc), outcome="error", trace=harness_trace(exc))
    stray = sorted(set(rec.obs) - {c.id for c in behaviour.checks})
    out = []
    for check in checks:
        obs = rec.obs.get(check.id)
        if obs is None:
            obs = abort or Observation(message="scenario recorded nothing for this check",
                                       outcome="error")
        elif stray:
            obs = Observation(message=f"scenario recorded unknown check(s) {stray}",
                              outcome="error")
        r = blocked(result(behaviour, check, obs), rec.uses_of(check.id), faults or {},
                    traced.refusals)
        via = sorted({api for use, api in getattr(fw, "apis", {}).items()
                      if use in rec.uses_of(check.id)})
        out.append({**r, "via": via} if via else r)
    return out
