"""Regenerate an expectations file from a run (like ``wpt update-expectations``).

    python -m conformance.expectations update reports/results/torch.json \\
        [--file conformance/expectations/torch.toml] [--differences FILE]

It writes only what cannot be derived: a non-conforming check that a difference
of the system explains (``--differences``, else the differences file the results
record, else the family's file in this repository) is expected from that
difference's ``outcome`` and gets no entry (a mismatch is a WARNING: set the
difference's ``outcome``); an entry with a ``when_version``/``when_config``
condition is kept. Every other non-conforming check (documentation claims, checks
no difference explains yet) gets an entry. An entry that still holds
(same check, same outcome, its ``when_version`` true for the run's version)
keeps its hand-written reason, link and condition (a ``TODO`` reason is filled in
when a difference now explains the check); a new or changed one gets
``reason = "TODO: explain"``, with the observed value and message as comments.
Entries for other framework versions are kept; stale ones (no such check) are
dropped. ``error`` results are never written: an error always fails.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from conformance import differences

from conformance.expectations import EXPECTABLE, Entry, Expectations, shown

TODO = "TODO: explain"
HEADER = """\
# Known non-conforming outcomes of env {env!r} ({framework} {version}) that no
# difference explains (documentation claims) or that hold under a condition only.
# A check a difference of the system explains is expected to end in that
# difference's outcome (derived, not written here); any other check not listed
# here is expected to conform. Format and conditions:
# conformance/expectations/__init__.py. Regenerate after a run with
#   python -m conformance.expectations update{options}
# (hand-written reasons and links of entries that still hold are kept).
"""


def safe_name(env: str) -> str:
    """``env`` as a file name (a selector such as ``pkg.mod:Class`` -> ``pkg.mod-Class``)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", str(env)).strip("-.") or "env"


def found_in(results: dict, path: Path | None = None):
    """The differences of the run's system: from ``path``, else the file the results
    record (when it exists), else the family's file in this repository."""
    fw = results["framework"]
    recorded = fw.get("differences")
    if path is None and recorded and Path(recorded).is_file():
        path = Path(recorded)
    return differences.for_framework(fw.get("family") or fw["name"], path).for_system(fw["name"])


def regenerate(results: dict, old: Expectations, catalogue,
               found=None) -> tuple[list, dict, list]:
    """``(entries, notes, log)``: the new entries in catalogue order, ``{check:
    (observed, message)}`` of this run's entries, and one line per change; reasons
    come from ``found`` (a differences catalogue; default ``found_in(results)``)."""
    version = results["framework"]["version"]
    config = results["framework"].get("config", {})
    order = [f"{b.id}/{c.id}" for b in catalogue for c in b.checks]
    got = {f"{r['behaviour']}/{r['check']}": r for r in results["results"]}
    active, log = old.active(version, config), []
    entries, notes = [e for e in old.entries
                      if e.check in order and not e.applies(version, config)], {}
    found = found if found is not None else found_in(results)
    derived = {c: d for d in found.items for c in d.explains}   # written nowhere else
    for e in old.stale(catalogue):
        log.append(f"removed stale {e.check} ({e.outcome}): no such check in the catalogue")
    for where in order:
        r, prev = got.get(where), active.get(where)
        if r is None:
            if prev:
                entries.append(prev)
                log.append(f"kept {where} ({prev.outcome}): not run, cannot judge")
            continue
        if r["outcome"] == "error":
            log.append(f"WARNING {where} is an error ({r['message']}): fix the harness or "
                       "adapter; " + (f"kept its {prev.outcome} entry" if prev else "not written"))
            entries += [prev] if prev else []
            continue
        if r["outcome"] not in EXPECTABLE:
            if prev:
                log.append(f"removed {where}: expected {prev.outcome}, now {r['outcome']}")
            continue
        owner = derived.get(where)
        if owner is not None and not (prev and (prev.when_version or prev.when_config)):
            if owner.outcome != r["outcome"]:
                log.append(f"WARNING {where} is {r['outcome']}, but {owner.id} causes "
                           f"{owner.outcome}: set its outcome in {shown(found.path)}")
            elif prev:
                log.append(f"removed {where} ({prev.outcome}): derived from {owner.id}")
            continue
        notes[where] = (r.get("observed"), r.get("message", ""))
        named = found.get(r.get("difference") or "")
        reason = f"{named.statement} [{named.id}]" if named else TODO
        if prev and prev.outcome == r["outcome"]:
            if prev.reason == TODO and named:
                log.append(f"explained {where}: reason {reason!r}")
            entries.append(replace(prev, reason=reason) if prev.reason == TODO else prev)
            continue
        entries.append(Entry(where, r["outcome"], reason))
        log.append(f"added {where} ({r['outcome']})" +
                   (f", was {prev.outcome}" if prev else "") + f": reason {reason!r}")
    entries.sort(key=lambda e: order.index(e.check))
    return entries, notes, log


def toml_str(text: str) -> str:
    """A TOML basic string (JSON's escapes are a subset TOML accepts)."""
    return json.dumps(text, ensure_ascii=False)


def comment(label: str, value, limit=200) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    text = " ".join(str(text).split())
    return f"# {label}: {text if len(text) <= limit else text[:limit - 3] + '...'}"


def render(results: dict, entries: list, notes: dict, options: str = "") -> str:
    fw = results["framework"]
    out = [HEADER.format(env=safe_name(results["env"]), framework=fw["name"],
                         version=fw["version"], options=options)]
    for e in entries:
        out.append("[[expect]]")
        out.append(f"check = {toml_str(e.check)}")
        out.append(f"outcome = {toml_str(e.outcome)}")
        out.append(f"reason = {toml_str(e.reason)}")
        if e.link:
            out.append(f"link = {toml_str(e.link)}")
        if e.when_version:
            out.append(f"when_version = {toml_str(e.when_version)}")
        if e.when_config:
            out.append(f"when_config = {toml_str(e.when_config)}")
        if e.check in notes and e.applies(fw["version"], fw.get("config", {})):
            observed, message = notes[e.check]
            if e.outcome == "diverges":
                out.append(comment("observed", observed))
            if message:
                out.append(comment("message", message))
        out.append("")
    return "\n".join(out)


def update(results: dict, path: Path, old: Expectations, catalogue, found=None,
           options: str = "", results_path: str | None = None) -> list:
    """Rewrite ``path`` from ``results``; returns the change log. The header's
    regenerate line names ``results_path`` (the results file given; default
    ``reports/results/<env>.json``) and repeats the command-line ``options``."""
    shown_results = results_path or f"reports/results/{safe_name(results['env'])}.json"
    entries, notes, log = regenerate(results, old, catalogue, found)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(results, entries, notes, f" {shown_results}{options}"),
                    encoding="utf-8")
    kept = sum(e.reason != TODO for e in entries)
    log.append(f"wrote {shown(path)}: {len(entries)} entries ({kept} with reasons, "
               f"{len(entries) - kept} TODO)")
    return log
