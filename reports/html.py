"""Render the merged report as one self-contained ``parity.html``.

jinja2 with autoescape on: framework messages, observed values, difference
statements and repro code are untrusted text. No network, no script: inline CSS
only (the outcome filter is CSS ``:has()``, repros fold into ``<details>``), and a
Content-Security-Policy that forbids scripts outright.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from reports import heatmap, systems
from reports.claims import short
from reports.diff import COMPARED, any_change, tagged_lines
from reports.findings import cell_text, grouped, na_text, share
from reports.markdown import FIRST_LINES, basis_text, holds_text, page_name
from reports.scoring import SCORE_COLUMNS

TEMPLATES = Path(__file__).resolve().parent / "templates"
OUTCOME_FILTERS = ("conforms", "diverges", "unsupported", "n/a", "blocked", "error", "crash",
                   "timeout",
                   "not run", "unreadable")


def css_class(outcome: str) -> str:
    """``"not run"`` -> ``"o-not-run"``; ``"holds (also)"`` -> ``"o-holds-also"``."""
    return "o-" + re.sub(r"[^a-z0-9]+", "-", str(outcome).lower()).strip("-")


def as_text(value):
    """A value as element text: JSON unless a string, escaped for text content
    (``<``, ``>``, ``&``; quotes need no escape there, which keeps JSON legible)."""
    text = value if isinstance(value, str) else json.dumps(value)
    return Markup(html.escape(text, quote=False))


def lead(text: str, limit: int = 140) -> str:
    """The first words of ``text`` (never cut mid-word), for a <details> summary."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[:limit + 1].rsplit(" ", 1)[0] + " …"


def safe_link(url: str) -> str:
    """Only http(s) links become hrefs (a ``javascript:`` URL never does)."""
    return url if re.match(r"https?://[^\s\"'<>]+$", url or "") else ""


def render_html(report: dict, envs: dict | None = None) -> str:
    """``envs``: ``reports.systems.interpreters()`` (its default: the registry); the
    heat map's SVG escapes its text itself (``reports/heatmap.py``)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters.update(cls=css_class, text=as_text, safe_link=safe_link, short=short,
                       na_text=na_text, share=share, cell_text=cell_text, grouped=grouped,
                       holds=holds_text, lead=lead, basis=basis_text)
    pages = [{**systems.system(report, name, envs),
              "page": f"systems/{page_name(name)}.md" if page_name(name) else ""}
             for name in report["envs"]]
    svg = heatmap.svg(report, lambda b, n: f"#d-{b}-{n}", lambda n: f"#system-{n}",
                      lambda b: f"#b-{b}")
    return env.get_template("parity.html.j2").render(
        report=report, envs=list(report["envs"]), filters=OUTCOME_FILTERS,
        score_columns=SCORE_COLUMNS, systems=pages, heatmap_svg=Markup(svg),
        changes=change_view(report))


def change_view(report: dict) -> dict | None:
    """What changed since the report's baseline, as the page opens with it: its lines
    (``reports.diff.tagged_lines``; a check's links to its detail), the first
    ``FIRST_LINES`` shown, the rest folded; None without a baseline."""
    if "changes" not in report:
        return None
    rows = {b["id"] for b in report["behaviours"]}
    lines = [{**t, "href": f"#d-{t['behaviour']}-{t['env']}"
              if t["kind"] == "check" and t["behaviour"] in rows and t["env"] in report["envs"]
              else ""} for t in tagged_lines(report["changes"], "baseline", "this run")]
    return {"first": lines[:FIRST_LINES], "more": lines[FIRST_LINES:],
            "changed": any_change(report["changes"]), "compared": COMPARED}
