"""Judging one check result against its expectation, and tallying a run's verdicts.

A result *matches* when its outcome equals the expected one: the file's active
entry for the check, else ``conforms`` -- or ``n/a``, which a check reaches only
through a named cause (a capability the framework lacks by design, or a premise
another check owns), so it needs no entry. ``error`` and ``blocked`` (an adapter
fault) never match: no expectation can excuse the adapter.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from conformance.expectations import Entry, Expectations


@dataclass(frozen=True)
class Verdict:
    env: str
    where: str                  # "behaviour/check"
    expected: str               # the expected outcome
    got: str                    # the observed outcome
    entry: Entry | None = None
    observed: object = None

    @property
    def matched(self) -> bool:
        return self.got == self.expected and self.got not in ("error", "blocked")

    def line(self) -> str:
        """One line: ``torch b/c: expected diverges, got conforms (observed ...)``."""
        text = f"{self.env} {self.where}: expected {self.expected}, got {self.got}"
        if self.got == "diverges":
            text += f" (observed {short(self.observed)})"
        return text


def short(value, limit=120) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def judge(result: dict, active: dict, env: str) -> Verdict:
    """The verdict on ``result`` given the ``active`` entries ``{where: Entry}``."""
    where = f"{result['behaviour']}/{result['check']}"
    entry = active.get(where)
    default = "n/a" if result["outcome"] == "n/a" and result.get("cause") else "conforms"
    return Verdict(env, where, entry.outcome if entry else default, result["outcome"],
                   entry, result.get("observed"))


@dataclass
class Tally:
    """The expectations of one run and the verdicts reached so far."""
    expectations: Expectations
    env: str
    version: str
    stale: list = field(default_factory=list)
    verdicts: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)

    def __post_init__(self):
        self.active = self.expectations.active(self.version, self.config)

    def judge(self, result: dict) -> Verdict:
        v = judge(result, self.active, self.env)
        self.verdicts[v.where] = v
        return v

    def matched(self) -> list:
        return [v for v in self.verdicts.values() if v.matched]

    def changed(self) -> list:
        return [v for v in self.verdicts.values() if not v.matched]

    def inactive(self) -> list:
        """Entries kept for other framework versions."""
        return [e for e in self.expectations.entries if not e.applies(self.version, self.config)]
