"""Observations: what a scenario saw, per check id, before comparison.

A scenario calls ``rec.record(check, value)`` or ``rec.call(check, fn)``. ``call``
turns a raised framework error into the observation ``"raises:<kind>"`` (kind
from the adapter's ``classify_error``; the kinds meaning "no value yet" are judged
as one, ``no-value``, unless the check is about that distinction: spec ``detail``)
and keeps ``[kind] Class: first line`` as the message; ``Unsupported`` becomes
outcome ``unsupported`` wherever it is raised; a bug of the harness or of the
adapter (``adapters.bugs.is_harness_bug``) is ``error``.

What a check that needs a step which did not run becomes (the rule the docs state,
docs/writing-an-adapter.md "Verdicts"):

* ``n/a`` only when its premise is a capability the adapter declares it lacks
  (spec ``requires``), or a premise *another check of the behaviour observed* (a
  failed ``call``, or ``premise``): that check carries the finding, the n/a names it;
* ``unsupported`` when the adapter refused a step it needs (``Unsupported``);
* a framework exception in a setup step that no check observes is a finding: the
  first check that needs it is ``diverges`` with the observation
  ``raises:<kind> at <step>``, the later ones are ``n/a`` naming that check;
* whatever a failed adapter self-test covers ends ``blocked`` instead (the runner
  decides from the *uses* the recorder traces per check: ``Recorder.uses_of``).
"""
from __future__ import annotations

import re
import traceback
from dataclasses import dataclass

import numpy as np

from adapters.bugs import adapter_files, is_harness_bug
from adapters.interface import (NO_VALUE_KINDS, MissingGroup, Unsupported, premise_holds,
                                requirement_capability)

RAISES = "raises:"
UNKNOWN_DIM = "?"


