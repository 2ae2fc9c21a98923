"""Which checks changed between two runs: outcome or observed value.

    python -m reports.diff OLD NEW      # each a results JSON file or a directory of them

Prints one line per changed check,
``env behaviour/check: outcome A -> B (observed X -> Y)``, or ``no changes``;
an env present on one side only is one line ``env: only in OLD|NEW``.
Exit code: 0 no change, 1 changes, 2 unreadable input.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from conformance.results_file import read_results

ABSENT = "absent"


class DiffInputError(Exception):
    """An input that is neither a readable results file nor a directory of them."""


def load_side(path: Path) -> dict:
    """``{env: {(behaviour, check): result}}`` from a results file or a directory."""
    path = Path(path)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if path.is_dir() and not files:
        raise DiffInputError(f"{path}: no *.json results files in this directory")
    side = {}
    for f in files:
        data, why = read_results(f)
        if data is None:
            raise DiffInputError(f"{f}: {why}; pass results JSON files written by a run")
        side[data.get("env") or f.stem] = {(r["behaviour"], r["check"]): r
                                           for r in data["results"]}
    return side


def show(value, limit=80) -> str:
    text = " ".join(json.dumps(value).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def changes(old: dict, new: dict) -> list:
    """One line per env missing on a side and per check whose outcome or observed
    value differs, envs sorted, checks in the new run's order (old-only ones last)."""
    lines = []
    for env in sorted(old.keys() | new.keys()):
        if env not in new or env not in old:
            lines.append(f"{env}: only in {'OLD' if env in old else 'NEW'}")
            continue
        a, b = old[env], new[env]
        for key in [*b, *(k for k in a if k not in b)]:
            ra, rb = a.get(key, {}), b.get(key, {})
            oa, ob = ra.get("outcome", ABSENT), rb.get("outcome", ABSENT)
            va, vb = ra.get("observed"), rb.get("observed")
            if oa != ob or va != vb:
                lines.append(f"{env} {key[0]}/{key[1]}: outcome {oa} -> {ob} "
                             f"(observed {show(va)} -> {show(vb)})")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reports.diff",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path, help="results file or directory of the earlier run")
    ap.add_argument("new", type=Path, help="results file or directory of the later run")
    args = ap.parse_args(argv)
    try:
        lines = changes(load_side(args.old), load_side(args.new))
    except DiffInputError as exc:
        print(f"reports.diff: {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines) if lines else "no changes")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
