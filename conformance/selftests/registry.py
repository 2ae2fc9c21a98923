"""The self-test registry: a self-test is a function of the adapter that raises
:class:`Fault` (one sentence: the operation, the argument, what it did) when the
adapter breaks the contract, and names the *uses* it covers
(``conformance/uses.py``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


class Fault(AssertionError):
    """A self-test's one-sentence finding: the operation, the argument, what it did."""


class Premise(Exception):
    """What the self-test needs does not hold on this framework (the framework
    refuses it even after the first data): outcome ``n/a``, blocking nothing; the
    checks observe the refusal themselves."""


def expect(holds: bool, sentence: str) -> None:
    if not holds:
        raise Fault(sentence)


@dataclass(frozen=True)
class SelfTest:
    name: str
    covers: tuple
    fn: Callable
    marker: str | None = None   # runs only when the behaviours of this marker run


SELFTESTS: list[SelfTest] = []


def selftest(name: str, *covers: str, marker: str | None = None):
    def register(fn):
        SELFTESTS.append(SelfTest(name, covers, fn, marker))
        return fn
    return register
