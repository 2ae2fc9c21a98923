"""parity.html: self-contained, escaped; the differences (repros folded in
<details>), agreement, matrix, score and documentation claims; rendered in headless
Chromium when it is installed (required when LAZYINIT_REQUIRE_CHROMIUM=1)."""
from __future__ import annotations

import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conformance.differences import Catalogue, Difference
from meta_tests.fake_results import diverges, edit_result, fake_run, fake_world
from reports import build
from reports import heatmap, systems
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
                         differences={"torch": Catalogue("torch", tmp_path, [evil])})
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
    """A release candidate (``new``) built against the last release (``old``)."""
    old, new = tmp_path / "last-release", tmp_path / "rc"
    for d in (old, new):
        fake_run(d / "mxnet.json", "mxnet", catalogue)
    edit_result(new / "mxnet.json", "unknown-dims/read-raises", outcome="diverges",
                observed="raises:other")
    out = tmp_path / "out"
    assert build.main([str(new), "--out", str(out), "--baseline", str(old)]) == 0
    return out, old


def test_baseline_adds_changed_since_section_near_the_top(baseline_out):
    out, old = baseline_out
    md = (out / "parity.md").read_text()
    title = f"## Changed since {build.md(str(old))}"
    assert title in md
    assert md.index("heatmap.svg") < md.index(title) < md.index("## Agreement")
    section = build.section(md, title[3:])
    assert "mxnet unknown-dims/read-raises: outcome conforms -> diverges" in section
    html = (out / "parity.html").read_text()
    assert f'<h2 id="changes">Changed since {old}</h2>' in html
    assert html.index('id="heatmap"') < html.index('id="changes"') < html.index('id="agreement"')
    assert "<code>mxnet unknown-dims/read-raises: outcome conforms -&gt; diverges" in html
    assert json.loads((out / "parity.json").read_text())["baseline"] == str(old)


def test_no_baseline_no_changed_section(report_dir):
    assert "Changed since" not in (report_dir / "parity.md").read_text()
    assert 'id="changes"' not in (report_dir / "parity.html").read_text()


def test_heatmap_first_every_cell_marked_and_linked(report_dir):
    html = (report_dir / "parity.html").read_text()
    body = html[html.index("<body>"):]
    after_title = body[body.index("</h1>") + 5:].lstrip()
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
    assert md.split("\n")[2].startswith("[![") and "](heatmap.svg)" in md.split("\n")[2]
    assert "| [unknown-dims](#unknown-dims) | ✓ 4/4 |" in md  # the text fallback


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


def chromium_dom(html: Path, profile: Path) -> str:
    """The rendered DOM; fails on any console message (a CSP violation, an error)."""
    proc = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
         "--dump-dom", html.as_uri()],
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


@pytest.mark.parametrize("which", ["fake world", "committed report"])
def test_heatmap_renders_first_in_chromium_every_cell_linked(which, report_dir, tmp_path):
    require_chromium()
    page = report_dir / "parity.html" if which == "fake world" else \
        Path(build.__file__).parent / "parity.html"
    dom = Dom()
    dom.feed(chromium_dom(page, tmp_path / "profile"))
    assert dom.order[:2] == [("h1", None), ("figure", "heatmap")], dom.order[:4]
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
