"""The generated files the repository commits are fresh: rebuilt from the committed
results files, each equals its committed copy byte for byte (``parity.md``,
``heatmap.svg``, ``systems/*.md``, ``docs/spec.md`` and the README's matrix); and
what CI publishes instead (``parity.html``, ``parity.json``) is not committed."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from meta_tests.committed import COMMAND, REPO, build_committed

#: committed file -> where the rebuild writes it
GENERATED = {"reports/parity.md": "parity.md", "reports/heatmap.svg": "heatmap.svg",
             "docs/spec.md": "spec.md", "README.md": "README.md",
             **{f"reports/systems/{p.name}": f"systems/{p.name}"
                for p in sorted((REPO / "reports" / "systems").glob("*.md"))}}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    return build_committed(tmp_path_factory.mktemp("report"))


def first_difference(have: str, want: str) -> str:
    """Where two texts part: the line number and both lines (shortened)."""
    pairs = zip(have.splitlines(), want.splitlines())
    at = next((n for n, (a, b) in enumerate(pairs, 1) if a != b), None)
    if at is None:
        return f"one is longer ({len(have.splitlines())} vs {len(want.splitlines())} lines)"
    return (f"line {at}: committed {have.splitlines()[at - 1][:160]!r}, "
            f"rebuilt {want.splitlines()[at - 1][:160]!r}")


@pytest.mark.parametrize("committed", list(GENERATED))
def test_committed_generated_file_is_fresh(rebuilt, committed):
    have = (REPO / committed).read_text(encoding="utf-8")
    want = (rebuilt / GENERATED[committed]).read_text(encoding="utf-8")
    what = "its generated matrix" if committed == "README.md" else "it"
    if have != want:
        pytest.fail(f"{committed} is stale (not what the committed results files give: "
                    f"{first_difference(have, want)}); regenerate {what} with {COMMAND}",
                    pytrace=False)


def test_every_system_page_is_committed(rebuilt):
    pages = sorted(p.name for p in (rebuilt / "systems").glob("*.md"))
    assert pages == sorted(p.name for p in (REPO / "reports" / "systems").glob("*.md")), \
        f"reports/systems/ differs from what {COMMAND} writes"


def test_ci_artifacts_are_not_committed():
    """parity.html and parity.json: built by ``tox -e report``, published by CI."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    names = ["reports/parity.html", "reports/parity.json"]
    tracked = subprocess.run(["git", "-C", str(REPO), "ls-files", *names],
                             capture_output=True, text=True, check=True).stdout.split()
    assert tracked == [], f"committed, but built by tox -e report (the CI artifact): {tracked}"
    ignored = subprocess.run(["git", "-C", str(REPO), "check-ignore", *names],
                             capture_output=True, text=True).stdout.split()
    assert ignored == names, f"not in .gitignore: {sorted(set(names) - set(ignored))}"


def test_ci_publishes_what_is_not_committed():
    """docs/ci.md's report job uploads parity.html and parity.json; .ci/run leaves them
    in the artifact directory it names on its last line."""
    recipe = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    job = recipe[recipe.index("  report:\n"):recipe.index("```", recipe.index("  report:\n"))]
    upload = job[job.index("actions/upload-artifact"):]
    for name in ("reports/parity.html", "reports/parity.json"):
        assert f"            {name}\n" in upload, f"docs/ci.md's report job uploads no {name}"
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "cp -r reports/parity.html reports/parity.json" in run and "trap publish EXIT" in run
    assert "ci-artifacts/parity-report" in run and "ci-artifacts/parity-report" in recipe
