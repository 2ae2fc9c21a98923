"""``python -m conformance.expectations update RESULTS.json [--file PATH]
[--differences FILE]``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conformance import differences, expectations
from conformance.expectations.update import found_in, safe_name, update
from conformance.results_file import read_results
from spec.catalogue import SpecError, load_catalogue


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m conformance.expectations",
                                 description="maintain conformance/expectations/<env>.toml")
    sub = ap.add_subparsers(dest="command", required=True)
    up = sub.add_parser("update", help="regenerate an expectations file from a results JSON")
    up.add_argument("results", type=Path, help="a results file, e.g. reports/results/torch.json")
    up.add_argument("--file", type=Path, default=None,
                    help="the expectations file (default: conformance/expectations/<env>.toml)")
    up.add_argument("--differences", type=Path, default=None,
                    help="the differences file whose statements become reasons (default: "
                         "the one the results record, else "
                         "conformance/differences/<family>.toml)")
    return ap


def options(args, path: Path, env: str) -> str:
    """The options the expectations file's header repeats in its regenerate line."""
    default = path.resolve() == expectations.default_path(env).resolve()
    out = "" if default else f" --file {expectations.shown(path)}"
    return out + (f" --differences {expectations.shown(args.differences)}"
                  if args.differences else "")


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    results, why = read_results(args.results)
    if results is None:
        print(f"expectations: {args.results}: {why}; pass a results JSON of a run",
              file=sys.stderr)
        return 2
    if args.differences and not args.differences.is_file():
        print(f"expectations: --differences {args.differences}: no such file", file=sys.stderr)
        return 2
    env = safe_name(results.get("env") or args.results.stem)
    path = args.file or expectations.default_path(env)
    try:
        catalogue = load_catalogue()
        old = expectations.load(path)
        found = found_in(results, args.differences)
    except (SpecError, expectations.ExpectationsError, differences.DifferencesError) as exc:
        print(f"expectations: {exc}", file=sys.stderr)
        return 2
    if not results.get("complete"):
        print(f"expectations: note: {args.results} is an incomplete run; entries of checks "
              "not run are kept as they are", file=sys.stderr)
    print(f"expectations: reasons from {expectations.shown(found.path)}" if found.path.is_file()
          else f"expectations: note: no differences file {expectations.shown(found.path)}; "
               "new reasons are TODO (pass --differences FILE)")
    for line in update(results, path, old, catalogue, found, options(args, path, env),
                       expectations.shown(Path(args.results))):
        print(f"expectations: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
