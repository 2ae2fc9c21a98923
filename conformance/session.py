"""One conformance run: the adapter, the catalogue, the results and their file.

Progress goes to the results file's progress file (``conformance.results_file``): a
line before every behaviour and self-test names it under ``"running"`` (with the
start time) and carries what finished since the line before, so a run killed
halfway leaves every finished result on disk and ``read_results`` gives it as a
file with ``"complete": false``; ``conformance.supervise`` reads there which
behaviour a crash or hang hit. A finished behaviour or self-test still named
running gets a line of its own (``settle``) before the run goes on to other tests,
so that their time is never counted as that one's. The run ends by writing the
results file (one record a line). With ``resume`` the results already there are
kept and not run again.
``left_out``: behaviours whose marker was not selected (``{id: marker}``); they
are not run, the file lists them, and the run is complete without them.
"""
from __future__ import annotations

import collections
import functools
import importlib.metadata
import platform
import sys
import time
from pathlib import Path

from conformance.results_file import (ADDED, OUTCOMES, SCHEMA, append_progress, end_progress,
                                      read_json, start_progress)
from conformance import differences
from conformance.expectations import shown
from conformance.runner import run_behaviour
from conformance.selftest import SELFTESTS, faults, run_selftest
from conformance.uses import Clock
from adapters.interface import CONTRACT_VERSION, family_of, groups_of


#: distributions of the harness itself, not of the system under test
HARNESS = frozenset({"pytest", "hypothesis", "pluggy", "iniconfig", "packaging", "attrs",
                     "sortedcontainers", "pip", "setuptools", "wheel", "tomli", "jinja2",
                     "markupsafe", "exceptiongroup", "colorama", "pygments"})


@functools.lru_cache(maxsize=1)
def _distributions() -> dict:
    """``importlib.metadata.packages_distributions()`` without the distributions of
    ``HARNESS`` (never listed): inferring theirs from their file lists (pip's,
    Pygments') was half of its cost. Every other distribution maps as there."""
    try:   # the stdlib's own two ways of finding a distribution's top-level names
        from importlib.metadata import _top_level_declared, _top_level_inferred
    except ImportError:   # (another Python's internals) the whole mapping
        return importlib.metadata.packages_distributions()
    found = collections.defaultdict(list)
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name.lower() in HARNESS:
            continue
        for top in _top_level_declared(dist) or _top_level_inferred(dist):
            found[top].append(name)
    return dict(found)


@functools.lru_cache(maxsize=None)
def _version(distribution: str) -> str:
    """An installed distribution's version (read once: its METADATA parse is the cost
    of a results write)."""
    return importlib.metadata.version(distribution)


def imported_versions() -> dict:
    """``{distribution: version}`` of every installed distribution this process has
    imported (the framework, its backend -- Keras's included -- and what they load),
    with Python: what a drift between two runs can come from."""
    return dict(_imported_versions(len(sys.modules)))


@functools.lru_cache(maxsize=1)
def _imported_versions(modules: int) -> dict:
    """``imported_versions`` while ``sys.modules`` holds ``modules`` entries (a results
    write after every behaviour: the scan only when something new was imported)."""
    tops = {m.split(".")[0] for m in list(sys.modules)}
    found = {d for top in tops for d in _distributions().get(top, ())
             if d.lower() not in HARNESS}
    return {"python": platform.python_version(),
            **{d: _version(d) for d in sorted(found, key=str.lower)}}


