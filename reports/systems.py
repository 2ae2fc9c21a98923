"""One page per system: ``reports/systems/<env>.md``.

Each opens with **What to act on**: the env's differences, the one that explains
the most checks first, each with its statement, its checks and the command that
runs its repro in that env (the env's interpreter, ``.tox/<host env>/bin/python``,
with the variables the system needs: ``adapters/systems.py``); then its adapter faults (``blocked``
checks, failed adapter self-tests), unattributed checks, the documentation claims
judged in it, and its matrix column.
"""
from __future__ import annotations

import shlex

from adapters.systems import SYSTEMS
from reports.findings import cell_text
from reports.markdown import md


def interpreters() -> dict:
    """``{system: {"python": ".tox/<host env>/bin/python", "vars": {VAR: value}}}``
    from the registry (``adapters/systems.py``): the interpreter a system runs in and
    the environment it needs before its framework is imported."""
    return {s.name: {"python": f".tox/{s.host}/bin/python", "vars": dict(s.environment)}
            for s in SYSTEMS.values()}


def repro_command(env: str, repro: str, envs: dict) -> str:
    """The shell command that runs ``repro`` in ``env`` from the repository root."""
    t = envs.get(env, {"python": "python", "vars": {}})
    assign = " ".join(f"{k}={shlex.quote(v)}" for k, v in t["vars"].items())
    return f"{assign + ' ' if assign else ''}{t['python']} {shlex.quote(repro)}"


def system(report: dict, env: str, envs: dict | None = None) -> dict:
    """What env ``env`` has to act on (the module doc), as data; ``envs``: the
    ``interpreters()`` (their default)."""
    envs = interpreters() if envs is None else envs
    f = report["findings"][env]
    act = sorted(f["differences"], key=lambda d: (-len(d["explains"]), -len(d["na"])))
    act = [{"id": d["id"], "statement": d["statement"], "explains": d["explains"],
            "consequence_of": d.get("consequence_of", ""),
            "when_platform": d.get("when_platform", ""),
            "na": d["na"], "evidence": d["evidence"], "repro": d["repro"],
            "missing": d["repro_code"] is None,
            "command": repro_command(env, d["repro"], envs) if d["repro"] else ""}
           for d in act]
    blocked = [{"check": f"{b['id']}/{c['id']}", "fault": c["envs"][env].get("fault") or [],
                "message": c["envs"][env].get("message") or ""}
               for b in report["behaviours"] for c in b["checks"]
               if c["envs"][env]["outcome"] == "blocked"]
    selftests = report["envs"][env].get("selftests") or {}
    failed = [{"name": n, "message": t.get("message", ""), "covers": t.get("covers", [])}
              for n, t in selftests.items() if t.get("outcome") == "fault"]
    passed = sum(t.get("outcome") == "passed" for t in selftests.values())
    claims = [{"id": c["id"], "quote": c["quote"], "expected": c["expected"],
               "verdict": c["envs"][env]["verdict"],
               "observed": (c["envs"][env].get("observed")
                            if c["envs"][env]["outcome"] in ("conforms", "diverges")
                            else c["envs"][env].get("message") or "")}
              for c in report["doc_claims"] if env in c["envs"]]
    return {"env": env, "status": f["status"], "act": act, "blocked": blocked,
            "selftests": {"run": len(selftests), "passed": passed, "failed": failed},
            "unattributed": f.get("unattributed", []), "idle": f.get("idle", []),
            "claims": claims,
            "column": [(b["id"], cell_text(b["cells"][env])) for b in report["behaviours"]]}


def render_system_md(report: dict, s: dict) -> str:
    env = s["env"]
    e = report["envs"][env]
    fw = e.get("framework") or {}
    head = f"{fw.get('name', env)} {fw.get('version', '')}".strip()
    out = [f"# {md(env)}: {md(head)} ({md(s['status'])})", "",
           "Part of the [parity report](../parity.md) (also as HTML: `parity.html`, built "
           "by `tox -e report`, the CI artifact `parity-report`). "
           "Commands run from the repository root.", "", "## What to act on", ""]
    if s["status"] in ("not run", "unreadable"):
        out.append(f"Nothing: this env's results are {md(s['status'])}"
                   + (f" ({md(e['why'])})." if e.get("why") else "."))
    elif not s["act"]:
        out.append("No difference from the reference.")
    for i, d in enumerate(s["act"], 1):
        n, k = len(d["explains"]), len(d["na"])
        out += [f"### {i}. {md(d['id'])}: explains {n} check{'s' * (n != 1)}"
                + (f" (+{k} n/a)" if k else ""), "", md(d["statement"], None), "",
                f"- checks: {', '.join(f'`{md(w)}`' for w in d['explains']) or 'none'}"]
        if d["consequence_of"]:
            out.append(f"- a consequence of `{md(d['consequence_of'])}` (counted there)")
        if d["when_platform"]:
            out.append(f"- holds on {md(d['when_platform'], None)}")
        if d["na"]:
            out.append(f"- n/a because of it: {', '.join(f'`{md(w)}`' for w in d['na'])}")
        out.append(f"- evidence: {md(d['evidence'] or '-', None)}")
        if d["command"]:
            out += [f"- repro{' (missing)' if d['missing'] else ''}:", "",
                    "  ```sh", f"  {d['command'].replace(chr(10), ' ')}", "  ```"]
        out.append("")
    out += ["", "## Adapter faults", "",
            "Checks `blocked` by a failed adapter self-test (`conformance/selftests`): "
            "fix the adapter; no expectation or difference excuses them.", ""]
    failed = s["selftests"]["failed"]
    for t in failed:
        out.append(f"- self-test **{md(t['name'])}** failed: {md(t['message'], None)} "
                   f"(covers {md(', '.join(t['covers']) or '-')})")
    for b in s["blocked"]:
        out.append(f"- `{md(b['check'])}` blocked by {md(', '.join(b['fault']) or '?')}: "
                   f"{md(b['message'], None)}")
    if not (failed or s["blocked"]):
        t = s["selftests"]
        other = t["run"] - t["passed"]
        out.append("None" + (f": {t['passed']} of {t['run']} adapter self-tests passed"
                             + (f", {other} did not apply (unsupported, n/a or left out by a marker)" if other else "")
                             if t["run"] else "") + ".")
    out += ["", "## Unattributed checks", ""]
    out += [f"- `{md(w)}`" for w in s["unattributed"]] or ["None."]
    if s["idle"]:
        out += ["", "Idle differences (listed, but explain no check of this run): "
                + ", ".join(f"`{md(i)}`" for i in s["idle"])]
    out += ["", "## Documentation claims", ""]
    if s["claims"]:
        out += ["| claim | the text says | verdict | expected | observed |",
                "|---|---|---|---|---|"]
        out += [f"| {md(c['id'])} | {md(c['quote'])} | {md(c['verdict'])} | {md(c['expected'])} "
                f"| {md(c['observed'])} |" for c in s["claims"]]
    else:
        out.append("None judged in this env.")
    out += ["", "## Matrix column", "", f"| behaviour | {md(env)} |", "|---|---|"]
    out += [f"| [{b}](../parity.md#{b}) | {md(text)} |" for b, text in s["column"]]
    return "\n".join(out) + "\n"

