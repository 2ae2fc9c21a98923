"""Observations: what a scenario saw, per check id, before comparison.

A scenario calls ``rec.record(check, value)`` or ``rec.call(check, fn)``. ``call``
turns a raised framework error into the observation ``"raises:<kind>"`` (kind
from the adapter's ``classify_error``) and keeps ``Class: first line`` as the
message; ``Unsupported`` becomes outcome ``unsupported``; a bug of the harness
(a plain Python error raised from this repository's code) becomes ``error``.
"""
from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adapters.interface import Unsupported

RAISES = "raises:"
UNKNOWN_DIM = "?"
REPO = Path(__file__).resolve().parent.parent
_FRAMEWORK_FILES = (REPO / "adapters" / "reference.py",)  # the reference "framework"


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


def is_harness_bug(exc: BaseException) -> bool:
    """A plain Python error whose innermost frame is this repository's own code."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return False
    path = Path(tb.tb_frame.f_code.co_filename).resolve()
    return REPO in path.parents and path not in _FRAMEWORK_FILES and type(exc) in (
        AttributeError, TypeError, NameError, KeyError, IndexError, AssertionError,
        UnboundLocalError, ZeroDivisionError)


@dataclass
class Observation:
    value: object = None
    message: str = ""
    outcome: str = ""       # forced outcome: "unsupported" or "error"; "" = compare
    trace: str = ""


class HarnessError(Exception):
    """The scenario or adapter itself broke (outcome ``error``)."""


@dataclass
class Step:
    """The result of ``Recorder.call``: whether it succeeded, and why not."""
    check: str
    ok: bool
    value: object = None
    why: str = ""
    unsupported: bool = False


class Recorder:
    def __init__(self, fw, wanted=()):
        self.fw = fw
        self.wanted = tuple(wanted)  # ids of the checks that apply to this framework
        self.obs: dict[str, Observation] = {}

    def _put(self, check, obs):
        if check in self.obs:
            raise HarnessError(f"check {check!r} recorded twice")
        self.obs[check] = obs

    @staticmethod
    def _failed(needs) -> Step | None:
        """The first step of ``needs`` (a Step or a list of them) that did not succeed."""
        steps = [needs] if isinstance(needs, Step) else (needs or [])
        return next((s for s in steps if not s.ok), None)

    def _blocked(self, check, needs) -> bool:
        step = self._failed(needs)
        if step is None:
            return False
        if step.unsupported:
            self._put(check, Observation(message=f"needs {step.check}: {step.why}",
                                         outcome="unsupported"))
        else:
            self._put(check, Observation(f"n/a: {step.check} failed",
                                         f"needs {step.check}, which raised {step.why}"))
        return True

    def record(self, check, value, message="", needs=None):
        """Record an observed value (after ``needs`` steps succeeded)."""
        if not self._blocked(check, needs):
            self._put(check, Observation(normalize(value), message))

    def unsupported(self, check, reason):
        self._put(check, Observation(message=reason, outcome="unsupported"))

    def step(self, name, fn, needs=None) -> Step:
        """Run ``fn`` without recording it; later checks name it in ``needs``."""
        dep = self._failed(needs)
        if dep is not None:
            return Step(name, False, why=f"needs {dep.check}: {dep.why}",
                        unsupported=dep.unsupported)
        try:
            return Step(name, True, fn())
        except Unsupported as exc:
            return Step(name, False, why=str(exc), unsupported=True)
        except Exception as exc:  # noqa: BLE001 - observing the framework
            kind = self.fw.classify_error(exc)
            if kind == "other" and is_harness_bug(exc):
                raise
            return Step(name, False, value=RAISES + kind, why=exc_line(exc))

    def call(self, check, fn, then=lambda v: v, needs=None, message="") -> Step:
        """Observe ``then(fn())`` for ``check``, or the error ``fn`` raised."""
        if self._blocked(check, needs):
            obs = self.obs[check]
            return Step(check, False, why=obs.message, unsupported=obs.outcome == "unsupported")
        step = self.step(check, fn)
        if step.ok:
            self.record(check, then(step.value), message)
        elif step.unsupported:
            self.unsupported(check, step.why)
        else:
            self._put(check, Observation(step.value, step.why))
        return step

    def attempt(self, check, fn, needs=None) -> Step:
        """Run a step whose success is itself the observation (``"ok"``)."""
        return self.call(check, fn, then=lambda _: "ok", needs=needs)


def harness_trace(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)[-12:])
