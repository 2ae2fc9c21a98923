"""parity.html: self-contained, escaped; the differences (repros folded in
<details>), agreement, matrix, score and documentation claims; rendered in headless
Chromium when it is installed (required when LAZYINIT_REQUIRE_CHROMIUM=1)."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conformance.differences import Catalogue, Difference
from meta_tests.fake_results import diverges, edit_result, fake_run, fake_world
from reports import build
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
    assert html.index('id="differences"') < html.index('id="agreement"') \
        < html.index('id="matrix-title"') < html.index('id="score"')
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.replace(
        'href="https://', "X"))  # no external resource (issue links are plain anchors)
    assert "2.0.1" in html  # framework versions
    assert ">not run<" in html  # flax
    assert 'href="#d-unknown-dims-torch"' in html and 'id="d-unknown-dims-torch"' in html


def test_html_differences_fold_repros_into_details(world_html):
    html = world_html
    assert "torch: 3 distinct differences from the reference" in html
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


def test_baseline_adds_changes_section(tmp_path, catalogue):
    old, new = tmp_path / "old", tmp_path / "new"
    for d in (old, new):
        fake_run(d / "mxnet.json", "mxnet", catalogue)
    edit_result(new / "mxnet.json", "unknown-dims/read-raises", outcome="diverges",
                observed="raises:other")
    assert build.main([str(new), "--out", str(tmp_path / "out"), "--baseline", str(old)]) == 0
    md = (tmp_path / "out" / "parity.md").read_text()
    assert "## Changes since previous run" in md
    assert "mxnet unknown-dims/read-raises: outcome conforms -> diverges" in md
    assert "Changes since previous run" in (tmp_path / "out" / "parity.html").read_text()


def chromium_dom(html: Path, profile: Path) -> str:
    proc = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--dump-dom", html.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_html_in_headless_chromium(report_dir, tmp_path):
    if not CHROMIUM.exists():
        if os.environ.get("LAZYINIT_REQUIRE_CHROMIUM") == "1":
            pytest.fail(f"LAZYINIT_REQUIRE_CHROMIUM=1 but {CHROMIUM} is missing; install it: "
                        "apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium); "
                    "set LAZYINIT_REQUIRE_CHROMIUM=1 to make this a failure")
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
