"""parity.html: self-contained, escaped, the matrix and score; rendered in headless
Chromium when it is installed (required when LAZYINIT_REQUIRE_CHROMIUM=1)."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from meta_tests.fake_results import edit_result, write_run
from reports import build

CHROMIUM = Path("/usr/bin/chromium")
INJECTED = ("<script>document.title='PWNED';document.body.insertAdjacentHTML('beforeend',"
            "'<p id=\"pwned\">x</p>')</script><img src=x onerror=\"document.title='PWNED'\">")


@pytest.fixture
def report_dir(tmp_path, catalogue):
    """mxnet: the clean reference; torch: a broken variant whose first divergence
    carries a hostile message; tf: not run."""
    results = tmp_path / "results"
    results.mkdir()
    write_run(results / "mxnet.json", "mxnet", catalogue)
    data = write_run(results / "torch.json", "torch", catalogue, ["init-biases-too"])
    first = next(r for r in data["results"] if r["outcome"] == "diverges")
    edit_result(results / "torch.json", f"{first['behaviour']}/{first['check']}",
                message=INJECTED)
    out = tmp_path / "out"
    assert build.main([str(results), "--out", str(out),
                       "--expectations", str(tmp_path / "no-expectations")]) == 0
    return out


def test_html_escapes_untrusted_messages(report_dir):
    html = (report_dir / "parity.html").read_text()
    assert "&lt;script&gt;document.title=" in html
    assert "<script>document.title" not in html and "<img src=x" not in html
    assert "<script" not in html  # the page itself has no script at all


def test_html_is_self_contained_with_matrix_versions_and_score(report_dir):
    html = (report_dir / "parity.html").read_text()
    assert '<table id="matrix">' in html and '<table id="score-table">' in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.replace(
        'href="https://', "X"))  # no external resource (issue links are plain anchors)
    assert "reference-1" in html  # framework versions
    assert ">not run<" in html  # tf
    assert 'href="#d-unknown-dims-torch"' in html and 'id="d-unknown-dims-torch"' in html


def test_html_shows_unreadable_env(tmp_path, catalogue):
    results = tmp_path / "results"
    results.mkdir()
    write_run(results / "mxnet.json", "mxnet", catalogue)
    (results / "tf.json").write_text("{broken")
    assert build.main([str(results), "--out", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "parity.html").read_text()
    assert "unreadable: not valid JSON" in html and 'class="cell o-unreadable"' in html


def test_score_counts_behaviours_and_unsupported_never_passes(report_dir, catalogue):
    import json

    report = json.loads((report_dir / "parity.json").read_text())
    sc = report["score"]
    assert sc["total"] == len(catalogue)
    assert sc["envs"]["mxnet"]["conforms"] == len(catalogue)
    torch = sc["envs"]["torch"]
    assert torch["conforms"] < len(catalogue)
    assert sum(torch[k] for k in ("conforms", "diverges", "unsupported", "error", "not run")) \
        == len(catalogue)
    assert sc["envs"]["tf"]["not run"] == len(catalogue)
    assert sc["interop"]["count"] == 0  # tf not run: no behaviour is agreed by all envs
    text = (report_dir / "parity.md").read_text()
    assert f"| mxnet | {len(catalogue)}/{len(catalogue)} |" in text


def test_missing_repro_says_so(tmp_path, catalogue):
    results = tmp_path / "results"
    results.mkdir()
    write_run(results / "torch.json", "torch", catalogue, ["init-biases-too"])
    repros = tmp_path / "repros"
    (repros / "torch").mkdir(parents=True)
    envs = build.load_envs(results)
    report = build.merge(catalogue, envs, repros=repros)
    cells = [b["cells"]["torch"] for b in report["behaviours"]]
    assert any(c["outcome"] == "diverges" for c in cells)
    assert all(c["repro"] is None for c in cells if c["outcome"] == "diverges")
    assert "no repro yet" in build.render_md(report)
    (repros / "torch" / "first-forward-inits.py").write_text("print('repro here')\n")
    report = build.merge(catalogue, envs, repros=repros)
    row = next(b for b in report["behaviours"] if b["id"] == "first-forward-inits")
    assert row["cells"]["torch"]["repro"] == "print('repro here')\n"
    assert "print('repro here')" in build.render_md(report)


def test_baseline_adds_changes_section(tmp_path, catalogue):
    old, new = tmp_path / "old", tmp_path / "new"
    for d in (old, new):
        d.mkdir()
        write_run(d / "mxnet.json", "mxnet", catalogue)
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
    results.mkdir()
    known.mkdir()
    write_run(results / "mxnet.json", "mxnet", catalogue)
    (known / "mxnet.toml").write_text(
        '[[expect]]\ncheck = "gone/check"\noutcome = "diverges"\nreason = "x"\n\n'
        '[[expect]]\ncheck = "unknown-dims/param-ids"\noutcome = "diverges"\nreason = "y"\n')
    out = tmp_path / "out"
    assert build.main([str(results), "--out", str(out), "--expectations", str(known)]) == 0
    md = (out / "parity.md").read_text()
    assert "STALE: gone/check" in md and "| unknown-dims/param-ids |" in md
    assert "**not as expected: expected diverges**" in md
    html = (out / "parity.html").read_text()
    assert '<span class="stale">STALE:</span> gone/check' in html
