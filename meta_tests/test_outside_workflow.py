"""The whole workflow of an adapter outside this repository: its
differences file, repros and expectations beside it, repro paths relative to the
differences file, ``expectations update`` taking the reasons from that file, a
random statistic reproduced within a ``tolerance`` from ``LAZYINIT_SEED``, and
``--properties`` without ``source()``."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conformance import differences, seed
from conformance.expectations import load
from conformance.expectations.__main__ import main
from conformance.expectations.update import TODO, safe_name
from conformance.test_repros import close

REPO = Path(__file__).resolve().parents[1]

ADAPTER = """
from adapters.reference import ReferenceAdapter


class WideAdapter(ReferenceAdapter):
    name = "wideref"

    def __init__(self):
        super().__init__(mutations=("default-init-wide",))


class NoSourceAdapter(ReferenceAdapter):
    name = "nosource"

    def source(self, arch, input_shape):
        return None
"""

# the suite's statistic of a random draw, from the suite's seed, not its exact draw
REPRO = """
import json
import os

import numpy as np

seed = int(os.environ.get("LAZYINIT_SEED", "0"))
assert seed == SUITE_SEED, seed   # the suite passes its seed
w = np.random.default_rng(seed).uniform(-0.1, 0.1, (256, 20))
print("OBSERVED default-init/weight-distribution",
      json.dumps([float(np.abs(w).max()), float(w.std())]))
