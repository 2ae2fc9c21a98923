"""pytest plugin of the conformance suite: framework selection (``--framework`` or
``LAZYINIT_FRAMEWORK``), the expectations file (``--expectations``), the report
header, the results file, the summary table with the expectation status."""
from __future__ import annotations

import gc
import os
import sys
import time
from typing import TYPE_CHECKING

import pytest

from adapters import AdapterLoadError, known_names, load, source_of
from adapters.interface import family_of
from conformance import expectations
from conformance.differences import DifferencesError
from conformance.expectations.verdict import Tally
from conformance.items import Results, ResultItem
from conformance.results_file import OUTCOMES
from spec.catalogue import MARKERS, SpecError, load_catalogue

if TYPE_CHECKING:   # imported in pytest_configure, after the framework (see there)
    from conformance.session import Session

SELECTOR = "LAZYINIT_FRAMEWORK"
#: marker -> (option, environment variable, why): a test carrying the marker is
#: deselected unless the option is given (a behaviour's marker: ``spec.catalogue``)
GATES = {**MARKERS, "property": (
    "--properties", "LAZYINIT_PROPERTIES",
    "differential properties: random architectures against the reference model "
    "(conformance/test_properties.py)")}
#: test modules every test of which carries a gated marker: not imported (hypothesis
#: and all) unless that gate is open
GATED_MODULES = {"test_properties.py": "property"}
HYPOTHESIS_PLUGIN = "hypothesispytest"
SESSION = pytest.StashKey["Session"]()
TALLY = pytest.StashKey[Tally]()
EXIT = pytest.StashKey[pytest.Session]()


def pytest_addoption(parser):
    group = parser.getgroup("lazyinit", "lazy-initialization conformance")
    group.addoption("--framework", default=os.environ.get(SELECTOR),
                    help=f"adapter to test: one of {', '.join(known_names())}, a name registered "
                    "under the entry-point group lazyinit_conformance.adapters, or "
                    f"package.module:Class outside this repository (env: {SELECTOR})")
    group.addoption("--results", default=None, help="write the results JSON to this path")
    group.addoption("--env-name", default=None, help="env name recorded in the results "
                    "(default: the adapter's name)")
    group.addoption("--expectations", default=None, metavar="PATH",
                    help="known non-conforming outcomes (default: "
                    "conformance/expectations/<env>.toml; missing: all expected to conform)")
    group.addoption("--differences", default=None, metavar="PATH",
                    help="the framework's differences catalogue (default: "
                    "conformance/differences/<framework>.toml)")
    group.addoption("--vacuity", action="store_true",
                    default=os.environ.get("LAZYINIT_VACUITY") == "1",
                    help="also survey whether every check can fail in this env "
                    "(conformance/vacuity.py; env LAZYINIT_VACUITY=1)")
    group.addoption("--mutations", default="", metavar="M1,M2",
                    help="reference adapter only: broken variants to run (meta_tests)")
    group.addoption("--check-timeout", type=float, metavar="S",
                    default=float(os.environ.get("LAZYINIT_CHECK_TIMEOUT", "45")),
                    help="seconds one behaviour's scenario may run before its unfinished "
                    "checks become 'timeout' (default 45: a cold torch.compile takes ~20 s; "
                    "env LAZYINIT_CHECK_TIMEOUT)")
    for marker, (option, variable, why) in GATES.items():
        group.addoption(option, action="store_true", dest=f"marker_{marker}",
                        default=os.environ.get(variable) == "1",
                        help=f"also run the tests marked {marker!r} ({why}; "
                        f"env {variable}=1; CI sets it)")
    group.addoption("--exit-fast", action="store_true",
                    help="end the process with os._exit once the results, the JUnit XML "
                    "and the summary are written: skips the framework's interpreter "
                    "teardown (torch 1-5 s, TensorFlow 1.5 s); tox passes it")
    group.addoption("--resume", action="store_true",
                    help="keep the results already in --results and run only the rest "
                    "(used by conformance.supervise after a crash)")


