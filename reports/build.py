"""Merge per-env results files into ``parity.md``, ``parity.json`` and ``parity.html``.

    python -m reports.build reports/results --out reports [--baseline OLD_DIR]

Takes any set of ``<env>.json`` files (one CI artifact per env). The envs in
``EXPECTED_ENVS`` always get a column: a missing file shows "not run", an
unreadable one "unreadable"; nothing is dropped silently. The report names the
results directory (and the baseline's); with ``--baseline`` it opens with what
changed since then (``reports/diff.py``: the envs on one side only, each system's
version changes, each changed check); then a behaviours x systems heat map
(``reports/heatmap.py``, also ``heatmap.svg``; changed cells marked ``Δ``), how
often two envs observed the same value and the score; then one page per system
(``systems/<env>.md``, ``reports/systems.py``), each framework family's distinct
differences from the reference, each once (``conformance/differences/``,
``reports/findings.py``), the matrix (score rules: ``reports/scoring.py``), over
the whole catalogue except the documentation claims, which are judged apart
(``reports/claims.py``). Each check is matched against
``conformance/expectations/<env>.toml`` (stale entries are listed); its expected
value is the one its results record. The repository commits ``parity.md``,
``heatmap.svg`` and ``systems/`` (with ``docs/spec.md`` and the README's matrix,
``--spec-doc``, ``--readme``), which link only to each other; ``parity.html`` and
``parity.json`` are CI's artifact (``docs/ci.md``).
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from adapters.systems import SYSTEMS
from conformance import differences as differences_mod
from conformance import expectations
from conformance.differences import Catalogue
from conformance.expectations.verdict import judge
from conformance.results_file import SCHEMA, read_results, write_json_atomic
from reports import claims, findings, heatmap, scoring, spec_doc, systems
from reports.diff import DiffInputError, changes as diff_changes, load_side
from reports.html import render_html
from reports.markdown import page_name, render_md
from spec.catalogue import SpecError, load_catalogue, load_sources

#: env -> the framework family it runs (a column each, in this order): the registry
EXPECTED_ENVS = {s.name: s.family for s in SYSTEMS.values()}
DOES_NOT_APPLY = "does not apply"  # a check limited (applies_to) to other frameworks
UNJUDGED = ("not run", "unreadable", DOES_NOT_APPLY)  # no expectation verdict


def load_envs(results_dir: Path) -> dict:
    envs = {name: {"status": "not run"} for name in EXPECTED_ENVS}
    # a run killed halfway left only its progress file: read_results replays it
    paths = {*Path(results_dir).glob("*.json"),
             *(p.with_suffix("") for p in Path(results_dir).glob("*.json.progress"))}
    for path in sorted(paths):
        data, why = read_results(path)
        env = (data or {}).get("env") or path.stem
        if data is None:
            print(f"reports: skipping {path}: {why}", file=sys.stderr)
            envs[env] = {"status": "unreadable", "why": why, "file": str(path)}
            continue
        envs[env] = {"status": "ok" if data.get("complete") else "incomplete",
                     "file": str(path), "framework": data["framework"],
                     "versions": data.get("versions", {}),
                     "left_out": data.get("left_out", {}),
                     "properties": data.get("properties", {}),
                     "selftests": data.get("selftests") or {},
                     "results": {(r["behaviour"], r["check"]): r for r in data["results"]}}
    return envs


def framework_of(name: str, env: dict) -> str:
    """The framework family an env ran (its results say; an env not run: the
    family ``EXPECTED_ENVS`` gives, else its name)."""
    fw = env.get("framework") or {}
    return fw.get("family") or fw.get("name") or EXPECTED_ENVS.get(name, name)


def load_expectations(envs: dict, directory: Path, catalogue,
                      differences: dict | None = None) -> dict:
    """``{env: {"active": {check: Entry}, "stale": [...], "file": ..., "why": ...}}``
    for every env that has results, the outcomes its family's differences cause
    included (``Expectations.derive``; ``differences``: ``load_differences``'s,
    its default); an unreadable file is named, not fatal."""
    loaded = load_differences(envs) if differences is None else differences
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
        fw = env["framework"]
        found = system_differences(name, env, loaded)
        known = known.derive(found.differences) if found and found.differences else known
        out[name] = {"active": known.active(fw["version"], fw.get("config") or {}),
                     "stale": [e.check for e in known.stale(catalogue)],
                     "file": expectations.shown(path) if known.exists else "(none)", "why": ""}
    return out


def recorded_differences(env: dict) -> Path | None:
    """The differences file an env's results file records (``framework.differences``)
    when it lies outside this repository's ``conformance/differences/`` (an outside
    adapter's), found as recorded (absolute, or relative to the working directory)
    or relative to the results file's directory; None when there is none."""
    recorded = (env.get("framework") or {}).get("differences")
    if not recorded or "file" not in env:
        return None
    beside = Path(env["file"]).parent
    for path in (Path(recorded), beside / recorded, beside / Path(recorded).name):
        if path.is_file() and path.resolve().parent != differences_mod.DIR.resolve():
            return path
    return None