"""

DIFFERENCES = """
[[difference]]
id = "wideref/wide-default"
statement = "The default initializer draws from U[-0.1, 0.1]."
evidence = "owpkg/adapter.py"
repro = "repros/wide_default.py"
explains = ["default-init/weight-distribution"]
{tolerance}
"""


def outside(tmp_path, tolerance="tolerance = 0.1") -> Path:
    """``site/owpkg`` (the adapter) and ``mine/`` (differences, repros) outside the
    repository; returns ``mine``."""
    (tmp_path / "site" / "owpkg").mkdir(parents=True)
    (tmp_path / "site" / "owpkg" / "__init__.py").write_text("")
    (tmp_path / "site" / "owpkg" / "adapter.py").write_text(textwrap.dedent(ADAPTER))
    mine = tmp_path / "mine"
    (mine / "repros").mkdir(parents=True)
    (mine / "repros" / "wide_default.py").write_text(
        textwrap.dedent(REPRO).replace("SUITE_SEED", str(seed.SEED)))
    (mine / "differences.toml").write_text(DIFFERENCES.format(tolerance=tolerance))
    return mine


def run(tmp_path, cls, *extra, **env_extra):
    env = {k: v for k, v in os.environ.items() if k != "LAZYINIT_FRAMEWORK"}
    env.update(PYTHONPATH=str(tmp_path / "site"), **env_extra)
    mine = tmp_path / "mine"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "conformance", "-p", "no:randomly", "-rs", "-v",
         "--framework", f"owpkg.adapter:{cls}", f"--results={mine / 'results.json'}",
         f"--expectations={mine / 'expectations.toml'}",
         f"--differences={mine / 'differences.toml'}", *extra],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    return proc, mine / "results.json"


def test_outside_workflow_from_first_run_to_green(tmp_path, capsys):
    """The differences file is all it takes: the check it explains is expected to
    diverge (derived), the repro beside it reproduces the random statistic within
    its tolerance from LAZYINIT_SEED, and ``update`` writes no entry, no TODO."""
    mine = outside(tmp_path)
    proc, results = run(tmp_path, "WideAdapter")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-1000:]
    assert "test_default_init[weight-distribution] XFAIL" in proc.stdout
    assert "test_repro_reproduces[wide-default] PASSED" in proc.stdout
    data = json.loads(results.read_text())
    assert data["framework"]["differences"] == str(mine / "differences.toml")
    # update reads the differences file the results record: nothing left to write
    assert main(["update", str(results), "--file", str(mine / "expectations.toml")]) == 0
    assert f"reasons from {mine / 'differences.toml'}" in capsys.readouterr().out
    assert load(mine / "expectations.toml").entries == []


def test_outside_results_merged_into_the_report_keep_their_evidence(tmp_path):
    """``reports.build DIR`` reads the differences file each results file records,
    repro paths relative to it: the outside system's page shows the statement, the
    evidence and the repro's code -- from the results' own directory too (an
    artifact moved beside its differences file)."""
    from reports import build
    mine = outside(tmp_path)
    _, results = run(tmp_path, "WideAdapter", "conformance/test_behaviours.py")
    for where in (results.parent, tmp_path / "artifact"):
        if where != results.parent:   # moved: the recorded absolute path is gone
            where.mkdir()
            data = json.loads(results.read_text())
            data["framework"]["differences"] = "differences.toml"
            (where / "wideref.json").write_text(json.dumps(data))
            (where / "differences.toml").write_text((mine / "differences.toml").read_text()
                                                    .replace('"repros/', f'"{mine}/repros/'))
        out = tmp_path / f"report-{where.name}"
        assert build.main([str(where), "--out", str(out)]) == 0
        page = (out / "systems" / "wideref.md").read_text()
        assert "The default initializer draws from U" in page
        assert "- evidence: owpkg/adapter.py" in page
        assert f"python {mine / 'repros' / 'wide_default.py'}" in page
        assert "not in the differences file" not in page and "(missing)" not in page
        html = (out / "parity.html").read_text()
        assert "np.random.default_rng(seed)" in html   # the repro's code, folded in


def test_without_tolerance_a_random_statistic_must_match_exactly(tmp_path):
    outside(tmp_path, tolerance="")
    proc, _ = run(tmp_path, "WideAdapter", "conformance/test_repros.py")
    assert proc.returncode == 1
    assert "wide_default.py: default-init/weight-distribution prints" in proc.stdout


def test_update_differences_option_overrides_the_recorded_file(tmp_path, capsys):
    mine = outside(tmp_path)
    _, results = run(tmp_path, "WideAdapter", "conformance/test_behaviours.py")
    data = json.loads(results.read_text())
    data["framework"]["differences"] = str(tmp_path / "moved-away.toml")
    results.write_text(json.dumps(data))
    exp = mine / "expectations.toml"
    assert main(["update", str(results), "--file", str(exp)]) == 0   # falls back: in-repo
    assert load(exp).entries[0].reason == TODO      # (none there: not derivable)
    assert main(["update", str(results), "--file", str(exp),
                 "--differences", str(mine / "differences.toml")]) == 0
    assert "derived from wideref/wide-default" in capsys.readouterr().out
    assert load(exp).entries == []                  # derived from the difference now
    assert f"--differences {mine / 'differences.toml'}" in exp.read_text()  # in the header
    assert f"update {results} --file {exp}" in exp.read_text()   # the results path given
    capsys.readouterr()
    assert main(["update", str(results), "--file", str(exp),
                 "--differences", str(tmp_path / "nope.toml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--differences" in err and "nope.toml: no such file" in err


@pytest.mark.parametrize("env,name", [("haiku", "haiku"), ("tf-keras", "tf-keras"),
                                      ("hk_adapter.adapter:HaikuAdapter",
                                       "hk_adapter.adapter-HaikuAdapter")])
def test_the_env_a_results_file_records_becomes_a_safe_file_name(env, name):
    assert safe_name(env) == name


def test_repro_paths_are_relative_to_the_differences_file(tmp_path):
    mine = outside(tmp_path)
    d, = differences.for_framework("wideref", mine / "differences.toml").items
    assert d.repro == mine / "repros" / "wide_default.py" and d.tolerance == 0.1
    absolute = (DIFFERENCES.format(tolerance="")
                .replace('"repros/', f'"{mine.as_posix()}/repros/'))
    (tmp_path / "elsewhere.toml").write_text(absolute)
    d, = differences.for_framework("wideref", tmp_path / "elsewhere.toml").items
    assert d.repro == mine / "repros" / "wide_default.py" and d.tolerance == 0.0


def test_in_repo_repros_resolve_from_their_differences_files():
    for family in ("mxnet", "torch", "keras", "flax"):
        for d in differences.for_framework(family).items:
            assert d.repro.is_file(), (d.id, d.repro)
            assert d.repro.parent == REPO / "conformance" / "repros" / family


@pytest.mark.parametrize("value", ["0", "-0.1", '"0.1"', "true", "[0.1]"])
def test_tolerance_must_be_a_positive_number(tmp_path, value):
    path = tmp_path / "wideref.toml"
    path.write_text(DIFFERENCES.format(tolerance=f"tolerance = {value}"))
    with pytest.raises(differences.DifferencesError) as exc:
        differences.for_framework("wideref", path)
    assert str(exc.value).startswith("wideref.toml: field 'difference[0].tolerance': ")
    assert "\n" not in str(exc.value)


def test_tolerance_is_relative_and_numeric_only():
    assert close([0.0999, 0.0577], [0.1, 0.058], 0.1)
    assert not close([0.0999, 0.0577], [0.1, 0.058], 0.0)
    assert not close([0.5, 0.0577], [0.1, 0.058], 0.1)
    assert close({"a": [1.05, "x"], "b": True}, {"a": [1.0, "x"], "b": True}, 0.1)
    assert not close({"a": [1.0, "x"]}, {"a": [1.0, "y"]}, 0.1)   # strings exact
    assert not close(True, False, 0.5) and not close(True, 1.0, 0.5)  # bools exact
    assert not close([1.0], [1.0, 1.0], 0.5) and close(0, 0.0, 0.1)


def test_properties_run_without_source(tmp_path):
    (outside(tmp_path) / "differences.toml").unlink()   # another system: none yet
    proc, results = run(tmp_path, "NoSourceAdapter", "--properties", "-m", "property",
                        LAZYINIT_PROPERTY_EXAMPLES="3")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-1000:]
    assert "nosource has no source(): the report shows contract data" in proc.stdout
    assert " FAILED" not in proc.stdout and " ERROR" not in proc.stdout
    assert json.loads(results.read_text())["properties"]


def test_a_counterexample_without_code_renders_as_contract_data(tmp_path, catalogue):
    from meta_tests.fake_results import fake_world
    from reports import build
    from reports.html import render_html
    results, diffs = fake_world(tmp_path, catalogue)
    path = Path(results) / "torch.json"
    data = json.loads(path.read_text())
    seen = {"example": "net = [\n    Dense(1),\n]\nx = uniform(1, 2, 1)", "code": None,
            "detail": "0.weight: expected [1, 2], observed [1, 1]",
            "difference": "torch/last-axis"}
    data["properties"] = {"shapes": {"examples": 3, "seconds": 0.1, "counterexample": None,
                                     "classes": {"shapes:weight:dims 1": seen}}}
    path.write_text(json.dumps(data))
    report = build.merge(catalogue, build.load_envs(results), differences=diffs)
    text = build.section(build.render_md(report), "Differences from the reference")
    assert "smallest `net = [ Dense(1), ] x = uniform(1, 2, 1)`." in text
    assert "```python" not in text
    assert "Dense(1)" in render_html(report)
