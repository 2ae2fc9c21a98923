"""``python -m conformance.expectations update RESULTS.json [--file PATH]``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conformance import expectations
from conformance.expectations.update import update
from reports.build import read_results
from spec.catalogue import SpecError, load_catalogue


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m conformance.expectations",
                                 description="maintain conformance/expectations/<env>.toml")
    sub = ap.add_subparsers(dest="command", required=True)
    up = sub.add_parser("update", help="regenerate an expectations file from a results JSON")
    up.add_argument("results", type=Path, help="a results file, e.g. reports/results/torch.json")
    up.add_argument("--file", type=Path, default=None,
                    help="the expectations file (default: conformance/expectations/<env>.toml)")
    args = ap.parse_args(argv)
    results, why = read_results(args.results)
    if results is None:
        print(f"expectations: {args.results}: {why}; pass a results JSON of a run",
              file=sys.stderr)
        return 2
    path = args.file or expectations.default_path(results.get("env") or args.results.stem)
    try:
        catalogue = load_catalogue()
        old = expectations.load(path)
    except (SpecError, expectations.ExpectationsError) as exc:
        print(f"expectations: {exc}", file=sys.stderr)
        return 2
    if not results.get("complete"):
        print(f"expectations: note: {args.results} is an incomplete run; entries of checks "
              "not run are kept as they are", file=sys.stderr)
    for line in update(results, path, old, catalogue):
        print(f"expectations: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
