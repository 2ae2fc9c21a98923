"""``reports.sweep``: the drift report of one system over releases (the tox runs
themselves are the frameworks' and not run here), the pin variables it sets, and its
refusal of a distribution ``tox.ini`` does not pin for the system."""
from __future__ import annotations

from pathlib import Path

import pytest

from conformance.results_file import read_results
from meta_tests.fake_results import edit_result, edit_versions, fake_run
from reports import sweep

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def releases(tmp_path, catalogue):
    """keras-jax results of three Keras releases: the middle one moves a check and a
    float by less than the tolerance; the last one has an adapter fault."""
    out = tmp_path / "sweep"
    for version in ("3.10.0", "3.12.0", "3.15.1"):
        path = out / f"keras-{version}" / "keras-jax.json"
        path.parent.mkdir(parents=True)
        fake_run(path, "keras-jax", catalogue, version=version)
        edit_versions(path, keras=version)
    edit_result(out / "keras-3.12.0" / "keras-jax.json", "unknown-dims/param-ids",
                outcome="diverges", observed=[])
    last = out / "keras-3.15.1" / "keras-jax.json"
    edit_result(last, "unknown-dims/param-ids", outcome="diverges", observed=[])
    edit_result(last, "force-reinit/no-force-warns", outcome="blocked",
                reason="adapter fault (refused:build)")
    return out


def render(out: Path) -> str:
    rel = [sweep.Release("keras", v, "python3.11") for v in ("3.10.0", "3.12.0", "3.15.1")]
    loaded = [read_results(out / r.label / "keras-jax.json") for r in rel]
    return sweep.render("keras-jax", rel, loaded)


def test_drift_lists_each_moved_check_between_consecutive_releases(releases):
    text = render(releases)
    first, second = text.split("### keras-3.10.0 -> keras-3.12.0")[1].split(
        "### keras-3.12.0 -> keras-3.15.1")
    assert "keras 3.10.0 -> 3.12.0" in first
    assert "| unknown-dims/param-ids | conforms -> diverges |" in first
    assert "unknown-dims/param-ids" not in second     # unchanged since the previous one
    assert "keras 3.12.0 -> 3.15.1" in second


def test_adapter_faults_are_listed_apart_never_as_drift(releases):
    text = render(releases)
    section = text.split("### keras-3.15.1 (")[1].split("##")[0]
    assert "Adapter faults (the adapter's, not the framework's" in section
    assert "force-reinit/no-force-warns: blocked" in section
    assert text.count("No adapter fault.") == 2


def test_floats_within_the_tolerance_do_not_drift(releases):
    where = "default-init/weight-distribution"
    for version, nudge in (("3.10.0", 0), ("3.12.0", 6e-10), ("3.15.1", 6e-10)):
        edit_result(releases / f"keras-{version}" / "keras-jax.json", where,
                    observed=[0.0699 + nudge, 0.0404])
    assert f"| {where} |" not in render(releases)
    edit_result(releases / "keras-3.15.1" / "keras-jax.json", where, observed=[0.07, 0.0404])
    assert f"| {where} | conforms -> conforms |" in render(releases)   # a real move


def test_pin_variables_and_the_refused_pin():
    assert sweep.pin_variable("torch-geometric") == "LAZYINIT_PIN_TORCH_GEOMETRIC"
    assert sweep.basepython_variable("tf-keras") == "LAZYINIT_BASEPYTHON_TF_KERAS"
    tox_ini = (REPO / "tox.ini").read_text(encoding="utf-8")
    sweep.check_pin("keras-jax", "keras", tox_ini)         # the flax env pins keras
    with pytest.raises(SystemExit, match=r"\[testenv:flax\].*LAZYINIT_PIN_TORCH"):
        sweep.check_pin("keras-jax", "torch", tox_ini)
