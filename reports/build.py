"""Merge per-env results files into ``parity.md``, ``parity.json`` and ``parity.html``.

    python -m reports.build reports/results --out reports [--baseline OLD_DIR]

Takes any set of ``<env>.json`` files (one CI artifact per env). The envs in
``EXPECTED_ENVS`` always get a column: a missing file shows "not run", an
unreadable one "unreadable"; nothing is dropped silently. Each check is matched
against ``conformance/expectations/<env>.toml`` (stale entries are listed);
each diverging or unsupported cell carries its repro,
``conformance/repros/<env>/<behaviour>.py`` ("no repro yet" when missing).
The score counts behaviours, not checks, over the whole catalogue.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from conformance import expectations
from conformance.results_file import OUTCOMES, SCHEMA, write_json_atomic
from spec.catalogue import SpecError, load_catalogue

EXPECTED_ENVS = ("mxnet", "torch", "tf")
NOT_APPLICABLE = "n/a"  # a documentation claim about another framework
SEVERITY = ("crash", "timeout", "error", "diverges", "unsupported", "conforms")  # worst first
SCORE_COLUMNS = ("diverges", "unsupported", "error", "crash", "timeout", "not run")
REPO = Path(__file__).resolve().parent.parent
REPROS = REPO / "conformance" / "repros"
NO_REPRO = "no repro yet"


def read_results(path: Path) -> tuple[dict | None, str]:
    """(results, "") or (None, why it is unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"not valid JSON ({type(exc).__name__}: {str(exc)[:80]})"
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return None, "no 'results' list"
    if data.get("schema") != SCHEMA:
        return None, f"schema {data.get('schema')!r}, this reporter reads schema {SCHEMA}"
    return data, ""


def load_envs(results_dir: Path) -> dict:
    envs = {name: {"status": "not run"} for name in EXPECTED_ENVS}
    for path in sorted(Path(results_dir).glob("*.json")):
        data, why = read_results(path)
        env = (data or {}).get("env") or path.stem
        if data is None:
            print(f"reports: skipping {path}: {why}", file=sys.stderr)
            envs[env] = {"status": "unreadable", "why": why, "file": str(path)}
            continue
        envs[env] = {"status": "ok" if data.get("complete") else "incomplete",
                     "file": str(path), "framework": data["framework"],
                     "versions": data.get("versions", {}),
                     "results": {(r["behaviour"], r["check"]): r for r in data["results"]}}
    return envs


def framework_of(name: str, env: dict) -> str:
    """The framework an env ran (its results say; an env not run is named after it)."""
    return (env.get("framework") or {}).get("name", name)


def cell(behaviour, env: dict, framework: str) -> dict:
    """Per-behaviour score of one env over the checks that apply to its framework:
    the worst outcome, and how many conform."""
    checks = behaviour.checks_for(framework)
    if env["status"] in ("not run", "unreadable"):
        return {"outcome": env["status"], "conforms": 0, "total": len(checks)}
    found = [env["results"].get((behaviour.id, c.id)) for c in checks]
    outcomes = [r["outcome"] if r else "not run" for r in found]
    worst = next((o for o in (*SEVERITY[:-1], "not run") if o in outcomes), "conforms")
    return {"outcome": worst, "conforms": outcomes.count("conforms"), "total": len(outcomes),
            **{o: outcomes.count(o) for o in (*OUTCOMES, "not run") if o in outcomes}}


def load_expectations(envs: dict, directory: Path, catalogue) -> dict:
    """``{env: {"active": {check: Entry}, "stale": [...], "file": ..., "why": ...}}``
    for every env that has results; an unreadable file is named, not fatal."""
    out = {}
    for name, env in envs.items():
        if "results" not in env:
            continue
        path = Path(directory) / f"{name}.toml"
        try:
            known = expectations.load(path)
        except expectations.ExpectationsError as exc:
            print(f"reports: {exc}", file=sys.stderr)
            out[name] = {"active": {}, "stale": [], "file": str(path), "why": str(exc)}
            continue
        out[name] = {"active": known.active(env["framework"]["version"]),
                     "stale": [e.check for e in known.stale(catalogue)],
                     "file": expectations.shown(path) if known.exists else "(none)", "why": ""}
    return out


def _expectation(r: dict, where: str, known: dict | None) -> dict:
    """How a check result stands against its env's expectations."""
    if known is None or r["outcome"] in ("not run", "unreadable", NOT_APPLICABLE):
        return {}
    entry = known["active"].get(where)
    want = entry.outcome if entry else "conforms"
    return {"expected_outcome": want, "matched": r["outcome"] == want != "error",
            "reason": entry.reason if entry else "", "link": entry.link if entry else ""}


def repro(env: str, behaviour_id: str, directory: Path = REPROS) -> str | None:
    path = Path(directory) / env / f"{behaviour_id}.py"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def merge(catalogue, envs: dict, known: dict | None = None, repros: Path = REPROS) -> dict:
    """The report: per behaviour, per env cells and per check results; ``known``
    (from ``load_expectations``) adds the expectation of each check."""
    known = known or {}
    rows = []
    for b in catalogue:
        checks = []
        for c in b.checks:
            per_env = {}
            for name, env in envs.items():
                if not c.applies(framework_of(name, env)):
                    per_env[name] = {"outcome": NOT_APPLICABLE}
                    continue
                r = env.get("results", {}).get((b.id, c.id))
                per_env[name] = ({k: r.get(k) for k in ("outcome", "observed", "message")}
                                 if r else {"outcome": env["status"] if "results" not in env
                                            else "not run"})
                per_env[name].update(_expectation(per_env[name], f"{b.id}/{c.id}",
                                                  known.get(name)))
            checks.append({"id": c.id, "description": c.description,
                           "expected": c.expected, "envs": per_env,
                           **({"claim": {"seed": c.seed, "quote": c.quote,
                                         "applies_to": list(c.applies_to)}} if c.quote else {})})
        cells = {n: cell(b, e, framework_of(n, e)) for n, e in envs.items()}
        for n, c in cells.items():
            if c["outcome"] not in ("conforms", "not run", "unreadable"):
                c["repro"] = repro(n, b.id, repros)
        rows.append({"id": b.id, "title": b.title, "statement": b.statement.strip(),
                     "source": b.source, "cells": cells, "checks": checks,
                     "interop": agree(checks)})
    meta = {n: {k: v for k, v in e.items() if k != "results"} for n, e in envs.items()}
    for n, k in known.items():
        judged = [(f"{b['id']}/{c['id']}", c["envs"][n]) for b in rows for c in b["checks"]
                  if "matched" in c["envs"][n]]
        meta[n]["expectations"] = {"file": k["file"], "stale": k["stale"], "why": k["why"],
                                   "judged": len(judged),
                                   "not_as_expected": [w for w, r in judged if not r["matched"]]}
    report = {"schema": SCHEMA, "envs": meta, "behaviours": rows}
    report["score"] = score(report)
    return report


def agree(checks: list) -> bool:
    """Every env has run every check that applies to it, and all envs have the same
    outcome on each; checks that apply to fewer than two envs (documentation
    claims about one framework) cannot show interoperability."""
    shared = [c for c in checks
              if sum(r["outcome"] != NOT_APPLICABLE for r in c["envs"].values()) > 1]
    for c in shared:
        outcomes = {r["outcome"] for r in c["envs"].values()} - {NOT_APPLICABLE}
        if len(outcomes) != 1 or outcomes & {"not run", "unreadable", "incomplete"}:
            return False
    return bool(shared)


def score(report: dict) -> dict:
    """Per env, how many behaviours (not checks) end in each worst outcome, over
    the whole catalogue; ``unsupported`` is its own column, never a pass. The
    ``interop`` entry counts the behaviours on which all envs agree."""
    total = len(report["behaviours"])
    table = {}
    for name in report["envs"]:
        row = dict.fromkeys(("conforms", *SCORE_COLUMNS), 0)
        for b in report["behaviours"]:
            o = b["cells"][name]["outcome"]
            row[o if o in row else "not run"] += 1
        table[name] = {**row, "total": total}
    interop = [b["id"] for b in report["behaviours"] if b["interop"]]
    return {"total": total, "envs": table, "interop": {"count": len(interop),
                                                       "behaviours": interop}}


def md(value) -> str:
    """Untrusted text as one safe Markdown table cell."""
    text = value if isinstance(value, str) else json.dumps(value)
    text = " ".join(text.split())
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text[:400]


def cell_text(c: dict) -> str:
    if c["outcome"] in ("not run", "unreadable"):
        return c["outcome"]
    return f"{c['outcome']} ({c['conforms']}/{c['total']})"


def expectation_note(r: dict) -> str:
    """Empty when the check matched its expectation (or none applies)."""
    if r.get("matched", True):
        return ""
    return f" **not as expected: expected {r['expected_outcome']}**"


def render_md(report: dict, changes: list | None = None) -> str:
    envs = list(report["envs"])
    out = ["# Lazy-initialization parity", "",
           "Generated by `python -m reports.build` from `reports/results/*.json`. "
           "Reference semantics: MXNet Gluon as taught by the seed texts. "
           "Also as HTML: `parity.html`.", "", "## Versions", "",
           "| env | framework | version | python | numpy | status |", "|---|---|---|---|---|---|"]
    for name, e in report["envs"].items():
        fw, v = e.get("framework", {}), e.get("versions", {})
        out.append(f"| {md(name)} | {md(fw.get('name', '-'))} | {md(fw.get('version', '-'))} | "
                   f"{md(v.get('python', '-'))} | {md(v.get('numpy', '-'))} | "
                   f"{md(e['status'] + (': ' + e['why'] if e.get('why') else ''))} |")
    out += render_score_md(report)
    out += ["", "## Matrix", "",
            "Each cell: the worst outcome over the behaviour's checks, and how many conform. "
            "interop: every env has the same outcome on every check.", "",
            "| behaviour | " + " | ".join(envs) + " | interop |",
            "|---|" + "---|" * (len(envs) + 1)]
    for b in report["behaviours"]:
        cells = [cell_text(c) for c in b["cells"].values()]
        out.append(f"| [{b['id']}](#{b['id']}) | " + " | ".join(cells)
                   + f" | {'yes' if b['interop'] else 'no'} |")
    if changes is not None:
        out += ["", "## Changes since previous run", ""]
        out += (["```text", *(line.replace("`", "'") for line in changes), "```"]
                if changes else ["No changes."])
    out += render_expectations_md(report)
    out += render_doc_claims_md(report)
    out += ["", "## Details", ""]
    for b in report["behaviours"]:
        src = b["source"]
        out += [f"### {b['id']}", "", f"**{b['title']}.** {' '.join(b['statement'].split())}", "",
                f"Source: `{src['seed']}`, section \"{src['section']}\": \"{md(src['quote'])}\"",
                "",
                "| check | expected | " + " | ".join(envs) + " |", "|---|---|" + "---|" * len(envs)]
        for c in b["checks"]:
            cols = []
            for name in envs:
                r = c["envs"][name]
                text = r["outcome"]
                if r["outcome"] == "diverges":
                    text += f": observed {md(r['observed'])}"
                if r.get("message") and r["outcome"] != "conforms":
                    text += f" ({md(r['message'])})"
                cols.append(text + expectation_note(r))
            out.append(f"| {c['id']} | {md(c['expected'])} | " + " | ".join(cols) + " |")
        for name, c in b["cells"].items():
            if "repro" in c:
                out += ["", f"Repro ({name}, {c['outcome']}):", ""]
                out += (["```python", c["repro"].rstrip(), "```"] if c["repro"]
                        else [f"_{NO_REPRO}_ (add `conformance/repros/{name}/{b['id']}.py`)"])
        out.append("")
    return "\n".join(out)


def doc_claims(report: dict) -> list:
    """``(claim check, env, result)`` for every documentation claim, in spec order."""
    return [(c, name, c["envs"][name]) for b in report["behaviours"] for c in b["checks"]
            if "claim" in c for name in c["claim"]["applies_to"] if name in c["envs"]]


def render_doc_claims_md(report: dict) -> list:
    claims = doc_claims(report)
    if not claims:
        return []
    out = ["", "## What the documentation says vs what the framework does", "",
           "| framework | the seed says | source | expected | observed | outcome |",
           "|---|---|---|---|---|---|"]
    for c, name, r in claims:
        observed = r.get("observed") if r["outcome"] in ("conforms", "diverges") else \
            r.get("message", "")
        out.append(f"| {md(name)} | {md(c['claim']['quote'])} | `{c['claim']['seed']}` | "
                   f"{md(c['expected'])} | {md(observed)} | {r['outcome']} |")
    return out


def render_score_md(report: dict) -> list:
    sc = report["score"]
    cols = ("conforms", *SCORE_COLUMNS)
    out = ["", "## Score", "",
           f"Behaviours, not checks, over the whole catalogue ({sc['total']}): a behaviour "
           "fully conforms when all its checks conform; otherwise it counts under its worst "
           "outcome. `unsupported` never counts as a pass.", "",
           "| env | fully conform | " + " | ".join(cols[1:]) + " |", "|---|" + "---|" * len(cols)]
    for name, row in sc["envs"].items():
        out.append(f"| {md(name)} | {row['conforms']}/{row['total']} | "
                   + " | ".join(str(row[c]) for c in cols[1:]) + " |")
    agreed = ", ".join(sc["interop"]["behaviours"]) or "none"
    out.append(f"| interop (all envs agree) | {sc['interop']['count']}/{sc['total']} | "
               f"{md(agreed)} |" + " |" * (len(cols) - 2))
    return out


def render_expectations_md(report: dict) -> list:
    out = ["", "## Expectations", "",
           "Each env's known non-conforming checks: `conformance/expectations/<env>.toml`.", "",
           "| env | file | as expected | not as expected | stale entries |",
           "|---|---|---|---|---|"]
    for name, e in report["envs"].items():
        if "expectations" not in e:
            continue
        x = e["expectations"]
        bad, stale = x["not_as_expected"], ", ".join(x["stale"]) or "none"
        out.append(f"| {md(name)} | {md(x['why'] or x['file'])} | "
                   f"{x['judged'] - len(bad)}/{x['judged']} | {md(', '.join(bad) or 'none')} | "
                   f"{'STALE: ' if x['stale'] else ''}{md(stale)} |")
    return out


README_START, README_END = "<!-- matrix:start -->", "<!-- matrix:end -->"


def update_readme(path: Path, parity_md: str) -> bool:
    """Copy the score and matrix sections of parity.md between the README's markers."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if README_START not in text or README_END not in text:
        return False
    section = parity_md[parity_md.index("## Score"):parity_md.index("## Matrix")]
    matrix = parity_md[parity_md.index("## Matrix"):]
    matrix = matrix[:matrix.index("\n## ", 3)] if "\n## " in matrix[3:] else matrix
    body = (section + matrix).replace("## ", "### ").replace("](#", "](reports/parity.md#")
    head, rest = text.split(README_START, 1)
    path.write_text(f"{head}{README_START}\n{body.strip()}\n{README_END}"
                    f"{rest.split(README_END, 1)[1]}", encoding="utf-8")
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results_dir", type=Path)
    ap.add_argument("--out", type=Path, default=Path("reports"))
    ap.add_argument("--expectations", type=Path, default=expectations.DIR,
                    help="directory of <env>.toml expectation files")
    ap.add_argument("--baseline", type=Path, default=None,
                    help="results of a previous run (file or directory): adds the section "
                    "'Changes since previous run'")
    ap.add_argument("--readme", type=Path, default=None,
                    help="also refresh the matrix between this file's "
                    "<!-- matrix:start/end --> markers")
    args = ap.parse_args(argv)
    from reports.diff import DiffInputError, changes as diff, load_side
    try:
        catalogue = load_catalogue()
        changes = (diff(load_side(args.baseline), load_side(args.results_dir))
                   if args.baseline else None)
    except (SpecError, DiffInputError) as exc:
        print(f"reports: {exc}", file=sys.stderr)
        return 2
    envs = load_envs(args.results_dir)
    report = merge(catalogue, envs, load_expectations(envs, args.expectations, catalogue))
    if changes is not None:
        report["changes"] = changes
    args.out.mkdir(parents=True, exist_ok=True)
    write_json_atomic(args.out / "parity.json", report)
    text = render_md(report, changes) + "\n"
    (args.out / "parity.md").write_text(text, encoding="utf-8")
    if args.readme and update_readme(args.readme, text):
        print(f"reports: refreshed the matrix in {args.readme}")
    from reports.html import render_html
    (args.out / "parity.html").write_text(render_html(report), encoding="utf-8")
    status = ", ".join(f"{n}: {e['status']}" for n, e in report["envs"].items())
    print(f"reports: wrote parity.md, parity.json and parity.html in {args.out} ({status})")
    for name, e in report["envs"].items():
        for check in e.get("expectations", {}).get("stale", []):
            print(f"reports: WARNING stale expectation {name} {check}: no such check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
