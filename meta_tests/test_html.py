"""parity.html: self-contained, escaped; the differences (repros folded in
<details>), agreement, matrix, score and documentation claims; rendered in headless
Chromium when it is installed (required when LAZYINIT_REQUIRE_CHROMIUM=1)."""
from __future__ import annotations

import html as html_mod
import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conformance.differences import Catalogue, Difference
from meta_tests.committed import build_committed
from meta_tests.fake_results import diverges, edit_result, edit_versions, fake_run, fake_world
from reports import build, heatmap, markdown, systems
from reports.build import FamilyDifferences
from reports.html import render_html

CHROMIUM = Path("/usr/bin/chromium")
INJECTED = ("<script>document.title='PWNED';document.body.insertAdjacentHTML('beforeend',"
            "'<p id=\"pwned\">x</p>')</script><img src=x onerror=\"document.title='PWNED'\">")


@pytest.fixture
def report_dir(tmp_path, catalogue):
    """The fake world (mxnet, torch, tf; flax not run), torch's first divergence
    carrying a hostile message, rendered by ``main``."""
    results, _ = fake_world(tmp_path, catalogue)
    edit_result(results / "torch.json", "unknown-dims/weight-shapes", message=INJECTED)
    out = tmp_path / "out"
    assert build.main([str(results), "--out", str(out), "--differences",
                       str(tmp_path / "no-differences"),
                       "--expectations", str(tmp_path / "no-expectations")]) == 0
    return out


@pytest.fixture
def world_html(tmp_path, catalogue):
    results, diffs = fake_world(tmp_path, catalogue)
    return render_html(build.merge(catalogue, build.load_envs(results), differences=diffs))


def test_html_escapes_untrusted_messages(report_dir):
    html = (report_dir / "parity.html").read_text()
    assert "&lt;script&gt;document.title=" in html
    assert "<script>document.title" not in html and "<img src=x" not in html
    assert "<script" not in html  # the page itself has no script at all
    assert "script-src" not in html and "default-src 'none'" in html  # CSP: no script


def test_html_is_self_contained_with_every_section(report_dir):
    html = (report_dir / "parity.html").read_text()
    for table in ("matrix", "score-table", "agreement-table", "doc-claims-table"):
        assert f'<table id="{table}">' in html
    assert html.index('id="heatmap"') < html.index('id="agreement"') \
        < html.index('id="score"') < html.index('id="systems"') \
        < html.index('id="differences"') < html.index('id="matrix-title"')
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.replace(
        'href="https://', "X"))  # no external resource (issue links are plain anchors)
    assert "2.0.1" in html  # framework versions
    assert ">not run<" in html  # flax
    assert 'href="#d-unknown-dims-torch"' in html and 'id="d-unknown-dims-torch"' in html


def test_html_differences_fold_repros_into_details(world_html):
    html = world_html
    assert "torch (torch): 3 distinct differences from the reference" in html
    assert html.count("<strong>torch/shapeless-uninitialized</strong>") == 1
    assert re.search(r"<details><summary>repro: <code>[^<]*shapeless\.py</code></summary>\s*"
                     r"<pre><code>import torch\nprint\(&#39;OBSERVED", html)
    assert re.search(r"missing\.py</code> <span class=\"miss\">\(missing\)</span>", html)
    assert "unattributed (no difference names them): default-init/bias-values" in html


def test_html_escapes_difference_statements_and_repro_code(tmp_path, catalogue):
    fake_run(tmp_path / "torch.json", "torch", catalogue, changes={
        "unknown-dims/param-ids": diverges([], "torch/evil")})
    repro = tmp_path / "evil.py"
    repro.write_text("</code></pre><script>alert(1)</script>")
    evil = Difference("torch/evil", INJECTED, "<img src=x onerror=alert(1)>", repro,
                      ("unknown-dims/param-ids",), "javascript:alert(1)")
    report = build.merge(catalogue, build.load_envs(tmp_path),
                         differences={"torch": FamilyDifferences.of(
                             Catalogue("torch", tmp_path, [evil]))})
    html = render_html(report)
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;" in html
    assert "javascript:" not in html


def test_html_matrix_shows_na_owed_to_a_difference(world_html):
    html = world_html
    assert "<small>n/a → torch/shapeless-uninitialized</small>" in html
    cell = re.search(r'<td class="cell o-n-a"><a href="#d-initialize-deferred-torch">n/a\s*'
                     r"<small>n/a \(capability init_step=deferred\) ×3</small>", html)
    assert cell, "an all-n/a behaviour is an n/a cell, with no conforming count"
    assert 'href="#diff-o-torch-load-needs-forward">torch/load-needs-forward</a>' in html