def normalize(value):
    """JSON-ready, comparable form: tuples -> lists, None -> "?", numpy -> python."""
    if value is None:
        return UNKNOWN_DIM
    if isinstance(value, np.ndarray):
        return normalize(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    return value


def exc_line(exc: BaseException) -> str:
    """``Class: first line of the message`` (at most 300 characters, no colours)."""
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    # MXNet's C++ errors start with a traceback; their message is the last line
    if lines and lines[0].startswith("Exception encountered when calling"):
        lines = lines[1:] or lines  # Keras wraps the real message in a call context
    first = (lines[-1] if lines[0].startswith("Traceback") else lines[0]) if lines else ""
    first = re.sub(r"\x1b\[[0-9;]*m", "", first)  # Keras colours its messages
    return stable(f"{type(exc).__name__}: {first}")[:300]


def stable(text: str) -> str:
    """Drop object addresses (`` at 0x7f..``) so messages compare across runs."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", text)


def raised(kind: str) -> str:
    """The observation of an error of ``kind``: the kinds meaning "no value yet"
    fold into ``raises:no-value``."""
    return RAISES + ("no-value" if kind in NO_VALUE_KINDS else kind)


@dataclass
class Observation:
    value: object = None
    message: str = ""
    outcome: str = ""       # forced outcome: "unsupported", "n/a" or "error"; "" = compare
    trace: str = ""
    cause: dict | None = None   # n/a: {"capability": ...} or {"step": ..., "check": ...}


class HarnessError(Exception):
    """The scenario or adapter itself broke (outcome ``error``)."""


@dataclass
class Step:
    """The result of ``Recorder.step``/``call``: whether it succeeded, and why not.
    ``cause`` (when not ok): what a dependent n/a names. ``uses``: the adapter
    operations (and their variants) it and the steps it needs used."""
    check: str
    ok: bool
    value: object = None
    why: str = ""
    unsupported: bool = False
    cause: dict | None = None
    uses: frozenset = frozenset()


class Recorder:
    def __init__(self, fw, checks=()):
        self.fw = fw
        self.checks = {c.id: c for c in checks}   # the checks that apply to this framework
        self.wanted = tuple(self.checks)
        self.own = adapter_files(fw)
        self.obs: dict[str, Observation] = {}
        self.ambient: set = set()      # uses outside any step: every check's
        self.frames: list[set] = []    # the uses of the steps running now
        self.uses: dict[str, set] = {}
        self.charged: dict[str, str] = {}  # setup step -> the check charged with its error

    # -- uses: what each check's observation went through (runner: adapter faults) --
    def use(self, feature: str) -> None:
        """Called by the traced adapter for every operation (and variant) used."""
        for frame in self.frames or [self.ambient]:
            frame.add(feature)

    def uses_of(self, check) -> set:
        return self.uses.get(check, set()) | self.ambient

    def _uses(self, needs, *extra) -> frozenset:
        steps = [needs] if isinstance(needs, Step) else (needs or [])
        return frozenset().union(*(s.uses for s in steps), *extra)

    def _put(self, check, obs, uses=frozenset()):
        if check in self.obs:
            raise HarnessError(f"check {check!r} recorded twice")
        self.obs[check] = obs
        self.uses.setdefault(check, set()).update(uses)

    def lacks(self, requires) -> str | None:
        """The first premise of ``requires`` the adapter's capabilities do not meet."""
        caps = getattr(self.fw, "capabilities", {})
        return next((r for r in requires if not premise_holds(caps, r)), None)

    @staticmethod
    def _failed(needs) -> Step | None:
        """The first step of ``needs`` (a Step or a list of them) that did not succeed."""
        steps = [needs] if isinstance(needs, Step) else (needs or [])
        return next((s for s in steps if not s.ok), None)

    def _blocked(self, check, needs) -> bool:
        """Record ``check`` when a premise does not hold (module doc, the rule)."""
        spec = self.checks.get(check)
        requires = spec.requires if spec else ()
        caps = _capability_uses(requires)
        uses = self._uses(needs, caps)
        missing = self.lacks(requires)
        if missing:
            cap = requirement_capability(missing)
            have = getattr(self.fw, "capabilities", {}).get(cap)
            self._put(check, Observation(
                message=f"needs {missing}; {self.fw.name} has {cap}={have}",
                outcome="n/a", cause={"capability": missing}), uses)
            return True
        step = self._failed(needs)
        if step is None:
            self.uses.setdefault(check, set()).update(uses)
            return False
        cause = step.cause or {}
        if "raised" in cause and cause["step"] not in self.charged:
            # a framework error in a setup step no check observes: this check carries it
            self.charged[cause["step"]] = check
            value = self._value(check, RAISES + cause["raised"])
            self._put(check, Observation(f"{value} at {cause['step']}",
                                         f"{cause['step']}: {step.why}"), uses)
        elif "raised" in cause:
            first = self.charged[cause["step"]]
            self._put(check, Observation(
                message=f"needs {step.check}: observed by {first}", outcome="n/a",
                cause={"check": first}), uses)
        else:
            self._put(check, Observation(
                message=f"needs {step.check}: {step.why}",
                outcome="unsupported" if "unsupported" in cause else "n/a",
                cause=None if "unsupported" in cause else cause), uses)
        return True

    def _value(self, check, value):
        """``raises:<kind>``: the no-value kinds are one kind unless the check's spec
        judges the detail."""
        spec = self.checks.get(check)
        if isinstance(value, str) and value.startswith(RAISES) and not (spec and spec.detail):
            return raised(value[len(RAISES):])
        return value

    def record(self, check, value, message="", needs=None, via=()):
        """Record an observed value (after ``needs`` steps succeeded); ``via``: steps
        the value came from that are no premise (a failed step whose error is the
        observation): their uses are the check's too."""
        if not self._blocked(check, needs):
            self._put(check, Observation(self._value(check, normalize(value)), message),
                      self._uses(list(via)))

    def unsupported(self, check, reason, uses=frozenset()):
        self._put(check, Observation(message=reason, outcome="unsupported"), uses)

    def step(self, name, fn, needs=None, requires=()) -> Step:
        """Run ``fn`` without recording it; later checks name it in ``needs``.
        ``requires``: capability premises; unmet, ``fn`` is not run."""
        caps = _capability_uses(requires)
        missing = self.lacks(requires)
        if missing:
            return Step(name, False, why=f"needs {missing}", cause={"capability": missing},
                        uses=frozenset(caps))
        dep = self._failed(needs)
        if dep is not None:
            return Step(name, False, why=f"needs {dep.check}: {dep.why}", cause=dep.cause,
                        uses=self._uses(needs, caps))
        frame: set = set()
        self.frames.append(frame)
        try:
            return Step(name, True, fn(), uses=self._uses(needs, caps, frame))
        except MissingGroup as exc:   # an optional group the adapter does not map
            return Step(name, False, why=str(exc), cause={"capability": exc.premise},
                        uses=self._uses(needs, caps, frame))
        except Unsupported as exc:
            return Step(name, False, why=str(exc), unsupported=True,
                        cause={"step": name, "unsupported": exc.what},
                        uses=self._uses(needs, caps, frame))
        except Exception as exc:  # noqa: BLE001 - observing the framework
            self.use("classify_error")
            kind = self.fw.classify_error(exc)
            if kind == "other" and is_harness_bug(exc, self.own):
                raise
            return Step(name, False, value=RAISES + kind, why=f"[{kind}] {exc_line(exc)}",
                        cause={"step": name, "raised": kind},
                        uses=self._uses(needs, caps, frame))
        finally:
            self.frames.remove(frame)

    def call(self, check, fn, then=lambda v: v, needs=None, message="") -> Step:
        """Observe ``then(fn())`` for ``check``, or the error ``fn`` raised. A
        check that could not run is a failed step whose dependents are ``n/a``
        naming this check."""
        if self._blocked(check, needs):
            obs = self.obs[check]
            return Step(check, False, why=obs.message, uses=frozenset(self.uses_of(check)),
                        cause=obs.cause if obs.outcome == "n/a" else {"check": check})
        step = self.step(check, fn)
        uses = step.uses | self.uses.get(check, set())
        if step.ok:
            self.record(check, then(step.value), message)
            self.uses[check] |= uses
            return Step(check, True, step.value, uses=uses)
        if step.unsupported:
            self.unsupported(check, step.why, uses)
        elif "capability" in (step.cause or {}):
            self._put(check, Observation(message=step.why, outcome="n/a", cause=step.cause),
                      uses)
        else:
            self._put(check, Observation(self._value(check, step.value), step.why), uses)
        return Step(check, False, step.value, step.why, step.unsupported, {"check": check},
                    uses)


def _capability_uses(requires) -> set:
    """The uses a capability premise stands for (``capability:<name>``): a self-test
    covering one blocks the checks whose premise it is."""
    return {"capability:" + requirement_capability(r) for r in requires}


def harness_trace(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)[-12:])
