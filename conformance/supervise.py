"""Run the conformance suite so that a crash or a hang costs one behaviour, not the run.

    python -m conformance.supervise [--hard-timeout S] -- <pytest arguments>

The pytest arguments must include ``--results PATH``. The suite runs in one
interpreter (one framework import) as usual. If that process dies (segfault,
abort, ``os._exit``) or stays on one behaviour past the hard limit (a hang in
native code that the in-process SIGALRM limit cannot interrupt), the behaviour
named under ``"running"`` in the run's progress (``conformance.results_file``) gets
outcome ``crash`` (with the signal or exit code) or ``timeout`` for every check it
had not finished, and pytest starts again with ``--resume``: finished behaviours are not run again.
The exit code is that of the last pytest run.
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

from conformance.results_file import (append_progress, merge, progress_path, read_json,
                                      write_json_atomic)
from spec.catalogue import load_catalogue

POLL = 0.1


def _results_path(args: list) -> Path:
    for i, a in enumerate(args):
        if a == "--results" and i + 1 < len(args):
            return Path(args[i + 1])
        if a.startswith("--results="):
            return Path(a.split("=", 1)[1])
    raise SystemExit("supervise: the pytest arguments need --results PATH")


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name} ({-code})"
        except ValueError:
            return f"killed by signal {-code}"
    return f"process exited with code {code} in the middle of the behaviour"


def _family(framework: dict) -> str:
    return framework.get("family") or framework.get("name", "")


def record_fault(path: Path, outcome: str, why: str) -> str | None:
    """Mark the running behaviour's unfinished checks ``outcome``; return its id."""
    data = read_json(path)
    running = (data or {}).get("running")
    if not running:
        return None
    if "selftest" in running:   # an adapter self-test: a fault of its own
        name = running["selftest"]
        _add(path, data, {"selftests": {name: {
            "covers": running.get("covers", []), "outcome": "fault",
            "message": f"{name}: {why} (in the adapter self-test)"}}})
        return f"self-test {name}"
    behaviour = next(b for b in load_catalogue() if b.id == running["behaviour"])
    done = {r["check"] for r in data["results"] if r["behaviour"] == behaviour.id}
    _add(path, data, {
        "results": [{"behaviour": behaviour.id, "check": check.id, "outcome": outcome,
                     "expected": check.expected, "observed": None, "message": why}
                    for check in behaviour.checks_for(_family(data.get("framework") or {}))
                    if check.id not in done],
        "seconds": {behaviour.id: round(time.time() - running["since"], 3)}})
    return behaviour.id


def _add(path: Path, data: dict, entry: dict) -> None:
    """Record ``entry`` (no longer running) where the run keeps its record: a line of
    its progress file, or (a results file that names a behaviour running) in it."""
    entry = {**entry, "running": None}
    if progress_path(path).is_file():
        append_progress(path, entry)
    else:
        write_json_atomic(path, merge(data, entry))


def run_once(cmd: list, path: Path, hard_timeout: float) -> tuple[int, str | None]:
    """Run pytest; kill it if one behaviour runs past ``hard_timeout``."""
    proc = subprocess.Popen(cmd)
    while proc.poll() is None:
        time.sleep(POLL)
        running = (read_json(path) or {}).get("running")
        if running and time.time() - running["since"] > hard_timeout:
            proc.kill()
            proc.wait()
            return proc.returncode, f"timeout: killed after {hard_timeout:g} s (hard limit)"
    return proc.returncode, None


def supervise(pytest_args: list, hard_timeout: float, max_restarts: int = 20) -> int:
    path = _results_path(pytest_args)
    path.unlink(missing_ok=True)  # a stale file must not look like progress
    progress_path(path).unlink(missing_ok=True)
    resume: list = []
    for _ in range(max_restarts + 1):
        code, killed = run_once([sys.executable, "-m", "pytest", *pytest_args, *resume],
                                path, hard_timeout)
        data = read_json(path) or {}
        if not data.get("running"):
            return code
        outcome, why = ("timeout", killed) if killed else ("crash", describe_exit(code))
        behaviour = record_fault(path, outcome, why)
        print(f"supervise: {behaviour}: {outcome} ({why}); resuming the other behaviours",
              file=sys.stderr, flush=True)
        resume = ["--resume"]
    print(f"supervise: gave up after {max_restarts} restarts", file=sys.stderr)
    return 1


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    own, rest = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv \
        else ([], argv)
    ap = argparse.ArgumentParser(prog="python -m conformance.supervise",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--hard-timeout", type=float, default=60.0,
                    help="seconds one behaviour may run before the process is killed")
    opts = ap.parse_args(own)
    return supervise(rest, opts.hard_timeout)


if __name__ == "__main__":
    sys.exit(main())
