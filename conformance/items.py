"""The suite's per-result pytest items: one per check of a behaviour
(``test_behaviours.py``) and one per adapter self-test (``test_adapter_selftest.py``).

Each only turns a result the run's session holds (``conformance.session``) into its
pytest outcome, so each is a plain ``pytest.Item``: no fixture to resolve, no function
to call through pytest's Python machinery, which cost MXNet's run about 1 ms a check
(README, Performance). A test module names what to collect with a ``Results`` object;
``conftest.pytest_pycollect_makeitem`` turns it into ``<name>[<key>]`` items: the node
ids, ``-k``, markers and the JUnit names are those of a parametrised test.
"""
from __future__ import annotations

from typing import Callable

import pytest


class Results:
    """The items of one test: one per key in ``keys``; ``settle(config, key)`` raises
    the key's pytest outcome (or returns: passed); ``marker``: a marker every item
    carries (a behaviour's, ``spec.catalogue.MARKERS``); ``doc``: what the test is."""

    def __init__(self, keys, settle: Callable, marker: str | None = None, doc: str = ""):
        self.keys, self.settle, self.marker, self.__doc__ = tuple(keys), settle, marker, doc

    def items(self, collector, name: str) -> list:
        made = []
        for key in self.keys:
            item = ResultItem.from_parent(collector, name=f"{name}[{key}]", key=key,
                                          settle=self.settle)
            if self.marker:
                item.add_marker(self.marker)
            made.append(item)
        return made


class ResultItem(pytest.Item):
    """One key of a ``Results``: its outcome is ``settle(config, key)``."""

    def __init__(self, *, key: str, settle: Callable, **kwargs):
        super().__init__(**kwargs)
        self.key, self._settle = key, settle

    def runtest(self) -> None:
        self._settle(self.config, self.key)

    def reportinfo(self):
        return self.path, None, self.name