def test_html_doc_claims_verdicts(world_html):
    html = world_html
    claims = html[html.index('<table id="doc-claims-table">'):]
    claims = claims[:claims.index("</table>")]
    assert '<td class="o-holds">holds' in claims and '<td class="o-wrong">wrong' in claims
    assert '<td class="o-stale">stale: <small>Keras 3 Layer.get_weights' in claims
    assert '<td class="o-holds-also">holds (also)' in claims
    assert "no env ran it" not in claims.split("torch-lazy-module-warning")[1][:600]


def test_html_shows_unreadable_env(tmp_path, catalogue):
    results = tmp_path / "results"
    fake_run(results / "mxnet.json", "mxnet", catalogue)
    (results / "tf.json").write_text("{broken")
    assert build.main([str(results), "--out", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "parity.html").read_text()
    assert "unreadable: not valid JSON" in html and 'class="cell o-unreadable"' in html
    assert "tf: unreadable" in html


def test_score_table_columns(report_dir, catalogue):
    report = json.loads((report_dir / "parity.json").read_text())
    total = len(catalogue) - 1  # doc-claims are judged apart
    assert report["score"]["total"] == total
    html = (report_dir / "parity.html").read_text()
    head = re.search(r'<table id="score-table">\s*<thead><tr>(.*?)</tr>', html).group(1)
    assert re.findall(r"<th>([^<]*)</th>", head) == [
        "env", "fully conform", "diverges", "unsupported", "n/a", "blocked", "error", "crash",
        "timeout",
        "not run"]
    assert f"<td>mxnet</td><td class=\"o-conforms\">{total}/{total}</td>" in html


@pytest.fixture
def baseline_out(tmp_path, catalogue):
    """A release candidate (``new``) built against the last release (``old``): torch
    upgraded (its framework, numpy and a new component) with one check changed,
    mxnet's float observation moved within the tolerance, tf only in the baseline,
    flax only in the candidate."""
    old, new = tmp_path / "last-release", tmp_path / "rc"
    for d in (old, new):
        fake_run(d / "mxnet.json", "mxnet", catalogue)
        fake_run(d / "torch.json", "torch", catalogue, version="2.0.1")
    fake_run(old / "tf.json", "tf", catalogue)
    fake_run(new / "flax.json", "flax", catalogue)
    edit_result(old / "mxnet.json", "tied-params/grad-is-sum", observed={"g": [0.25, 1.5]})
    edit_result(new / "mxnet.json", "tied-params/grad-is-sum",
                observed={"g": [0.25 + 6e-10, 1.5]})
    edit_result(new / "torch.json", "unknown-dims/read-raises", outcome="diverges",
                observed="raises:other")
    edit_versions(new / "torch.json", version="2.1.0", numpy="2.0", cuda="12.1")
    out = tmp_path / "rc-report"
    assert build.main([str(new), "--out", str(out), "--baseline", str(old)]) == 0
    return out, old, new


CHANGE_LINE = ("torch unknown-dims/read-raises: outcome conforms -> diverges (observed "
               '"raises:no-value" -> "raises:other"); torch 2.0.1 -> 2.1.0, numpy 1.0 -> '
               "2.0")
VERSION_LINE = "torch: torch 2.0.1 -> 2.1.0, numpy 1.0 -> 2.0, cuda absent -> 12.1"
ONLY_LINE = "only in baseline: tf; only in this run: flax"


def test_baseline_report_opens_with_what_changed(baseline_out):
    out, old, new = baseline_out
    md = (out / "parity.md").read_text()
    title = f"## Changed since {markdown.md(str(old))}"
    assert md.splitlines()[2] == f"Results: `{new}`; baseline: `{old}`."
    assert md.index(title) < md.index("## Heat map") < md.index("heatmap.svg") \
        < md.index("## Agreement")
    section = build.section(md, title[3:])
    assert "relative 1e-06 or absolute 1e-09" in section  # the tolerance, stated
    block = re.search(r"```text\n(.*?)\n```", section, re.S).group(1).splitlines()
    assert block == [ONLY_LINE, VERSION_LINE, CHANGE_LINE]  # no mxnet: within tolerance
    html = (out / "parity.html").read_text()
    assert f'<p id="source">Results: <code>{new}</code>; baseline: <code>{old}</code>.</p>' \
        in html
    assert f'<h2 id="changes-title">Changed since {old}</h2>' in html
    assert html.index('id="source"') < html.index('id="changes"') < html.index('id="heatmap"') \
        < html.index('id="agreement"')
    assert html.count("only in baseline: tf") == 1 and "only in this run: flax" in html
    assert f'<li class="versions"><code>{VERSION_LINE.replace(">", "&gt;")}</code></li>' in html
    assert ('<li class="check"><a href="#d-unknown-dims-torch"><code>'
            + CHANGE_LINE.replace(">", "&gt;").replace('"', "&#34;")) in html
    assert "relative 1e-06 or absolute 1e-09" in html
    report = json.loads((out / "parity.json").read_text())
    assert report["baseline"] == str(old) and report["results_dir"] == str(new)
    assert [s["env"] for s in report["changes"]["systems"]] == ["torch"]


def test_heatmap_marks_changed_cells_only_with_a_baseline(baseline_out, report_dir):
    out = baseline_out[0]
    svg = (out / "heatmap.svg").read_text()
    changed = re.findall(r'<a href="([^"]+)" class="hm-cell hm-changed"[^>]*><title>([^<]*)'
                         r'</title><rect [^>]*stroke-width="2"/><text [^>]*>[^<]+</text>'
                         r'<text class="hm-delta"[^>]*>Δ</text></a>', svg)
    assert changed == [("parity.md#unknown-dims",
                        "unknown-dims on torch: diverges (4/5); changed since the "
                        "baseline (torch 2.0.1 -&gt; 2.1.0, numpy 1.0 -&gt; 2.0, cuda absent "
                        "-&gt; 12.1): read-raises: conforms -&gt; diverges")]
    assert ">changed since the baseline</text>" in svg  # in the legend
    assert 'class="hm-cell hm-changed"' in (out / "parity.html").read_text()
    md = (out / "parity.md").read_text()
    assert "| [unknown-dims](#unknown-dims) | ✓ 5/5 | · | ✗ 4/5 Δ |" in md
    assert md.count(" Δ |") == 1 and "; Δ changed since the baseline;" in md
    for page in ("heatmap.svg", "parity.html", "parity.md"):
        text = (report_dir / page).read_text()
        assert "hm-changed" not in text and "changed since the baseline" not in text, page


def test_heatmap_first_every_cell_marked_and_linked(report_dir):
    html = (report_dir / "parity.html").read_text()
    body = html[html.index("<body>"):]
    after_title = body[body.index("</h1>") + 5:].lstrip()
    assert after_title.startswith('<p id="source">Results: <code>')  # no baseline: no changes
    after_title = after_title[after_title.index("</p>") + 4:].lstrip()
    assert after_title.startswith('<figure id="heatmap">\n<svg ')
    svg = after_title[:after_title.index("</svg>")]
    cells = re.findall(r'<a href="#(d-[^"]+)" class="hm-cell" data-outcome="([^"]+)">'
                       r"<title>[^<]*</title><rect [^>]*/><text [^>]*>([^<]+)</text></a>", svg)
    report = json.loads((report_dir / "parity.json").read_text())
    assert len(cells) == len(report["behaviours"]) * len(report["envs"])
    marks = {o: heatmap.OUTCOMES[o][0] for o in heatmap.OUTCOMES}
    for target, outcome, mark in cells:
        assert f'id="{target}"' in html and mark.startswith(marks[outcome])
    for label in ("conforms", "diverges", "unsupported", "n/a", "blocked = adapter fault",
                  "error", "crash", "timeout", "not run", "unreadable"):
        assert f">{label}</text>" in svg  # the legend
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # self-contained
    assert (report_dir / "heatmap.svg").read_text().startswith("<svg ")
    md = (report_dir / "parity.md").read_text()
    lines = md.split("\n")
    assert lines[2].startswith("Results: `") and lines[2].endswith("/results`.")
    assert lines[4].startswith("[![") and "](heatmap.svg)" in lines[4]
    assert "| [unknown-dims](#unknown-dims) | ✓ 5/5 |" in md  # the text fallback


def test_heatmap_escapes_env_names(tmp_path, catalogue):
    fake_run(tmp_path / "x.json", "mxnet", catalogue)
    data = json.loads((tmp_path / "x.json").read_text())
    data["env"] = '<b onmouseover="x">"&'
    (tmp_path / "x.json").write_text(json.dumps(data))
    report = build.merge(catalogue, build.load_envs(tmp_path), differences={})
    svg = heatmap.svg(report, lambda b, e: f"#d-{b}-{e}")
    assert "<b " not in svg and "&lt;b onmouseover=&quot;x&quot;&gt;&quot;&amp;" in svg
    assert "<b " not in render_html(report)


def test_system_pages_act_first_with_repro_commands(tmp_path, catalogue):
    results, diffs = fake_world(tmp_path, catalogue)
    fake_run(results / "keras-jax.json", "keras-jax", catalogue, capabilities={}, changes={
        "unknown-dims/param-ids": diverges([], "keras/no-weights-before-build"),
        "naming/regex-select": {"outcome": "unsupported", "observed": None, "message": "x",
                                "difference": "keras/no-regex-selection"},
        "naming/unique": {"outcome": "unsupported", "observed": None, "message": "x",
                          "difference": "keras/no-regex-selection"},
        "default-init/bias-values": {"outcome": "blocked", "observed": None,
                                     "fault": ["round-trip"],
                                     "message": "adapter fault (round-trip): lost; fix it"}})
    data = json.loads((results / "keras-jax.json").read_text())
    data["selftests"] = {"round-trip": {"covers": ["copy"], "outcome": "fault",
                                        "message": "round-trip: lost the values"},
                         "identity": {"covers": [], "outcome": "passed", "message": ""}}
    (results / "keras-jax.json").write_text(json.dumps(data))
    report = build.merge(catalogue, build.load_envs(results), differences=diffs)
    s = systems.system(report, "keras-jax")
    assert [d["id"] for d in s["act"]] == ["keras/no-regex-selection",
                                           "keras/no-weights-before-build"]  # most first
    cmd = s["act"][0]["command"]
    assert "KERAS_BACKEND=jax" in cmd and ".tox/flax/bin/python " in cmd and cmd.endswith(
        "regex.py")
    tfk = systems.repro_command("tf-keras", "r.py", systems.interpreters())
    assert "TF_USE_LEGACY_KERAS=1" in tfk and ".tox/tf-keras/bin/python r.py" in tfk
    assert ".tox/mxnet/bin/python" in systems.repro_command("mxnet-np", "r.py",
                                                             systems.interpreters())
    assert ".tox/torch/bin/python" in systems.repro_command("keras-torch", "r.py",
                                                             systems.interpreters())
    page = systems.render_system_md(report, s)
    assert page.index("## What to act on") < page.index("### 1. keras/no-regex-selection") \
        < page.index("### 2. keras/no-weights-before-build") < page.index("## Adapter faults") \
        < page.index("## Unattributed checks") < page.index("## Documentation claims") \
        < page.index("## Matrix column")
    assert "- checks: `naming/unique`, `naming/regex-select`" in page
    assert "self-test **round-trip** failed: round-trip: lost the values" in page
    assert "`default-init/bias-values` blocked by round-trip" in page
    out = tmp_path / "out"
    assert build.main([str(results), "--out", str(out), "--differences",
                       str(tmp_path / "none")]) == 0
    assert sorted(p.name for p in (out / "systems").iterdir()) == sorted(
        f"{e}.md" for e in build.EXPECTED_ENVS)
    assert "- [keras-jax](systems/keras-jax.md)" in (out / "parity.md").read_text()
    html = (out / "parity.html").read_text()
    assert '<section class="system" id="system-keras-jax">' in html
    assert 'href="systems/keras-jax.md"' in html


def chromium_dom(html: Path, profile: Path, *args: str) -> str:
    """The rendered DOM; fails on any console message (a CSP violation, an error).
    ``args``: more Chromium switches (``--window-size=W,H``)."""
    proc = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
         *args, "--dump-dom", html.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, "console messages:\n" + "\n".join(console)
    return proc.stdout


class Dom(HTMLParser):
    """Ids, the heat map's links and the body's element order of a rendered DOM."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.order, self.stack = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and "hm-cell" in (attrs.get("class") or ""):
            self.links.append(attrs.get("href") or "")
        if self.stack == ["html", "body"]:
            self.order.append((tag, attrs.get("id")))
        if tag not in ("img", "br", "meta", "input", "link", "rect"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag != "rect":
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


def require_chromium():
    if not CHROMIUM.exists():
        if os.environ.get("LAZYINIT_REQUIRE_CHROMIUM") == "1":
            pytest.fail(f"LAZYINIT_REQUIRE_CHROMIUM=1 but {CHROMIUM} is missing; install it: "
                        "apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium); "
                    "set LAZYINIT_REQUIRE_CHROMIUM=1 to make this a failure")


@pytest.mark.parametrize("which", ["fake world", "committed results"])
def test_heatmap_renders_first_in_chromium_every_cell_linked(which, report_dir, tmp_path):
    require_chromium()
    page = report_dir / "parity.html" if which == "fake world" else \
        build_committed(tmp_path / "committed") / "parity.html"
    dom = Dom()
    dom.feed(chromium_dom(page, tmp_path / "profile"))
    assert dom.order[0] == ("h1", None), dom.order[:4]
    assert [x for x in dom.order[1:] if x[1] != "source"][0] == ("figure", "heatmap"), \
        dom.order[:4]  # only the line naming the results between
    report = json.loads(page.with_name("parity.json").read_text())
    assert len(dom.links) == len(report["behaviours"]) * len(report["envs"]) > 0
    missing = [h for h in dom.links if not h.startswith("#") or h[1:] not in dom.ids]
    assert not missing, f"heat-map links without a target: {missing[:5]}"


def test_html_in_headless_chromium(report_dir, tmp_path):
    require_chromium()
    dom = chromium_dom(report_dir / "parity.html", tmp_path / "profile")
    assert '<table id="matrix">' in dom and "unknown-dims" in dom
    assert "<title>Lazy-initialization parity</title>" in dom and "PWNED" not in dom.split(
        "</title>")[0]
    assert '<p id="pwned">' not in dom  # the injected script did not run
    assert "&lt;script&gt;document.title=" in dom  # it is shown as text


def test_report_lists_stale_and_unexpected(tmp_path, catalogue):
    results, known = tmp_path / "results", tmp_path / "expectations"
    fake_run(results / "mxnet.json", "mxnet", catalogue)
    known.mkdir()
    (known / "mxnet.toml").write_text(
        '[[expect]]\ncheck = "gone/check"\noutcome = "diverges"\nreason = "x"\n\n'
        '[[expect]]\ncheck = "unknown-dims/param-ids"\noutcome = "diverges"\nreason = "y"\n')
    out = tmp_path / "out"
    assert build.main([str(results), "--out", str(out), "--expectations", str(known)]) == 0
    md = (out / "parity.md").read_text()
    assert "STALE: gone/check" in md and "| unknown-dims/param-ids |" in md
    assert "**not as expected: expected diverges**" in md
    html = (out / "parity.html").read_text()
    assert '<span class="stale-entry">STALE:</span> gone/check' in html


SCREEN = (1366, 768)
#: measures the first change line and version line in the rendered page; the copy
#: that carries it allows inline script, the report itself never does
PROBE = """<script>
const at = (sel) => { const el = document.querySelector(sel);
  if (!el) return null; const r = el.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, text: el.textContent.slice(0, 400)}; };
