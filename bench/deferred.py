"""Deferred materialization, per env, the second table: the family's run time and the
1 B-parameter abstract build (``bench.abstract_1b``).

The family: the catalogue's behaviours of group ``materialise`` (their operations use
the groups abstract-build or sharded; ``spec/catalogue.py``), their time summed from a
run's results file (``seconds``, ``framework_seconds`` per behaviour): the bench's own
run, or with ``--deferred-only`` ``reports/results/<env>.json`` (the last tox run)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.abstract_1b import abstract_1b
from bench.budgets import RSS_BUDGET_MIB
from bench.envs import REPO
from bench.table import print_table
from spec.catalogue import load_catalogue  # no framework import

#: the deferred-materialization family: the catalogue's group of that name
FAMILY_GROUP = "materialise"
DEFERRED_HEAD = ("env", "family s", "framework s", "ran", "1B build s", "RSS growth MiB",
                 f"< {RSS_BUDGET_MIB} MiB", "params", "memory 0", "guard")
LEGEND = (f"(family s = the family's behaviours' seconds in the run, framework s = inside "
          f"the adapter's operations, ran = behaviours in the results / in the family; "
          f"1B = build_abstract((Dense(16384),) * 4, (16384,)) after a warm-up, RSS growth "
          f"= current / ru_maxrss, budget < {RSS_BUDGET_MIB} MiB on the larger)")


def deferred_family() -> list:
    """The ids of the catalogue's behaviours of group ``FAMILY_GROUP``
    (build-without-memory, ..., sharded-init-equals-whole)."""
    return [b.id for b in load_catalogue() if b.group == FAMILY_GROUP]


def family_seconds(data: dict, family: list) -> dict:
    """The family's seconds (and framework seconds) in one results file, and how many
    of its behaviours the file has."""
    seconds, inside = data.get("seconds", {}), data.get("framework_seconds", {})
    ran = [b for b in family if b in seconds]
    return {"family_s": round(sum(seconds[b] for b in ran), 3),
            "family_framework_s": round(sum(inside.get(b, 0.0) for b in ran), 3),
            "family_ran": f"{len(ran)}/{len(family)}",
            "family_slowest": max(ran, key=seconds.get) if ran else None}


def _family_row(env: str, found: dict, family: list) -> dict:
    """``env``'s family columns: from the bench's own run in ``found``, else from
    ``reports/results/<env>.json``."""
    row = found.get(env)
    if row is None:
        path = REPO / "reports" / "results" / f"{env}.json"
        row = family_seconds(json.loads(path.read_text()) if path.is_file() else {}, family)
    return {k: row.get(k) for k in
            ("family_s", "family_framework_s", "family_ran", "family_slowest")}


def _big_cells(got: dict, big: bool) -> list:
    """The 1 B columns of one env: its numbers, n/a naming the group, or the error."""
    if not big:
        return ["not run"] + [""] * 5
    if "na" in got:
        return [f"n/a ({got['na']})"] + [""] * 5
    if "error" in got:
        return [f"FAILED: {got['error']}"] + [""] * 5
    yes = {True: "yes", False: "NO"}
    return [got["seconds"], f"{got['rss_growth_mib']} / {got['maxrss_growth_mib']}",
            yes[got["under_budget"]], f"{got['params']:,}" + ("" if got["params_ok"] else " (!)"),
            yes[got["no_memory"]], got["guard"]]


def deferred_table(envs: list, rows: list, big: bool, out: Path | None) -> list:
    """Print the deferred-materialization table: per env the family's time (from
    ``rows``, the bench's own runs, else ``reports/results/<env>.json``) and the 1 B
    abstract build (``big``). Returns its rows; writes them to ``out`` if given."""
    family, found = deferred_family(), {r["env"]: r for r in rows}
    table = []
    for env in envs:
        table.append({"env": env, **_family_row(env, found, family),
                      "abstract_1b": abstract_1b(env) if big else {}})
        print(f"bench: {env} deferred done", file=sys.stderr, flush=True)
    print(f"deferred materialization (family: {', '.join(family)})")
    print_table(DEFERRED_HEAD, [[r["env"], r["family_s"], r["family_framework_s"],
                                 r["family_ran"], *_big_cells(r["abstract_1b"], big)]
                                for r in table])
    print(LEGEND)
    if out is not None:
        out.write_text(json.dumps({"deferred": table}, indent=1) + "\n")
        print(f"bench: wrote {out}")
    return table
