"""Render the merged report as one self-contained ``parity.html``.

jinja2 with autoescape on: framework messages, observed values, difference
statements and repro code are untrusted text. No network, no script: inline CSS
only (the outcome filter is CSS ``:has()``, repros fold into ``<details>``), and a
Content-Security-Policy that forbids scripts outright.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from reports.claims import short
from reports.findings import na_text, share
from reports.markdown import cell_text
from reports.scoring import SCORE_COLUMNS

TEMPLATES = Path(__file__).resolve().parent / "templates"
OUTCOME_FILTERS = ("conforms", "diverges", "unsupported", "n/a", "blocked", "error", "crash",
                   "timeout",
                   "not run", "unreadable")


def css_class(outcome: str) -> str:
    """``"not run"`` -> ``"o-not-run"``; ``"holds (also)"`` -> ``"o-holds-also"``."""
    return "o-" + re.sub(r"[^a-z0-9]+", "-", str(outcome).lower()).strip("-")


def as_text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def safe_link(url: str) -> str:
    """Only http(s) links become hrefs (a ``javascript:`` URL never does)."""
    return url if re.match(r"https?://[^\s\"'<>]+$", url or "") else ""


def render_html(report: dict) -> str:
    import jinja2  # the report env's dependency; the framework envs do not need it

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters.update(cls=css_class, text=as_text, safe_link=safe_link, short=short,
                       na_text=na_text, share=share, cell_text=cell_text)
    return env.get_template("parity.html.j2").render(
        report=report, envs=list(report["envs"]), filters=OUTCOME_FILTERS,
        score_columns=SCORE_COLUMNS)