document.documentElement.dataset.probe = JSON.stringify({
  check: at("#changes li.check"), versions: at("#changes li.versions"),
  heatmap: at("#heatmap"), width: window.innerWidth, height: window.innerHeight,
  scrolled: window.scrollY});
</script>
"""


def probed(page: Path, profile: Path, size: tuple) -> dict:
    """Where the change lines of ``page`` render in Chromium at window ``size``."""
    text = page.read_text()
    assert "<script" not in text
    probe = page.with_name("probe.html")
    probe.write_text(text.replace("default-src 'none';", "default-src 'none'; "
                                  "script-src 'unsafe-inline';").replace("</body>",
                                                                         PROBE + "</body>"))
    dom = chromium_dom(probe, profile, f"--window-size={size[0]},{size[1]}")
    found = re.search(r'<html[^>]* data-probe="([^"]*)"', dom)
    assert found, "the probe did not run: " + dom[:300]
    return json.loads(html_mod.unescape(found.group(1)))


def test_change_line_with_its_versions_is_on_the_first_screen(baseline_out, tmp_path):
    """At 1366x768 a maintainer sees the changed check, with the versions that
    changed, without scrolling: the changes come before the heat map."""
    require_chromium()
    m = probed(baseline_out[0] / "parity.html", tmp_path / "profile", SCREEN)
    # the viewport: the window less Chromium's own bars (about 625 px of the 768)
    assert m["width"] == SCREEN[0] and 0 < m["height"] <= SCREEN[1] and m["scrolled"] == 0, m
    assert " ".join(m["check"]["text"].split()) == CHANGE_LINE
    assert " ".join(m["versions"]["text"].split()) == VERSION_LINE
    assert 0 < m["versions"]["top"] < m["check"]["top"] < m["heatmap"]["top"], m
    assert m["check"]["bottom"] <= m["height"], f"below the first screen: {m}"