class Session:
    def __init__(self, fw, catalogue, env, results_path=None, selector="", timeout=None,
                 resume=False, differences_path=None, left_out=None, import_seconds=None):
        self.fw, self.catalogue, self.env = fw, catalogue, env
        # wall seconds of loading the adapter, its framework's import included, in this
        # process (``conftest.pytest_configure``): the import part of bench/'s floor
        self.import_seconds = round(import_seconds, 4) if import_seconds is not None else None
        self.results_path = Path(results_path) if results_path else None
        self.selector, self.timeout = selector, timeout
        # wall seconds inside the adapter's operations (the framework's own calls):
        # bench/run.py's floor is the bare import + these (``framework_seconds``)
        self.clock = Clock()
        self.version = self.clock.call(fw.framework_version)
        self.config = {k: v for k, v in sorted(self.clock.call(fw.framework_config).items())}
        self.setup_framework_seconds = round(self.clock.lap(), 4)
        self.differences = differences.for_framework(family_of(fw),
                                                    differences_path).for_system(fw.name)
        self.left_out: dict[str, str] = dict(left_out or {})
        self.runs: dict[str, list] = {}
        self.seconds: dict[str, float] = {}
        self.framework_seconds: dict[str, float] = {}
        self.selftest_seconds: dict[str, float] = {}
        self.selftest_framework_seconds: dict[str, float] = {}
        self.running = None
        self._written_running = None   # what the progress file last said is running
        self._logged: dict = {}        # key -> entries already in the progress file
        self.vacuity = None  # {check: [perturbations that change it]} when surveyed
        self.properties: dict = {}  # {property: what test_properties.py found}
        self._selftests: dict | None = None
        self.memo: dict = {}   # Traced's: shard_init once per arguments (uses.Traced)
        self.started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if resume and self.results_path:
            self._resume(read_json(self.results_path) or {})
        if self.results_path:
            start_progress(self.results_path, self.as_json(final=False))
            self._logged = {key: len(value) for key, value in self._added().items()}

    def _resume(self, data: dict) -> None:
        if data.get("env") != self.env:
            return
        for r in data.get("results", []):
            self.runs.setdefault(r["behaviour"], []).append(r)
        self._selftests = data.get("selftests")
        self.seconds.update(data.get("seconds", {}))
        self.framework_seconds.update(data.get("framework_seconds", {}))
        self.selftest_seconds.update(data.get("selftest_seconds", {}))
        self.selftest_framework_seconds.update(data.get("selftest_framework_seconds", {}))
        self.started = data.get("started", self.started)

    @property
    def selftests(self) -> dict:
        """The adapter self-tests' records (``conformance.selftest``), run once, before
        the first behaviour: their faults block the checks that use what they cover."""
        done = self._selftests = dict(self._selftests or {})
        todo = [t for t in SELFTESTS if t.name not in done]   # (resumed: those not run yet)
        for t in todo:
            self.running = {"selftest": t.name, "covers": list(t.covers), "since": time.time()}
            self.write()
            t0, _ = time.perf_counter(), self.clock.lap()
            done[t.name] = run_selftest(self.fw, t, self.timeout, self.clock,
                                        left_out_markers=set(self.left_out.values()),
                                        memo=self.memo)
            self.selftest_seconds[t.name] = round(time.perf_counter() - t0, 4)
            self.selftest_framework_seconds[t.name] = round(self.clock.lap(), 4)
        self.running = None   # written by the next behaviour's write, or the final one
        return done

    @property
    def faults(self) -> dict:
        return faults(self.selftests)

    @property
    def adapter_source(self) -> str:
        cls = type(self.fw)
        return f"{cls.__module__}:{cls.__qualname__}"

    def result(self, behaviour_id: str, check_id: str) -> dict:
        if behaviour_id not in self.runs:
            behaviour = next(b for b in self.catalogue if b.id == behaviour_id)
            self.running = {"behaviour": behaviour_id, "since": time.time()}
            self.write()
            found = self.faults
            t0, _ = time.perf_counter(), self.clock.lap()
            self.runs[behaviour_id] = [self._attribute(behaviour, r) for r in
                                       run_behaviour(behaviour, self.fw, self.timeout, found,
                                                     self.clock, self.memo)]
            self.seconds[behaviour_id] = round(time.perf_counter() - t0, 4)
            self.framework_seconds[behaviour_id] = round(self.clock.lap(), 4)
            self.running = None   # written by the next behaviour's write, or the final one
        return next(r for r in self.runs[behaviour_id] if r["check"] == check_id)

    def _attribute(self, behaviour, r: dict) -> dict:
        """Name the difference behind a non-conforming check; a documentation claim
        is its own finding (judged apart: spec/sources.toml), named ``doc/<claim>``."""
        if behaviour.check(r["check"]).quote and r["outcome"] in ("diverges", "unsupported"):
            return {**r, "difference": f"doc/{r['check']}"}
        return self.differences.attribute(r)

    @property
    def behaviours(self) -> list:
        """The catalogue without the behaviours left out by their marker."""
        return [b for b in self.catalogue if b.id not in self.left_out]

    @property
    def complete(self) -> bool:
        """Every behaviour not left out with a check that applies to this framework
        has run."""
        return all(b.id in self.runs for b in self.behaviours
                   if b.checks_for(family_of(self.fw)))

    @functools.cached_property
    def framework(self) -> dict:
        """The results file's ``framework`` record (fixed for the run)."""
        return {"name": self.fw.name, "family": family_of(self.fw), "version": self.version,
                "adapter": self.adapter_source, "config": self.config,
                "capabilities": dict(self.fw.capabilities),
                **({"apis": dict(self.fw.apis)} if getattr(self.fw, "apis", None) else {}),
                "contract": CONTRACT_VERSION, "groups": list(groups_of(self.fw)),
                "differences": shown(self.differences.path)}

    def as_json(self, final: bool = True) -> dict:
        """The results record; not ``final``: with the versions imported by the start
        of the run (a progress file's first line)."""
        return {
            "schema": SCHEMA, "env": self.env, "complete": final and self.complete,
            "framework": self.framework,
            "versions": imported_versions(),
            "platform": f"{sys.platform}-{platform.machine()}",
            "selector": self.selector, "started": self.started,
            "seconds": self.seconds, "framework_seconds": self.framework_seconds,
            **({"selftest_seconds": self.selftest_seconds,
                "selftest_framework_seconds": self.selftest_framework_seconds}
               if self.selftest_seconds else {}),
            "setup_framework_seconds": self.setup_framework_seconds,
            **({"import_seconds": self.import_seconds}
               if self.import_seconds is not None else {}),
            "running": self.running,
            **({"left_out": self.left_out} if self.left_out else {}),
            **({"selftests": self._selftests} if self._selftests is not None else {}),
            "results": [r for b in self.catalogue for r in self.runs.get(b.id, [])],
            **({"vacuity": self.vacuity} if self.vacuity is not None else {}),
            **({"properties": self.properties} if self.properties else {}),
        }

    def write(self, final: bool = False) -> None:
        """A progress line (before every behaviour and self-test, ``settle``): what is
        running and what finished since the line before; or, ``final``, the results
        file (one record a line, ``results_file.dumps_records``)."""
        self._written_running = self.running
        if not self.results_path:
            return
        if final:
            end_progress(self.results_path, self.as_json())
            return
        entry = {}
        for key, value in self._added().items():
            done = self._logged.get(key, 0)
            if len(value) > done:
                entry[key] = value[done:] if key == "results" else dict(
                    list(value.items())[done:])
                self._logged[key] = len(value)
        for key, value in (("vacuity", self.vacuity), ("properties", self.properties)):
            if value and value != self._logged.get(key):   # (a copy: filled in place)
                entry[key] = self._logged[key] = dict(value)
        append_progress(self.results_path, {**entry, "running": self.running})

    def _added(self) -> dict:
        """The record's parts that only grow (``results_file.ADDED``), in run order."""
        parts = {"results": [r for runs in self.runs.values() for r in runs],
                 "seconds": self.seconds, "framework_seconds": self.framework_seconds,
                 "selftest_seconds": self.selftest_seconds,
                 "selftest_framework_seconds": self.selftest_framework_seconds,
                 "selftests": self._selftests or {}}
        assert set(parts) == set(ADDED)
        return parts

    def settle(self) -> None:
        """Write the file if it still names a behaviour or self-test that has finished
        (the supervisor would count what runs next as that one's time)."""
        if self._written_running is not None and self.running is None:
            self.write()

    def counts(self) -> dict:
        """``{behaviour: {outcome: n}}`` over the checks run so far."""
        table = {}
        for b in self.catalogue:
            row = dict.fromkeys(OUTCOMES, 0)
            for r in self.runs.get(b.id, []):
                row[r["outcome"]] += 1
            table[b.id] = row
        return table