@dataclass(frozen=True)
class FamilyDifferences:
    """One framework family's differences file as the report read it: ``differences``,
    or None and ``why`` it could not be read."""
    family: str
    path: Path
    differences: Catalogue | None
    why: str | None = None

    @classmethod
    def of(cls, catalogue: Catalogue) -> "FamilyDifferences":
        return cls(catalogue.framework, catalogue.path, catalogue)

    def for_system(self, system: str) -> "FamilyDifferences":
        """The differences that hold in ``system`` (``only_in``)."""
        return replace(self, differences=self.differences.for_system(system)
                       if self.differences else None)


def load_differences(envs: dict, directory: Path | None = None) -> dict:
    """``{family: FamilyDifferences}`` for every env's family: the differences file its
    results file records when that is an outside one (an adapter outside this
    repository: its repros resolve relative to it), else ``directory``'s (default
    ``conformance/differences/``); a missing file is an empty catalogue."""
    out = {}
    for name, env in envs.items():
        fw, own = framework_of(name, env), recorded_differences(env)
        empty = fw in out and out[fw].differences is not None and not out[fw].differences.items
        if fw in out and not (own and empty):   # an outside file replaces an empty one
            continue
        path = own or differences_mod.path_for(fw, directory or differences_mod.DIR)
        try:
            out[fw] = FamilyDifferences.of(differences_mod.for_framework(fw, path))
        except differences_mod.DifferencesError as exc:
            out[fw] = FamilyDifferences(fw, path, None, str(exc))
            print(f"reports: {exc}", file=sys.stderr)
    return out


def system_differences(name: str, env: dict, loaded: dict) -> FamilyDifferences | None:
    """The differences of env ``name``'s family (``loaded``: ``load_differences``'s)
    that hold in its system; None for a family ``loaded`` leaves out."""
    found = loaded.get(framework_of(name, env))
    return found.for_system((env.get("framework") or {}).get("name", name)) if found else None


def recorded_expected(b, c, envs: dict):
    """Check ``c``'s expected value as the results files record it (the first env's
    that ran it: a run renders with what it was judged against, an older catalogue's
    too), else the catalogue's."""
    for env in envs.values():
        r = (env.get("results") or {}).get((b.id, c.id))
        if r is not None and "expected" in r:
            return r["expected"]
    return c.expected


def _expectation(r: dict, behaviour: str, check: str, known: dict | None) -> dict:
    """How a check result stands against its env's expectations (the suite's own
    verdict: ``conformance/expectations/verdict.py``)."""
    if known is None or r["outcome"] in UNJUDGED:
        return {}
    v = judge({**r, "behaviour": behaviour, "check": check}, known["active"], "")
    return {"expected_outcome": v.expected, "matched": v.matched,
            "reason": v.entry.reason if v.entry else "", "link": v.entry.link if v.entry else ""}


def result_of(b, c, name: str, env: dict, known: dict | None, owners: dict,
              expected) -> dict:
    """One check's result in one env, as the report shows it (with the ``expected``
    value its run recorded when that is not the row's ``expected``)."""
    if not c.applies(framework_of(name, env)):
        return {"outcome": DOES_NOT_APPLY}
    results = env.get("results")
    r = results.get((b.id, c.id)) if results is not None else None
    if r is None:
        out = {"outcome": env["status"] if results is None else "not run"}
        if b.id in env.get("left_out", {}):
            out["message"] = f"left out: marker {env['left_out'][b.id]}"
    else:
        out = {k: r.get(k) for k in ("outcome", "observed", "message")}
        out.update({k: r[k] for k in ("difference", "cause", "fault", "via") if k in r})
        if not findings.same_value(r.get("expected", expected), expected):
            out["expected"] = r["expected"]
        if r["outcome"] == scoring.NA:
            why = findings.na_because(r.get("cause"), b.id, results, owners)
            out.update({"because": why["difference"]} if "difference" in why
                       else {"na_why": why["why"]})
    out.update(_expectation(out, b.id, c.id, known))
    return out


