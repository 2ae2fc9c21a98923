"""Findings: the distinct differences per env, what an n/a check is owed to, and
how often two envs observed the same value.

A non-conforming check names its difference in its results record
(``"difference"``). An ``n/a`` check names its cause: another check of its
behaviour (``{"check": id}``: that check's difference), a capability the
framework lacks (``{"capability": "cap=value"}``: the difference of the check
that ``observes`` the capability, when that check does not conform there), or a
step (``{"step": ..., "raised"|"unsupported": ...}``: no difference).
"""
from __future__ import annotations

import json
from pathlib import Path

from adapters.interface import requirement_capability
from conformance import differences
from reports.scoring import ABSENT, NA

REPO = Path(__file__).resolve().parent.parent
NON_CONFORMING = differences.NON_CONFORMING
OBSERVED = ("conforms", "diverges")  # outcomes that carry an observed value


def observers(catalogue) -> dict:
    """``{capability: [(behaviour, check), ...]}``: the checks that observe it."""
    out = {}
    for b in catalogue:
        for c in b.checks:
            if c.observes:
                out.setdefault(c.observes, []).append((b.id, c.id))
    return out


def na_because(cause, behaviour: str, results: dict, owners: dict, depth: int = 0) -> dict:
    """``{"difference": id}`` or ``{"why": words}``: what an n/a result is owed to."""
    if not isinstance(cause, dict) or not cause:
        return {"why": "no cause recorded"}
    if "check" in cause:
        r = results.get((behaviour, cause["check"]))
        if r and r["outcome"] in NON_CONFORMING and r.get("difference"):
            return {"difference": r["difference"]}
        if r and r["outcome"] == "n/a" and depth < 8:
            return na_because(r.get("cause"), behaviour, results, owners, depth + 1)
        return {"why": f"needs {cause['check']}" + (f" ({r['outcome']})" if r else "")}
    if "capability" in cause:
        req = str(cause["capability"])
        for key in owners.get(requirement_capability(req), ()):
            r = results.get(key)
            if r and r["outcome"] in NON_CONFORMING and r.get("difference"):
                return {"difference": r["difference"]}
        return {"why": f"capability {req}"}
    if "step" in cause:
        what = (f"unsupported {cause['unsupported']}" if "unsupported" in cause
                else f"raised {cause.get('raised', '?')}")
        return {"why": f"step {cause['step']} {what}"}
    return {"why": json.dumps(cause)[:120]}


def na_text(r: dict) -> str:
    """``n/a → torch/x`` or ``n/a (capability init_step=deferred)``."""
    if r.get("because"):
        return f"n/a → {r['because']}"
    return f"n/a ({r['na_why']})" if r.get("na_why") else "n/a"


def cell_text(c: dict) -> str:
    """A matrix cell: ``diverges (2/5): torch/x; n/a → torch/y ×2``."""
    if c["outcome"] in ABSENT:
        return c["outcome"]
    notes = c.get("notes", [])
    if c["outcome"] == NA:
        return "; ".join(notes) or NA
    head = f"{c['outcome']} ({c['conforms']}/{c['total']})"
    return head + (": " + "; ".join(notes) if notes else "")


def shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def env_findings(name: str, env: dict, rows: list, family_file=None) -> dict:
    """The distinct differences env ``name`` shows in ``rows`` (merged behaviours):
    each with the checks it explains, the n/a checks owed to it and the classes of
    random-architecture counterexamples it explains (with the smallest); plus the
    unattributed checks and the catalogue's idle differences. ``family_file``: the
    differences of its system as ``reports.build.load_differences`` read them (a
    ``FamilyDifferences``; None: none)."""
    if "results" not in env:
        return {"status": env["status"], "differences": [], "unattributed": [], "idle": []}
    known = family_file.differences if family_file else None
    explains, cascades, unattributed = {}, {}, []
    for b in rows:
        for c in b["checks"]:
            r, where = c["envs"][name], f"{b['id']}/{c['id']}"
            if r["outcome"] in NON_CONFORMING:
                if r.get("difference"):
                    explains.setdefault(r["difference"], []).append(where)
                else:
                    unattributed.append(where)
            elif r.get("because"):
                cascades.setdefault(r["because"], []).append(where)
    shown_by = counterexamples(env, unattributed)
    items = list(known.items) if known else []
    order = [d.id for d in items] + sorted((explains.keys() | cascades.keys() | shown_by.keys())
                                           - {d.id for d in items})
    found = [difference_entry(did, known.get(did) if known else None, explains.get(did, []),
                              cascades.get(did, []), shown_by.get(did, []))
             for did in order if did in explains or did in cascades or did in shown_by]
    return {"status": env["status"],
            "file": shown(known.path) if known and known.path.is_file() else "",
            "why": (family_file.why if family_file else None) or "",
            "differences": found, "unattributed": unattributed,
            "idle": [d.id for d in items if d.id not in explains and d.id not in cascades]}


def counterexamples(env: dict, unattributed: list) -> dict:
    """``{difference: [{"example", "code", "classes"}]}``: the random-architecture
    classes (``test_properties.py``) each difference explains, one entry per
    architecture (its code once); a class no difference names joins ``unattributed``."""
    shown_by = {}
    for prop, run in sorted(env.get("properties", {}).items()):
        for cls, seen in run.get("classes", {}).items():
            if not seen.get("difference"):
                unattributed.append(f"property {prop}: {cls}")
                continue
            entries = shown_by.setdefault(seen["difference"], [])
            entry = next((e for e in entries if e["example"] == seen["example"]), None)
            if entry is None:
                entry = {"example": seen["example"], "code": seen.get("code"), "classes": []}
                entries.append(entry)
            entry["classes"].append({"property": prop, "class": cls, "detail": seen["detail"]})
    return shown_by


