"""Benchmark: what the conformance run costs on top of the framework's own work.

    python bench/run.py [--envs mxnet,mxnet-np,...] [--repeat 5] [--tox [--tox-repeat 3]]
                        [--no-abstract-1b | --deferred-only] [--out F]

Needs the tox envs to exist (``tox -m all --notest`` creates them). Per env, in one
go: the floor (``bench/floor.py``), the test phase and where the rest goes
(``bench/phases.py``), printed as one table with the budget lines
(``bench/budgets.py``); with ``--tox`` a warm tox run (``bench/warm_tox.py``); then
the deferred-materialization table (``bench/deferred.py``, the 1 B-parameter abstract
build in ``bench/abstract_1b.py``). ``--no-abstract-1b`` leaves the 1 B build out;
``--deferred-only`` runs only that second table, with the family's time from
``reports/results/<env>.json`` (the last tox run) instead of a conformance run, and
writes ``--out`` only when given. Otherwise writes ``reports/bench.json`` (or
``--out``; generated, not committed).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.abstract_1b import abstract_1b_child  # noqa: E402  (no framework import)
from bench.budgets import REPORTED, budget_lines  # noqa: E402
from bench.deferred import deferred_table  # noqa: E402
from bench.envs import ENVS, REPO  # noqa: E402
from bench.floor import floors_and_starts  # noqa: E402
from bench.phases import bench_env  # noqa: E402
from bench.table import print_envs  # noqa: E402
from bench.warm_tox import tox_report  # noqa: E402


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--envs", default=",".join(ENVS))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--tox", action="store_true", help="also time a warm tox run")
    ap.add_argument("--tox-repeat", type=int, default=1,
                    help="warm tox runs to time (the median is reported)")
    ap.add_argument("--out", type=Path, default=None,
                    help="the JSON report (default reports/bench.json; with "
                    "--deferred-only none unless given)")
    ap.add_argument("--no-abstract-1b", action="store_true",
                    help="leave out the 1 B-parameter abstract build per env")
    ap.add_argument("--deferred-only", action="store_true",
                    help="only the deferred-materialization table: the 1 B build, and the "
                    "family's time from reports/results/<env>.json")
    ap.add_argument("--abstract-child", metavar="ENV", help=argparse.SUPPRESS)
    return ap


def report(rows: list, repeat: int) -> dict:
    """The JSON report of the envs' ``rows`` (without the tox and deferred parts)."""
    return {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
            "budgets": REPORTED, "repeat": repeat, "envs": rows,
            "sum_test_phases_s": round(sum(r["test_phase_s"] for r in rows), 2),
            "sum_floors_and_pytest_start_s": round(floors_and_starts(rows), 2)}


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if args.abstract_child:   # the child process of abstract_1b, in the env's interpreter
        print(json.dumps(abstract_1b_child(args.abstract_child)), flush=True)
        return 0
    envs, big = args.envs.split(","), not args.no_abstract_1b
    if args.deferred_only:
        deferred_table(envs, [], big, args.out)
        return 0
    rows = []
    for env in envs:
        rows.append(bench_env(env, args.repeat))
        print(f"bench: {env} done", file=sys.stderr, flush=True)
    print_envs(rows)
    print("\n".join(budget_lines(rows)))
    out = report(rows, args.repeat)
    if args.tox:
        out["tox_warm"] = tox_report(envs, rows, args.tox_repeat, out["sum_test_phases_s"])
    out["deferred"] = deferred_table(envs, rows, big, None)
    path = args.out or REPO / "reports" / "bench.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"bench: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
