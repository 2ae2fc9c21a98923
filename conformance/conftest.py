"""pytest plugin of the conformance suite: framework selection (``--framework`` or
``LAZYINIT_FRAMEWORK``), the report header, the results file, the summary table."""
from __future__ import annotations

import os

import pytest

from adapters import AdapterLoadError, load
from conformance.results_file import OUTCOMES
from conformance.session import Session
from spec.catalogue import SpecError, load_catalogue

SELECTOR = "LAZYINIT_FRAMEWORK"
SESSION = pytest.StashKey[Session]()


def pytest_addoption(parser):
    group = parser.getgroup("lazyinit", "lazy-initialization conformance")
    group.addoption("--framework", default=os.environ.get(SELECTOR),
                    help=f"adapter to test: mxnet, torch, tf or reference (env: {SELECTOR})")
    group.addoption("--results", default=None, help="write the results JSON to this path")
    group.addoption("--env-name", default=None, help="env name recorded in the results "
                    "(default: the framework name)")


def pytest_configure(config):
    name = config.getoption("framework")
    if not name:
        raise pytest.UsageError(f"no framework selected: pass --framework NAME or set "
                                f"{SELECTOR} (mxnet, torch, tf, reference)")
    try:
        catalogue = load_catalogue()
        fw = load(name)
    except (SpecError, AdapterLoadError) as exc:
        raise pytest.UsageError(str(exc)) from None
    source = "--framework" if os.environ.get(SELECTOR) != name else f"{SELECTOR}={name}"
    config.stash[SESSION] = Session(fw, catalogue, config.getoption("env_name") or name,
                                    config.getoption("results"), selector=source)


def pytest_report_header(config):
    s = config.stash[SESSION]
    return [f"lazyinit: framework={s.fw.name} {s.version} (selected by {s.selector}); "
            f"env={s.env}; {len(s.catalogue)} behaviours; "
            f"results -> {s.results_path or '(not written)'}"]


@pytest.fixture(scope="session")
def lazyinit(request) -> Session:
    return request.config.stash[SESSION]


def pytest_sessionfinish(session):
    s = session.config.stash.get(SESSION, None)
    if s is not None:
        s.write()


def pytest_terminal_summary(terminalreporter, config):
    s = config.stash.get(SESSION, None)
    if s is None or not s.runs:
        return
    tr = terminalreporter
    tr.section(f"lazyinit conformance: {s.env} ({s.fw.name} {s.version})")
    width = max(len(b) for b in s.counts())
    tr.write_line(f"{'behaviour':<{width}}  " + " ".join(f"{o:>11}" for o in OUTCOMES))
    total = dict.fromkeys(OUTCOMES, 0)
    for behaviour, row in s.counts().items():
        if behaviour in s.runs:
            tr.write_line(f"{behaviour:<{width}}  " + " ".join(f"{row[o]:>11}" for o in OUTCOMES))
            for o in OUTCOMES:
                total[o] += row[o]
    tr.write_line(f"{'total':<{width}}  " + " ".join(f"{total[o]:>11}" for o in OUTCOMES))
    if s.results_path:
        tr.write_line(f"results: {s.results_path}" + ("" if s.complete else " (incomplete)"))