def merge(catalogue, envs: dict, known: dict | None = None, differences: dict | None = None,
          systems: dict | None = None) -> dict:
    """The report. ``known``: from ``load_expectations``; ``differences``:
    ``{family: FamilyDifferences}`` (default: ``load_differences(envs)``; a family
    left out has none); ``systems``: spec/sources.toml ``[systems]`` (default: that
    file). Expected values are the ones the results files record."""
    known = known or {}
    loaded = load_differences(envs) if differences is None else differences
    systems = load_sources().get("systems", {}) if systems is None else systems
    owners = findings.observers(catalogue)
    rows, claim_rows = [], []
    for b in catalogue:
        if claims.is_claims(b):
            claim_rows += [claim_row(b, c, envs, known, owners, systems) for c in b.checks]
            continue
        checks = [check_row(b, c, envs, known, owners) for c in b.checks]
        cells = {n: scoring.cell([c["envs"][n]["outcome"] for c in checks
                                  if c["envs"][n]["outcome"] != DOES_NOT_APPLY], e["status"])
                 for n, e in envs.items()}
        for n, cl in cells.items():
            cl["notes"] = cell_notes([c["envs"][n] for c in checks])
        rows.append({"id": b.id, "title": b.title, "statement": b.statement.strip(),
                     "source": b.source, "cells": cells, "checks": checks,
                     "interop": scoring.interoperable(checks, cells)})
    meta = {n: {k: v for k, v in e.items() if k != "results"} for n, e in envs.items()}
    for n, k in known.items():
        meta[n]["expectations"] = expectations_summary(n, k, rows, claim_rows)
    report = {"schema": SCHEMA, "envs": meta,
              "findings": {n: findings.env_findings(n, e, rows,
                                                    system_differences(n, e, loaded))
                           for n, e in envs.items()},
              "agreement": findings.agreement(rows, envs),
              "behaviours": rows, "doc_claims": claim_rows,
              "score": scoring.score(rows, envs)}
    report["families"] = findings.families(report, lambda n: framework_of(n, envs[n]))
    return report


def check_row(b, c, envs: dict, known: dict, owners: dict) -> dict:
    """One scored check with its result in every env."""
    expected = recorded_expected(b, c, envs)
    return {"id": c.id, "description": c.description, "expected": expected,
            "basis": c.basis, "semantics": c.semantics,
            "compare": c.compare, "tol": c.tol, "requires": list(c.requires),
            "envs": {n: result_of(b, c, n, e, known.get(n), owners, expected)
                     for n, e in envs.items()}}


def expectations_summary(name: str, known: dict, rows: list, claim_rows: list) -> dict:
    """How env ``name``'s checks (claims included) stand against its expectations."""
    judged = [(f"{b['id']}/{c['id']}", c["envs"][name]) for b in rows for c in b["checks"]]
    judged += [(f"{c['behaviour']}/{c['id']}", c["envs"][name]) for c in claim_rows
               if name in c["envs"]]
    judged = [(w, r) for w, r in judged if "matched" in r]
    return {"file": known["file"], "stale": known["stale"], "why": known["why"],
            "judged": len(judged), "not_as_expected": [w for w, r in judged if not r["matched"]]}


def cell_notes(results: list) -> list:
    """What a cell's non-conforming, then its n/a, checks are owed to: ``["torch/x",
    "unattributed", "adapter fault (round-trip): fix the adapter", "n/a → torch/y ×2",
    "n/a (capability init_step=deferred)"]``."""
    counts = {}
    for r in [r for r in results if r["outcome"] != scoring.NA] + \
            [r for r in results if r["outcome"] == scoring.NA]:
        if r["outcome"] in findings.NON_CONFORMING and "difference" in r:
            note = r["difference"] or "unattributed"
        elif r["outcome"] == "blocked":   # an adapter fault: fix the adapter
            note = f"adapter fault ({', '.join(r.get('fault', []))}): fix the adapter"
        elif r["outcome"] == scoring.NA:
            note = findings.na_text(r)
        else:
            continue
        counts[note] = counts.get(note, 0) + 1
    via = sorted({api for r in results for api in r.get("via") or ()})
    return [f"{n} ×{k}" if k > 1 else n for n, k in counts.items()] + \
        [f"judged via {api}" for api in via]


def claim_row(b, c, envs: dict, known: dict, owners: dict, systems: dict) -> dict:
    """One documentation claim with its verdict in every env that ran it."""
    per_env, expected = {}, recorded_expected(b, c, envs)
    for name, env in envs.items():
        if "results" not in env or not c.applies(framework_of(name, env)):
            continue
        r = result_of(b, c, name, env, known.get(name), owners, expected)
        fw = env["framework"]
        r["verdict"] = claims.verdict(c, framework_of(name, env), fw["version"], r["outcome"],
                                      systems, fw.get("config") or {})
        per_env[name] = r
    return {"behaviour": b.id, "id": c.id, "description": c.description,
            "expected": expected, "seed": c.seed, "quote": c.quote,
            "system": c.system, "system_text": claims.system_text(c.system, systems),
            "evidence": c.evidence, "applies_to": list(c.applies_to), "envs": per_env,
            "holds_in": claims.holds_in(per_env)}


