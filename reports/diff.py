"""Which checks changed between two runs: outcome or observed value; and which
versions each system ran on both sides.

    python -m reports.diff OLD NEW      # each a results JSON file or a directory of them

Prints a header line (what is compared, the float tolerance), then one line
``only in OLD: a, b; only in NEW: c`` when some envs ran on one side only, then
per system whose versions changed a line ``flax: flax 0.12.8 -> 0.12.12, jax
0.10.2 -> 0.12.1``, and one line per changed check, ``env behaviour/check:
outcome A -> B (observed X -> Y); <the versions that changed, or "versions
unchanged">``; else ``no changes`` (``no changed check`` after version lines).
Versions: the framework's (``framework.version``, named by its family), every
key of ``versions`` and of ``framework.config``, read on both sides. Floats in
observed values (nested ones too) are equal within ``REL_TOL`` / ``ABS_TOL``;
integers, strings, booleans and None compare exactly.
Exit code: 0 no changed check and no env on one side only (a version change
alone does not count), 1 changes, 2 unreadable input.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from conformance.results_file import read_results

ABSENT = "absent"
#: observed floats closer than this are the same value (``math.isclose``)
REL_TOL, ABS_TOL = 1e-6, 1e-9
TOLERANCE = (f"floats equal within relative {REL_TOL:g} or absolute {ABS_TOL:g}; "
             "integers, strings and booleans exactly")
COMPARED = f"the outcome and observed value of each check ({TOLERANCE})"
HEADER = f"compared: {COMPARED}"


class DiffInputError(Exception):
    """An input that is neither a readable results file nor a directory of them."""


def recorded_versions(data: dict) -> dict:
    """``{component: version}`` a results file records, read generically: the
    framework's version (named by its family; by the system's name when ``versions``
    holds another version under the family's), every ``versions`` key, every
    ``framework.config`` key (``<name>_version`` shown as ``<name>``, left out when
    ``versions`` records ``<name>`` itself; a name ``versions`` has: ``config <key>``)."""
    fw = data.get("framework") or {}
    versions = {str(k): v for k, v in (data.get("versions") or {}).items()}
    label = str(fw.get("family") or fw.get("name") or "framework")
    for name in (label, str(fw.get("name") or label), "framework"):
        if versions.get(name, fw.get("version")) == fw.get("version"):
            label = name
            break
    out = {label: fw.get("version"), **versions}
    for key, value in (fw.get("config") or {}).items():
        name = key[:-len("_version")] if key.endswith("_version") else str(key)
        if name != key and name in versions:
            continue
        out.setdefault(name if name not in out else f"config {key}", value)
    return out


def load_side(path: Path) -> dict:
    """``{env: {"results": {(behaviour, check): result}, "versions": {...}}}`` from a
    results file or a directory of them."""
    path = Path(path)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if path.is_dir() and not files:
        raise DiffInputError(f"{path}: no *.json results files in this directory")
    side = {}
    for f in files:
        data, why = read_results(f)
        if data is None:
            raise DiffInputError(f"{f}: {why}; pass results JSON files written by a run")
        side[data.get("env") or f.stem] = {
            "results": {(r["behaviour"], r["check"]): r for r in data["results"]},
            "versions": recorded_versions(data)}
    return side


def same(a, b) -> bool:
    """Two observed values are the same: floats (at any depth) within the tolerance,
    everything else exactly (a bool never equals a number)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        both_nan = math.isnan(a) and math.isnan(b)
        return both_nan or math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def show(value, limit=80) -> str:
    text = " ".join(json.dumps(value).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def version_changes(old: dict, new: dict) -> list:
    """``[[component, old, new]]`` for every recorded version that differs (one side
    lacking it: ``absent``), in the new run's order, old-only ones last."""
    keys = [*new, *(k for k in old if k not in new)]
    return [[k, old.get(k, ABSENT), new.get(k, ABSENT)] for k in keys
            if old.get(k, ABSENT) != new.get(k, ABSENT)]


def check_changes(old: dict, new: dict) -> list:
    """The checks whose outcome or observed value differs, in the new run's order
    (old-only ones last)."""
    out = []
    for key in [*new, *(k for k in old if k not in new)]:
        ra, rb = old.get(key, {}), new.get(key, {})
        oa, ob = ra.get("outcome", ABSENT), rb.get("outcome", ABSENT)
        va, vb = ra.get("observed"), rb.get("observed")
        if oa != ob or not same(va, vb):
            out.append({"behaviour": key[0], "check": key[1],
                        "outcome": [oa, ob], "observed": [va, vb]})
    return out


def changes(old: dict, new: dict) -> dict:
    """What changed from ``old`` to ``new`` (each as ``load_side`` gives it): the envs
    on one side only, and per system in both (sorted) that changed its versions
    and/or checks."""
    systems = []
    for env in sorted(old.keys() & new.keys()):
        versions = version_changes(old[env]["versions"], new[env]["versions"])
        checks = check_changes(old[env]["results"], new[env]["results"])
        if versions or checks:
            systems.append({"env": env, "versions": versions, "checks": checks})
    return {"tolerance": TOLERANCE, "only_old": sorted(old.keys() - new.keys()),
            "only_new": sorted(new.keys() - old.keys()), "systems": systems}


def any_change(diff: dict) -> bool:
    """A changed check or an env on one side only (a version change alone is not)."""
    return bool(diff["only_old"] or diff["only_new"]
                or any(s["checks"] for s in diff["systems"]))


def only_line(diff: dict, old: str = "OLD", new: str = "NEW") -> str:
    """``only in OLD: a, b; only in NEW: c`` ("" when every env ran on both sides)."""
    parts = [f"only in {label}: {', '.join(envs)}"
             for label, envs in ((old, diff["only_old"]), (new, diff["only_new"])) if envs]
    return "; ".join(parts)


def versions_text(versions: list) -> str:
    """``flax 0.12.8 -> 0.12.12, jax 0.10.2 -> 0.12.1`` (each value on one line)."""
    one = lambda v: " ".join(v.split()) if isinstance(v, str) else show(v, 40)  # noqa: E731
    return ", ".join(f"{k} {one(a)} -> {one(b)}" for k, a, b in versions)


def moved(versions: list) -> list:
    """The version changes recorded on both sides (a release that moved), not a
    component one run recorded and the other did not: what a check line repeats (the
    system's line lists them all)."""
    return [v for v in versions if ABSENT not in v[1:]] or versions


def check_line(env: str, c: dict, versions: list) -> str:
    """``torch b/c: outcome A -> B (observed X -> Y); torch 2.0 -> 2.1``."""
    (oa, ob), (va, vb) = c["outcome"], c["observed"]
    return (f"{env} {c['behaviour']}/{c['check']}: outcome {oa} -> {ob} "
            f"(observed {show(va)} -> {show(vb)}); "
            f"{versions_text(moved(versions)) if versions else 'versions unchanged'}")


def system_lines(s: dict) -> list:
    """A system's version line (when its versions changed), then its changed checks,
    each ``{"kind": "versions"|"check", "env", "behaviour", "text"}``."""
    env = s["env"]
    head = ([{"kind": "versions", "env": env, "behaviour": "",
              "text": f"{env}: {versions_text(s['versions'])}"}] if s["versions"] else [])
    return head + [{"kind": "check", "env": env, "behaviour": c["behaviour"],
                    "text": check_line(env, c, s["versions"])} for c in s["checks"]]


def tagged_lines(diff: dict, old: str = "OLD", new: str = "NEW") -> list:
    """The changes as lines, each tagged with its kind (``only``, ``versions``,
    ``check``), env and behaviour; ``[]``: nothing changed."""
    only = only_line(diff, old, new)
    return ([{"kind": "only", "env": "", "behaviour": "", "text": only}] if only else []) + \
        [x for s in diff["systems"] for x in system_lines(s)]


def lines(diff: dict, old: str = "OLD", new: str = "NEW") -> list:
    """The changes as text lines, without the header (``[]``: nothing changed)."""
    return [t["text"] for t in tagged_lines(diff, old, new)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reports.diff",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path, help="results file or directory of the earlier run")
    ap.add_argument("new", type=Path, help="results file or directory of the later run")
    args = ap.parse_args(argv)
    try:
        diff = changes(load_side(args.old), load_side(args.new))
    except DiffInputError as exc:
        print(f"reports.diff: {exc}", file=sys.stderr)
        return 2
    text, changed = lines(diff), any_change(diff)
    tail = [] if changed else ["no changed check" if text else "no changes"]
    print("\n".join([HEADER, *text, *tail]))
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