def pytest_ignore_collect(collection_path, config):
    marker = GATED_MODULES.get(collection_path.name)
    return True if marker and not config.getoption(f"marker_{marker}") else None


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    if not config.getoption("marker_property") and config.pluginmanager.has_plugin(
            HYPOTHESIS_PLUGIN):
        # only the properties use hypothesis; its plugin would import it at the
        # terminal summary of every run (a fifth of a second)
        config.pluginmanager.unregister(name=HYPOTHESIS_PLUGIN)
    name = config.getoption("framework")
    if not name:
        raise pytest.UsageError(f"no framework selected: pass --framework NAME or set "
                                f"{SELECTOR} ({', '.join(known_names())}, or package.module:Class)")
    mutations = [m for m in config.getoption("mutations").split(",") if m.strip()]
    if mutations and name != "reference":
        raise pytest.UsageError("--mutations applies to --framework reference only")
    for marker, (option, _, why) in GATES.items():
        config.addinivalue_line("markers", f"{marker}: {why} (runs with {option})")
    try:
        # the framework first, timed: its import (numpy and all) before the suite's
        # modules that need numpy, so that this is the whole of it (the bench's floor)
        t0 = time.perf_counter()
        fw = load(name, **({"mutations": mutations} if mutations else {}))
        import_seconds = time.perf_counter() - t0
        from conformance.session import Session   # (imports numpy: after the framework)
        catalogue = load_catalogue()
        # the env is the system the adapter names (a report column), never a selector
        env = config.getoption("env_name") or fw.name
        path = config.getoption("expectations") or expectations.default_path(env)
        known = expectations.load(path)
        s = Session(fw, catalogue, env, config.getoption("results"),
                    selector="--framework" if os.environ.get(SELECTOR) != name
                    else f"{SELECTOR}={name}",
                    timeout=config.getoption("check_timeout") or None,
                    resume=config.getoption("resume"),
                    differences_path=config.getoption("differences"),
                    left_out={b.id: b.marker for b in catalogue if b.marker
                              and not config.getoption(f"marker_{b.marker}")},
                    import_seconds=import_seconds)
    except (SpecError, AdapterLoadError, expectations.ExpectationsError, DifferencesError,
            ValueError) as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[SESSION] = s
    if config.getoption("marker_property"):
        try:  # registers the hypothesis profiles ci (the default) and deep
            import conformance.properties.search  # noqa: F401
        except ImportError:  # no hypothesis here: test_properties.py skips
            pass
    # the framework, pytest and the suite are loaded: their objects live to the end, so
    # the cyclic collector need not walk them again at every full collection
    gc.freeze()
    config.stash[TALLY] = Tally(known.derive(s.differences), env, s.version,
                               stale=known.stale(catalogue), config=s.config)


def pytest_report_header(config):
    s = config.stash[SESSION]
    return [f"lazyinit: framework={s.fw.name} {s.version} (selected by {s.selector}); "
            f"env={s.env}; {len(s.catalogue)} behaviours; "
            f"results -> {s.results_path or '(not written)'}",
            f"lazyinit: adapter {source_of(s.fw)}; config {s.config or '{}'}",
            f"lazyinit: expectations {_expectations_status(config.stash[TALLY])}"] + [
        f"lazyinit: left out {b} (marker {m}; {MARKERS[m][0]} or {MARKERS[m][1]}=1 runs it)"
        for b, m in s.left_out.items()]


def _expectations_status(t: Tally) -> str:
    where = expectations.shown(t.expectations.path)
    derived = f"{len(t.expectations.derived)} derived from the differences"
    if not t.expectations.exists:
        return f"{where} (no file; {derived}; every other check expected to conform)"
    return (f"{where} ({len(t.expectations.entries)} entries, {derived}; {len(t.active)} "
            f"active for version {t.version}, {len(t.stale)} stale)")


@pytest.fixture(scope="session")
def lazyinit(request) -> Session:
    return request.config.stash[SESSION]