def difference_entry(did: str, d, explains: list, na: list, shown_by: list) -> dict:
    """Difference ``did`` as one env shows it: what the differences file says of it
    (``d``; None: not in the file), the checks it explains, the n/a checks owed to
    it and its counterexamples."""
    repro = d.repro if d else None
    return {"id": did, "statement": d.statement if d else "(not in the differences file)",
            "only_in": list(d.only_in) if d else [],
            "consequence_of": d.consequence_of if d else "",
            "when_platform": d.when_platform if d else "",
            "evidence": d.evidence if d else "", "link": d.link if d else "",
            "explains": explains, "na": na, "counterexamples": shown_by,
            "repro": shown(repro) if repro else "",
            "repro_code": repro.read_text(encoding="utf-8") if repro and repro.is_file()
            else None}


def families(report: dict, family_of) -> list:
    """The differences grouped by framework family, each difference ONCE:
    ``[{"family", "systems": [env...], "ran": [env...], "differences": [{..., "holds_in":
    [env...], "na_in": [env...], "systems": only_in or the family's systems,
    "explains": [(check, [env...])], "na": [(check, [env...])], "counterexamples":
    [{..., "envs": [env...]}]}], "unattributed": [(check, [env...])], "idle": [(id,
    [env...])], "why": [...]}]`` in the order of the envs (``family_of(env)``)."""
    out = {}
    for env, f in report["findings"].items():
        fam = out.setdefault(family_of(env), {"family": family_of(env), "systems": [], "ran": [],
                                              "differences": {}, "unattributed": {},
                                              "idle": {}, "why": []})
        fam["systems"].append(env)
        if f["status"] in ("not run", "unreadable"):
            continue
        fam["ran"].append(env)
        if f.get("why") and f["why"] not in fam["why"]:
            fam["why"].append(f["why"])
        for d in f["differences"]:
            e = fam["differences"].setdefault(d["id"], {
                **{k: v for k, v in d.items() if k not in ("explains", "na", "counterexamples")},
                "holds_in": [], "na_in": [], "explains": {}, "na": {}, "counterexamples": []})
            if d["explains"]:
                e["holds_in"].append(env)
            if d["na"]:
                e["na_in"].append(env)
            for where in d["explains"]:
                e["explains"].setdefault(where, []).append(env)
            for where in d["na"]:
                e["na"].setdefault(where, []).append(env)
            for c in d.get("counterexamples", []):
                same = next((x for x in e["counterexamples"] if x["example"] == c["example"]
                             and x["classes"] == c["classes"]), None)
                if same is None:
                    same = {**c, "envs": [], "codes": []}
                    e["counterexamples"].append(same)
                same["envs"].append(env)
                code = next((x for x in same["codes"] if x["code"] == c.get("code")), None)
                if code is None:
                    same["codes"].append({"code": c.get("code"), "envs": [env]})
                else:
                    code["envs"].append(env)
        for where in f["unattributed"]:
            fam["unattributed"].setdefault(where, []).append(env)
        for did in f["idle"]:
            fam["idle"].setdefault(did, []).append(env)
    result = []
    for fam in out.values():
        diffs = list(fam["differences"].values())
        for d in diffs:
            d["systems"] = d["only_in"] or list(fam["systems"])
            d["explains"] = list(d["explains"].items())
            d["na"] = list(d["na"].items())
        fam["differences"] = diffs
        fam["unattributed"] = list(fam["unattributed"].items())
        seen = {d["id"] for d in diffs}
        fam["idle"] = [(i, envs) for i, envs in fam["idle"].items() if i not in seen]
        result.append(fam)
    return result


def grouped(pairs: list) -> list:
    """``[(check, [env...])]`` -> ``[([env...], [check...])]``: checks that hold in the
    same envs together, in first-seen order."""
    out = {}
    for where, envs in pairs:
        out.setdefault(tuple(envs), []).append(where)
    return [(list(envs), checks) for envs, checks in out.items()]


def same_value(a, b, compare: str = "equal", tol: float = 0.0) -> bool:
    """Normalized observations are equal (``approx``: numbers within ``tol``)."""
    if compare == "approx":
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) \
                and not isinstance(a, bool) and not isinstance(b, bool):
            return abs(a - b) <= tol
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(same_value(x, y, compare, tol)
                                            for x, y in zip(a, b))
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(same_value(a[k], b[k], compare, tol)
                                                for k in a)
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def agreement(rows: list, envs) -> dict:
    """``{a: {b: {"same": k, "both": n}}}`` for every pair of envs: over the checks
    both ran to an observed value, how many observed the same value."""
    names = list(envs)
    table = {a: {} for a in names}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            same = both = 0
            for row in rows:
                for c in row["checks"]:
                    ra, rb = c["envs"][a], c["envs"][b]
                    if ra["outcome"] in OBSERVED and rb["outcome"] in OBSERVED:
                        both += 1
                        same += same_value(ra.get("observed"), rb.get("observed"),
                                           c.get("compare", "equal"), c.get("tol", 0.0))
            table[a][b] = table[b][a] = {"same": same, "both": both}
    return table


def share(pair: dict | None) -> str:
    """``k/n (p%)``, or ``-`` when no check was observed by both."""
    if not pair or not pair["both"]:
        return "-"
    return f"{pair['same']}/{pair['both']} ({round(100 * pair['same'] / pair['both'])}%)"
