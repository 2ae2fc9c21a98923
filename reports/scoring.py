"""Scoring rules: a behaviour's cell per env, the score table, interoperability.

* A cell is the worst outcome over the behaviour's checks (``SEVERITY``) and how
  many conform, out of every check that applies (a fixed denominator).
* ``n/a`` (a premise the framework lacks, or a step that could not run) is left
  out of the worst outcome unless every check is n/a: then the behaviour is
  ``n/a``, never "conforms (0/0)". ``unsupported`` and ``n/a`` never pass.
* A behaviour fully conforms when all its non-n/a checks conform and one does.
* Interoperable: every env that ran the behaviour has the same outcome on every
  check that is n/a in no env (two envs at least, one such check at least).
"""
from __future__ import annotations

NA = "n/a"
ABSENT = ("not run", "unreadable")  # an env (or a check) with no result
SEVERITY = ("crash", "timeout", "error", "blocked", "diverges", "unsupported",
            "not run")  # worst first; blocked: an adapter fault (conformance/selftests)
SCORE_COLUMNS = ("diverges", "unsupported", NA, "blocked", "error", "crash", "timeout", "not run")


def worst(outcomes: list) -> str:
    """The behaviour's outcome from its checks' outcomes (rules above)."""
    judged = [o for o in outcomes if o != NA]
    if not judged:
        return NA
    found = next((o for o in SEVERITY if o in judged), None)
    if found:
        return found
    # an outcome this reporter does not know is never read as a pass
    return next((o for o in judged if o != "conforms"), "conforms")


def cell(outcomes: list, status: str) -> dict:
    """One behaviour × env cell from its applicable checks' outcomes; an env not
    run or unreadable shows its status."""
    if status in ABSENT:
        return {"outcome": status, "conforms": 0, "total": len(outcomes)}
    counts = {}
    for o in outcomes:
        counts[o] = counts.get(o, 0) + 1
    return {"outcome": worst(outcomes), "conforms": counts.get("conforms", 0),
            "total": len(outcomes), **counts}


def interoperable(checks: list, cells: dict) -> bool:
    """``checks``: ``[{"envs": {env: {"outcome": ...}}}]`` of one behaviour; ``cells``
    its ``{env: cell}``. True when every env that ran it agrees (module doc)."""
    ran = [n for n, c in cells.items() if c["outcome"] not in ABSENT]
    if len(ran) < 2:
        return False
    shared = [c for c in checks if all(c["envs"][n]["outcome"] != NA for n in ran)]
    for c in shared:
        outcomes = {c["envs"][n]["outcome"] for n in ran}
        if len(outcomes) != 1 or outcomes & {*ABSENT, "does not apply"}:
            return False
    return bool(shared)


def score(rows: list, envs) -> dict:
    """Per env, how many behaviours (not checks) end in each outcome, over every
    scored behaviour; ``interop``: the interoperable behaviours."""
    total = len(rows)
    table = {}
    for name in envs:
        row = dict.fromkeys(("conforms", *SCORE_COLUMNS), 0)
        for b in rows:
            o = b["cells"][name]["outcome"]
            row[o if o in row else "not run" if o in ABSENT else "error"] += 1
        table[name] = {**row, "total": total}
    interop = [b["id"] for b in rows if b["interop"]]
    return {"total": total, "envs": table,
            "interop": {"count": len(interop), "behaviours": interop}}
