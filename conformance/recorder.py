"""Observations: what a scenario saw, per check id, before comparison.

A scenario calls ``rec.record(check, value)`` or ``rec.call(check, fn)``. ``call``
turns a raised framework error into the observation ``"raises:<kind>"`` (kind
from the adapter's ``classify_error``; the kinds meaning "no value yet" are judged
as one, ``no-value``, unless the check is about that distinction: spec ``detail``)
and keeps ``[kind] Class: first line`` as the message; ``Unsupported`` becomes
outcome ``unsupported``; a bug of the harness or of the adapter (a plain Python
error raised from this repository's code or the adapter's own files) is ``error``.

Outcome ``n/a`` (never a divergence): the check's spec premise (``requires``) is a
capability the adapter lacks, or a step it needs failed or was unsupported -- the
message names the capability or the step, and ``cause`` keeps it as data.
"""
from __future__ import annotations

import inspect
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adapters.interface import NO_VALUE_KINDS, Unsupported, premise_holds, requirement_capability

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


def raised(kind: str) -> str:
    """The observation of an error of ``kind``: the kinds meaning "no value yet"
    fold into ``raises:no-value``."""
    return RAISES + ("no-value" if kind in NO_VALUE_KINDS else kind)


def adapter_files(fw) -> tuple:
    """The source files of the adapter's class and its bases (an adapter outside
    this repository is its own code too: a bug there is ``error``)."""
    files = []
    for cls in type(fw).__mro__:
        try:
            files.append(Path(inspect.getfile(cls)).resolve())
        except (TypeError, OSError):
            pass
    return tuple(f for f in files if f not in _FRAMEWORK_FILES)


def is_harness_bug(exc: BaseException, own=()) -> bool:
    """A plain Python error whose innermost frame is this repository's own code or
    one of the files ``own`` (the adapter's); installed packages (``site-packages``,
    e.g. a framework in ``.tox/``) are never ours."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return False
    path = Path(tb.tb_frame.f_code.co_filename).resolve()
    installed = "site-packages" in path.parts or "dist-packages" in path.parts
    ours = (REPO in path.parents and path not in _FRAMEWORK_FILES and not installed) or \
        path in own
    return ours and type(exc) in (
        AttributeError, TypeError, NameError, KeyError, IndexError, AssertionError,
        UnboundLocalError, ZeroDivisionError)


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
    ``cause`` (when not ok): what a dependent n/a names."""
    check: str
    ok: bool
    value: object = None
    why: str = ""
    unsupported: bool = False
    cause: dict | None = None


class Recorder:
    def __init__(self, fw, checks=()):
        self.fw = fw
        self.checks = {c.id: c for c in checks}   # the checks that apply to this framework
        self.wanted = tuple(self.checks)
        self.own = adapter_files(fw)
        self.obs: dict[str, Observation] = {}

    def _put(self, check, obs):
        if check in self.obs:
            raise HarnessError(f"check {check!r} recorded twice")
        self.obs[check] = obs

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
        spec = self.checks.get(check)
        missing = self.lacks(spec.requires) if spec else None
        if missing:
            cap = requirement_capability(missing)
            have = getattr(self.fw, "capabilities", {}).get(cap)
            self._put(check, Observation(
                message=f"needs {missing}; {self.fw.name} has {cap}={have}",
                outcome="n/a", cause={"capability": missing}))
            return True
        step = self._failed(needs)
        if step is None:
            return False
        self._put(check, Observation(message=f"needs {step.check}: {step.why}",
                                     outcome="n/a", cause=step.cause))
        return True

    def _value(self, check, value):
        """``raises:<kind>``: the no-value kinds are one kind unless the check's spec
        judges the detail."""
        spec = self.checks.get(check)
        if isinstance(value, str) and value.startswith(RAISES) and not (spec and spec.detail):
            return raised(value[len(RAISES):])
        return value

    def record(self, check, value, message="", needs=None):
        """Record an observed value (after ``needs`` steps succeeded)."""
        if not self._blocked(check, needs):
            self._put(check, Observation(self._value(check, normalize(value)), message))

    def unsupported(self, check, reason):
        self._put(check, Observation(message=reason, outcome="unsupported"))

    def step(self, name, fn, needs=None, requires=()) -> Step:
        """Run ``fn`` without recording it; later checks name it in ``needs``.
        ``requires``: capability premises; unmet, ``fn`` is not run."""
        missing = self.lacks(requires)
        if missing:
            return Step(name, False, why=f"needs {missing}", cause={"capability": missing})
        dep = self._failed(needs)
        if dep is not None:
            return Step(name, False, why=f"needs {dep.check}: {dep.why}", cause=dep.cause)
        try:
            return Step(name, True, fn())
        except Unsupported as exc:
            return Step(name, False, why=str(exc), unsupported=True,
                        cause={"step": name, "unsupported": exc.what})
        except Exception as exc:  # noqa: BLE001 - observing the framework
            kind = self.fw.classify_error(exc)
            if kind == "other" and is_harness_bug(exc, self.own):
                raise
            return Step(name, False, value=RAISES + kind, why=f"[{kind}] {exc_line(exc)}",
                        cause={"step": name, "raised": kind})

    def call(self, check, fn, then=lambda v: v, needs=None, message="") -> Step:
        """Observe ``then(fn())`` for ``check``, or the error ``fn`` raised. A
        check that could not run is a failed step whose dependents are ``n/a``
        naming this check."""
        if self._blocked(check, needs):
            obs = self.obs[check]
            return Step(check, False, why=obs.message, cause=obs.cause)
        step = self.step(check, fn)
        if step.ok:
            self.record(check, then(step.value), message)
            return step
        if step.unsupported:
            self.unsupported(check, step.why)
        else:
            self._put(check, Observation(self._value(check, step.value), step.why))
        return Step(check, False, step.value, step.why, step.unsupported, {"check": check})

def harness_trace(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)[-12:])
