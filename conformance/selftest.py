"""Running the adapter self-tests (``conformance/selftests``) on the selected adapter
before any behaviour: ``run_selftest`` gives one record, ``faults`` the failed ones.

Outcomes: ``passed``; ``fault`` (the adapter breaks the contract: every check whose
observation used what the self-test covers ends ``blocked``); ``unsupported`` (an
optional group the adapter does not map, or refuses with a reason); ``n/a`` (an
element the system does not declare, the machine lacks a device, or the framework
refuses the premise even after the first data); ``left-out`` (its marker's
behaviours do not run). Only ``fault`` blocks anything.
"""
from __future__ import annotations

from adapters.interface import ELEMENTS, GROUP_OF, MissingGroup, Unsupported, groups_of
from conformance.recorder import exc_line, harness_trace
from conformance.runner import ScenarioTimeout, time_limit
from conformance.selftests import SELFTESTS, Fault, Premise, SelfTest
from conformance.uses import Traced

__all__ = ["SELFTESTS", "run_selftest", "faults"]


def _not_run(fw, t: SelfTest, left_out_markers) -> dict | None:
    """Why ``t`` does not run on ``fw``, as ``{"outcome", "message"}``, or None."""
    if t.marker and t.marker in left_out_markers:
        return {"outcome": "left-out", "message": f"marker {t.marker} not selected"}
    missing = sorted({GROUP_OF[op] for op in (u.split("(")[0] for u in t.covers)
                      if op in GROUP_OF} - set(groups_of(fw)))
    if missing:   # a group the adapter does not map: nothing to test
        return {"outcome": "unsupported",
                "message": f"needs group {', '.join(missing)}; {fw.name} does not map it"}
    declared = getattr(fw, "elements", ELEMENTS)
    lacking = [e for e in ELEMENTS if f"arch[{e}]" in t.covers and e not in declared]
    if lacking:
        return {"outcome": "n/a", "message": f"needs arch:{lacking[0]}; {fw.name} declares "
                "no such element"}
    return None


def run_selftest(fw, t: SelfTest, timeout=None, clock=None, left_out_markers=(),
                 used: set | None = None, memo: dict | None = None) -> dict:
    """``{"outcome", "message", "covers"}`` of self-test ``t`` (module doc); a plain
    exception or running past ``timeout`` seconds is a fault too. The self-test sees
    the adapter through ``Traced`` (as a scenario does): with a ``clock``
    (``conformance.uses.Clock``) the wall time inside the adapter's operations
    accumulates there; the uses it makes are added to ``used``; an ``Unsupported``
    from a core operation is a fault; ``memo``: the run's ``Traced`` memo."""
    record = {"covers": list(t.covers)}
    skipped = _not_run(fw, t, left_out_markers)
    if skipped:
        return {**record, **skipped}
    traced = Traced(fw, (used if used is not None else set()).add, clock, memo)
    traced.seed(1)
    try:
        with time_limit(timeout):
            t.fn(traced)
        record.update(outcome="passed", message="")
    except Unsupported as exc:
        refused = getattr(exc, "refusal", None)
        record.update(outcome="fault" if refused else "unsupported",
                      message=refused or str(exc))
    except (MissingGroup, Premise) as exc:   # an element, a device: nothing to test here
        record.update(outcome="n/a", message=str(exc))
    except Fault as exc:
        record.update(outcome="fault", message=str(exc))
    except ScenarioTimeout as exc:
        record.update(outcome="fault", message=f"{t.name}: {exc}")
    except Exception as exc:  # noqa: BLE001 - what every shipped framework does
        record.update(outcome="fault", message=f"{t.name} raised {exc_line(exc)}; every "
                      "shipped framework passes it", traceback=harness_trace(exc))
    return record


def faults(selftests: dict) -> dict:
    """``{name: (covered uses, sentence)}`` of the failed self-tests."""
    return {n: (frozenset(r["covers"]), r["message"]) for n, r in selftests.items()
            if r["outcome"] == "fault"}