README_START, README_END = "<!-- matrix:start -->", "<!-- matrix:end -->"
README_SECTIONS = ("Matrix", "Score")


def section(text: str, title: str) -> str:
    """The ``## title`` section of a Markdown text, up to the next ``## ``."""
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 3)
    return text[start:end if end >= 0 else len(text)].strip() + "\n\n"


def update_readme(path: Path, parity_md: str) -> bool:
    """Copy the matrix and score sections of parity.md between the README's markers."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if README_START not in text or README_END not in text:
        return False
    body = "".join(section(parity_md, t) for t in README_SECTIONS)
    body = body.replace("## ", "### ").replace("](#", "](reports/parity.md#")
    head, rest = text.split(README_START, 1)
    path.write_text(f"{head}{README_START}\n{body.strip()}\n{README_END}"
                    f"{rest.split(README_END, 1)[1]}", encoding="utf-8")
    return True


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results_dir", type=Path)
    ap.add_argument("--out", type=Path, default=Path("reports"))
    ap.add_argument("--expectations", type=Path, default=expectations.DIR,
                    help="directory of <env>.toml expectation files")
    ap.add_argument("--differences", type=Path, default=differences_mod.DIR,
                    help="directory of <framework>.toml differences files")
    ap.add_argument("--baseline", type=Path, default=None,
                    help="results of a previous run (file or directory), e.g. the last "
                    "release's: the report opens with 'Changed since <baseline>' (before the "
                    "heat map, whose changed cells it marks)")
    ap.add_argument("--spec-doc", type=Path, default=None,
                    help="also regenerate the catalogue document (docs/spec.md) with the "
                    "current outcomes (reports/spec_doc.py)")
    ap.add_argument("--readme", type=Path, default=None,
                    help="also refresh the matrix between this file's "
                    "<!-- matrix:start/end --> markers")
    return ap


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        catalogue = load_catalogue()
        changes = (diff_changes(load_side(args.baseline), load_side(args.results_dir))
                   if args.baseline else None)
    except (SpecError, DiffInputError) as exc:
        print(f"reports: {exc}", file=sys.stderr)
        return 2
    envs = load_envs(args.results_dir)
    found = load_differences(envs, args.differences)
    report = merge(catalogue, envs, load_expectations(envs, args.expectations, catalogue, found),
                   found)
    report["results_dir"] = str(args.results_dir)
    if changes is not None:
        report["changes"], report["baseline"] = changes, str(args.baseline)
    text = write_report(report, args.out)
    if args.readme and update_readme(args.readme, text):
        print(f"reports: refreshed the matrix in {args.readme}")
    if args.spec_doc:
        args.spec_doc.write_text(spec_doc.render(catalogue, report), encoding="utf-8")
    summarise(report, args.out)
    return 0


def summarise(report: dict, out: Path) -> None:
    """What was written, each env's status and every stale expectation."""
    status = ", ".join(f"{n}: {e['status']}" for n, e in report["envs"].items())
    print(f"reports: wrote parity.md, parity.json, parity.html, heatmap.svg and systems/*.md "
          f"in {out} ({status})")
    for name, e in report["envs"].items():
        for check in e.get("expectations", {}).get("stale", []):
            print(f"reports: WARNING stale expectation {name} {check}: no such check")


def write_report(report: dict, out: Path) -> str:
    """Write parity.json, heatmap.svg, parity.md, systems/*.md and parity.html in
    ``out``; return parity.md's text. The Markdown files and the heat map link only
    to each other (the repository commits them; parity.html and parity.json are the
    CI artifact): a heat-map cell and row to the behaviour's details in parity.md."""
    out.mkdir(parents=True, exist_ok=True)
    write_json_atomic(out / "parity.json", report)
    (out / "heatmap.svg").write_text(heatmap.svg(
        report, lambda b, env: f"parity.md#{b}",
        lambda env: f"systems/{page_name(env)}.md" if page_name(env) else "",
        lambda b: f"parity.md#{b}") + "\n",
        encoding="utf-8")
    text = render_md(report, heatmap="heatmap.svg") + "\n"
    (out / "parity.md").write_text(text, encoding="utf-8")
    pages, envs = out / "systems", systems.interpreters()
    pages.mkdir(exist_ok=True)
    for name in report["envs"]:
        if page_name(name):
            (pages / f"{page_name(name)}.md").write_text(systems.render_system_md(
                report, systems.system(report, name, envs)), encoding="utf-8")
    (out / "parity.html").write_text(render_html(report), encoding="utf-8")
    return text


if __name__ == "__main__":
    sys.exit(main())