def pytest_runtest_teardown(item, nextitem):
    """Leaving a test module: the results file must not still name a finished behaviour
    as running (``Session.settle``), or ``conformance.supervise`` counts the next
    module's time (differences, properties, vacuity) as that behaviour's."""
    s = item.config.stash.get(SESSION, None)
    if s is not None and (nextitem is None or nextitem.path != item.path):
        s.settle()


def pytest_sessionfinish(session):
    s = session.config.stash.get(SESSION, None)
    if s is not None:
        s.write(final=True)
    session.config.stash[EXIT] = session


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """``--exit-fast``: everything of the run is written (results in sessionfinish,
    JUnit XML and the terminal summary before this last hook), so end the process
    here rather than wait for the framework's teardown."""
    session = config.stash.get(EXIT, None)
    if config.getoption("exit_fast") and session is not None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(session.exitstatus))


def pytest_terminal_summary(terminalreporter, config):
    s = config.stash.get(SESSION, None)
    if s is None or not (s.runs or config.stash[TALLY].stale):
        return
    tr, t = terminalreporter, config.stash[TALLY]
    tr.section(f"lazyinit conformance: {s.env} ({s.fw.name} {s.version})")
    width = max(len(b) for b in s.counts())
    tr.write_line(f"{'behaviour':<{width}}  " + " ".join(f"{o:>11}" for o in OUTCOMES)
                  + f" {'as expected':>11}")
    total = dict.fromkeys(OUTCOMES, 0)
    for behaviour, row in s.counts().items():
        if behaviour in s.runs:
            judged = [v for v in t.verdicts.values() if v.where.startswith(behaviour + "/")]
            ok = f"{sum(v.matched for v in judged)}/{len(judged)}"
            tr.write_line(f"{behaviour:<{width}}  " + " ".join(f"{row[o]:>11}" for o in OUTCOMES)
                          + f" {ok:>11}")
            for o in OUTCOMES:
                total[o] += row[o]
    ok = f"{len(t.matched())}/{len(t.verdicts)}"
    tr.write_line(f"{'total':<{width}}  " + " ".join(f"{total[o]:>11}" for o in OUTCOMES)
                  + f" {ok:>11}")
    _expectation_lines(tr, t)
    if s.results_path:
        tr.write_line(f"results: {s.results_path}" + ("" if s.complete else " (incomplete)"))


def _expectation_lines(tr, t: Tally) -> None:
    """Matched / changed / stale / other-version counts, then one line per problem."""
    where = expectations.shown(t.expectations.path)
    changed = t.changed()
    tr.write_line(f"expectations {where}: {len(t.matched())} matched, {len(changed)} changed, "
                  f"{len(t.stale)} stale, {len(t.inactive())} for other versions"
                  + ("" if t.expectations.exists else " (no file)"))
    for v in changed:
        tr.write_line(f"CHANGED {v.line()}", red=True)
    for e in t.stale:
        tr.write_line(f"WARNING stale expectation in {where}: {e.check!r} matches no check "
                      "of the catalogue; remove it (python -m conformance.expectations "
                      "update)", yellow=True)


def pytest_pycollect_makeitem(collector, name, obj):
    """A test module's ``Results`` (``conformance.items``): an item per result."""
    if isinstance(obj, Results):
        return obj.items(collector, name)
    return None


def pytest_collection_modifyitems(config, items):
    """Deselect checks that do not apply to the selected framework (``applies_to``:
    a documentation claim about MXNet means nothing on torch), and the tests whose
    marker (``GATES``; a behaviour's: ``spec.catalogue.MARKERS``, on each of its
    items: ``test_behaviours``) was not asked for."""
    s = config.stash.get(SESSION, None)
    if s is None:
        return
    behaviours = {"test_" + b.id.replace("-", "_"): b for b in s.catalogue}
    keep, drop = [], []
    for item in items:
        b = isinstance(item, ResultItem) and behaviours.get(item.name.split("[")[0])
        check = b and item.key
        gated = any(item.get_closest_marker(m) and not config.getoption(f"marker_{m}")
                    for m in GATES)
        applies = not gated and (not check or
                                 b.check(check).applies(family_of(s.fw)))
        (keep if applies else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
