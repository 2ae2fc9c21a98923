"""The behaviours x systems heat map: one self-contained SVG (no external resource,
no script), inline at the top of ``parity.html`` and written as
``reports/heatmap.svg`` for ``parity.md``.

Each cell carries its outcome twice, as a colour and as a text mark (with the
conforming count), a tooltip (``<title>``) with the cell's notes, and a link to
its detail (``href(behaviour, env)``); a legend names every mark.
"""
from __future__ import annotations

from html import escape

from reports.diff import show, versions_text
from reports.findings import cell_text

#: outcome -> (mark, fill, text colour, legend label)
OUTCOMES = {
    "conforms": ("✓", "#aceebb", "#0a3617", "conforms"),
    "diverges": ("✗", "#ff8182", "#4c0010", "diverges"),
    "unsupported": ("U", "#f5d90a", "#3b2300", "unsupported"),
    "n/a": ("–", "#b6e3ff", "#0a3069", "n/a"),
    "blocked": ("B", "#bc4c00", "#ffffff", "blocked = adapter fault"),
    "error": ("E", "#a40e26", "#ffffff", "error"),
    "crash": ("C", "#6e011a", "#ffffff", "crash"),
    "timeout": ("T", "#8250df", "#ffffff", "timeout"),
    "not run": ("·", "#eaeef2", "#57606a", "not run"),
    "unreadable": ("?", "#afb8c1", "#24292f", "unreadable"),
}
UNKNOWN = ("!", "#000000", "#ffffff", "other")
CHANGED_LABEL = "changed since the baseline"
#: a changed cell's mark (and outline) as a legend entry
CHANGED = ("Δ", "#ffffff", "#1b1f23", CHANGED_LABEL)
LABEL_W, CELL_W, CELL_H, HEAD_H, FONT = 190, 84, 20, 28, 12


def mark(c: dict) -> str:
    """A cell's text mark: ``✗ 2/4``, ``✓ 5/5``, ``–``, ``·``."""
    sym = OUTCOMES.get(c["outcome"], UNKNOWN)[0]
    if c["outcome"] in ("n/a", "not run", "unreadable") or not c.get("total"):
        return sym
    return f"{sym} {c['conforms']}/{c['total']}"


def changed_cells(report: dict) -> dict:
    """``{(behaviour, env): tooltip text}``: what changed in the cell since the
    report's baseline (``report["changes"]``, ``reports/diff.py``): each check and
    the system's version changes; empty without a baseline."""
    out = {}
    for s in (report.get("changes") or {}).get("systems", []):
        versions = f" ({versions_text(s['versions'])})" if s["versions"] else ""
        for c in s["checks"]:
            (oa, ob), (va, vb) = c["outcome"], c["observed"]
            what = f"{c['check']}: {oa} -> {ob}" if oa != ob else \
                f"{c['check']}: observed {show(va, 40)} -> {show(vb, 40)}"
            key = (c["behaviour"], s["env"])
            out[key] = (out[key] + "; " if key in out
                        else f"; {CHANGED_LABEL}{versions}: ") + what
    return out


def svg(report: dict, href, head_href=None, row_href=None) -> str:
    """The heat map of ``report``: ``href(behaviour, env)`` is a cell's link target,
    ``head_href(env)`` / ``row_href(behaviour)`` the column's and row's (optional;
    "" for none). A cell whose checks changed since the report's baseline carries
    a ``Δ`` and a dark outline, and says what changed in its tooltip."""
    envs, rows, changed = list(report["envs"]), report["behaviours"], changed_cells(report)
    legend = list(OUTCOMES.values()) + ([CHANGED] if "changes" in report else [])
    width = LABEL_W + CELL_W * len(envs) + 2
    legend_y = HEAD_H + CELL_H * len(rows) + 14
    per_line = max(1, (width - 10) // 185)
    height = legend_y + 20 + 22 * -(-len(legend) // per_line)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" id="heatmap-svg" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="group" '
           f'font-family="system-ui, sans-serif" font-size="{FONT}">',
           "<title>Behaviours x systems: the worst outcome of each behaviour's checks "
           "(colour and mark), how many conform</title>",
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    out += _heads(envs, head_href)
    for i, b in enumerate(rows):
        y = HEAD_H + CELL_H * i
        text = (f'<text x="{LABEL_W - 8}" y="{y + CELL_H - 6}" text-anchor="end">'
                f'{e(b["id"])}</text>')
        out.append(f'<a href="{e(row_href(b["id"]))}">{text}</a>' if row_href else text)
        out += [_cell(b, env, LABEL_W + CELL_W * j, y, href(b["id"], env),
                      changed.get((b["id"], env))) for j, env in enumerate(envs)]
    out += _legend(legend, legend_y, per_line)
    return "\n".join(out + ["</svg>"])


def e(value) -> str:
    return escape(str(value), quote=True)


def _heads(envs: list, head_href) -> list:
    out = []
    for j, env in enumerate(envs):
        x = LABEL_W + CELL_W * j + CELL_W / 2
        text = (f'<text x="{x}" y="{HEAD_H - 9}" text-anchor="middle" font-weight="bold">'
                f'{e(env)}</text>')
        target = head_href(env) if head_href else ""
        out.append(f'<a href="{e(target)}">{text}</a>' if target else text)
    return out


def _cell(b: dict, env: str, x: float, y: float, target: str, what: str | None) -> str:
    """One cell: a link with its tooltip, colour and mark (and, changed, the Δ)."""
    c = b["cells"][env]
    sym, fill, ink, _ = OUTCOMES.get(c["outcome"], UNKNOWN)
    tip = f"{b['id']} on {env}: {cell_text(c)}" + (what or "")
    stroke = f'stroke="{CHANGED[2]}" stroke-width="2"' if what else 'stroke="#ffffff"'
    delta = (f'<text class="hm-delta" x="{x + CELL_W - 10}" y="{y + 12}" font-size="11" '
             f'font-weight="bold" fill="{CHANGED[2]}">{CHANGED[0]}</text>' if what else "")
    return (f'<a href="{e(target)}" class="hm-cell{" hm-changed" if what else ""}" '
            f'data-outcome="{e(c["outcome"])}"><title>{e(tip)}</title>'
            f'<rect x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" '
            f'fill="{fill}" {stroke}/>'
            f'<text x="{x + CELL_W / 2}" y="{y + CELL_H - 6}" text-anchor="middle" '
            f'fill="{ink}">{e(mark(c))}</text>{delta}</a>')


def _legend(entries: list, legend_y: float, per_line: int) -> list:
    out = [f'<text x="4" y="{legend_y + 4}" font-weight="bold">Legend (colour and mark):'
           f'</text>']
    for k, (sym, fill, ink, label) in enumerate(entries):
        x, y = 4 + 185 * (k % per_line), legend_y + 12 + 22 * (k // per_line)
        box = (f'stroke="{CHANGED[2]}" stroke-width="2"' if label == CHANGED_LABEL
               else 'stroke="#d0d7de"')
        out.append(f'<g class="hm-legend"><rect x="{x}" y="{y}" width="28" height="{CELL_H - 2}" '
                   f'fill="{fill}" {box}/>'
                   f'<text x="{x + 14}" y="{y + CELL_H - 7}" '
                   f'text-anchor="middle" fill="{ink}">{e(sym)}</text>'
                   f'<text x="{x + 34}" y="{y + CELL_H - 7}">{e(label)}</text></g>')
    return out
