"""reports/build: merging results files; the differences section, the agreement
table, n/a owed to a difference, scoring, documentation claims apart; missing and
unreadable envs."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from adapters.interface import Adapter
from conformance.differences import for_framework
from conformance.results_file import read_results
from meta_tests.committed import build_committed
from meta_tests.fake_results import (DEFERRED, DROP, INIT_DEFERRED, TF_CAPS, diverges,
                                     edit_result, edit_versions, fake_run, fake_world, na)
from reports import build, claims, diff, findings
from reports.findings import cell_text
from reports.html import css_class, render_html
from reports.markdown import FIRST_LINES, md, render_md, result_text
from reports.scoring import SCORE_COLUMNS

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def world(tmp_path, catalogue):
    results, diffs = fake_world(tmp_path, catalogue)
    envs = build.load_envs(results)
    return build.merge(catalogue, envs, differences=diffs), results, diffs


def scored(catalogue) -> list:
    return [b for b in catalogue if b.id != "doc-claims"]


def row(report, behaviour):
    return next(b for b in report["behaviours"] if b["id"] == behaviour)


def test_expected_envs_always_get_a_column(world):
    report = world[0]
    assert list(build.EXPECTED_ENVS) == ["mxnet", "mxnet-np", "torch", "tf", "tf-keras", "keras-jax",
                                       "keras-torch", "flax", "pyg", "haiku", "paddle"]
    assert list(report["envs"]) == list(build.EXPECTED_ENVS)
    assert report["envs"]["flax"]["status"] == "not run"
    assert row(report, "unknown-dims")["cells"]["flax"]["outcome"] == "not run"
    assert report["findings"]["flax"]["status"] == "not run"


def difference_blocks(diffs: str) -> dict:
    """``{id: [its line, its sub-bullets...]}`` of a differences section."""
    blocks, current = {}, None
    for line in diffs.splitlines():
        if line.startswith("- **"):
            current = blocks.setdefault(line.split("**")[1].replace("\\", ""), [])
            assert not current, f"{line}: listed twice"
            current.append(line)
        elif line.startswith("  ") and current is not None:
            current.append(line)
        else:
            current = None
    return blocks


def test_differences_section_lists_each_difference_once_with_its_checks(world):
    report = world[0]
    text = render_md(report)
    assert text.index("## Agreement") < text.index("## Score") \
        < text.index("## Differences from the reference") < text.index("## Matrix")
    diffs = build.section(text, "Differences from the reference")
    assert "### mxnet (mxnet, mxnet-np): 0 distinct differences from the reference" in diffs
    assert "### torch (torch): 3 distinct differences from the reference" in diffs
    assert ("### keras (tf, tf-keras, keras-jax, keras-torch): 3 distinct differences "
            "from the reference") in diffs
    assert "### flax (flax): no results" in diffs and "- flax not run" in diffs
    blocks = difference_blocks(diffs)
    assert list(blocks) == ["torch/shapeless-uninitialized", "torch/load-needs-forward",
                            "torch/last-axis", "keras/no-weights-before-build",
                            "keras/dense-last-axis", "keras/no-regex-selection"]
    shapeless = "\n".join(blocks["torch/shapeless-uninitialized"])
    assert shapeless.startswith("- **torch/shapeless-uninitialized** (holds in torch): "
                                "torch/shapeless-uninitialized statement")
    assert "  - explains: unknown-dims/weight-shapes (torch)" in shapeless
    assert ("  - n/a because of it: unknown-dims/bias-shapes, "
            "partial-spec/second-shape-before-data (torch)") in shapeless
    assert "  - repro: `" in shapeless and "shapeless.py`" in shapeless
    assert "missing" not in shapeless
    assert "  - evidence: torch/shapeless-uninitialized evidence" in shapeless
    load = "\n".join(blocks["torch/load-needs-forward"])
    assert "missing.py` (missing)" in load
    assert "n/a because of it: save-load/shapes-after-load, save-load/values-equal" in load
    assert "- unattributed (no difference names them): default-init/bias-values (torch)" in diffs
    assert "- idle (listed, but explain no check of this run): torch/idle-one" in diffs
    torch = report["findings"]["torch"]["differences"][0]
    assert torch["repro_code"].startswith("import torch")


def test_family_difference_is_shown_once_with_the_systems_it_holds_in(world, catalogue):
    """Two Keras systems showing the same difference: one entry, naming both; a long
    statement and evidence in full, never cut mid-word."""
    report, results, diffs = world
    fake_run(results / "keras-jax.json", "keras-jax", catalogue, capabilities=TF_CAPS,
             changes={"unknown-dims/param-ids": diverges([], "keras/no-weights-before-build"),
                      "unknown-dims/weight-shapes": na({"capability": "params_before_data!=none"}),
                      **dict.fromkeys(INIT_DEFERRED, DEFERRED),
                      "partial-spec/second-shape-before-data":
                          na({"capability": "params_before_data=shaped"}),
                      "varying-input/extra-axes-output":
                          diverges([2, 4, 10], "keras/dense-last-axis")})
    long = " ".join(f"word{i}" for i in range(200)) + " THE-END"
    keras = diffs["keras"].differences
    keras.items[0] = dataclasses.replace(keras.items[0], statement=long,
                                         evidence=long + " evidence")
    report = build.merge(catalogue, build.load_envs(results), differences=diffs)
    diffs_md = build.section(render_md(report), "Differences from the reference")
    blocks = difference_blocks(diffs_md)
    build_ = "\n".join(blocks["keras/no-weights-before-build"])
    assert build_.startswith("- **keras/no-weights-before-build** (holds in all 2: tf, "
                             "keras-jax): word0 word1")
    assert "THE-END" in build_ and "THE-END evidence" in build_
    assert "  - explains: unknown-dims/param-ids (all 2: tf, keras-jax)" in build_
    regex = "\n".join(blocks["keras/no-regex-selection"])
    assert "(holds in tf)" in regex and "naming/regex-select (tf)" in regex
    assert diffs_md.count("keras/dense-last-axis statement") == 1
    fam = next(f for f in report["families"] if f["family"] == "keras")
    assert fam["ran"] == ["tf", "keras-jax"]
    html = render_html(report)
    assert html.count('id="diff-o-keras-no-weights-before-build"') == 1
    assert "THE-END evidence" in html


def test_md_never_cuts_mid_word():
    text = "alpha " * 100
    cut = md(text)
    assert len(cut) <= 402 and cut.endswith(" …") and cut[:-2].split()[-1] == "alpha"
    assert md(text, None) == text.strip()
    assert md("x" * 500).endswith("…")  # one long word: cut, but marked


def test_committed_report_shows_each_difference_once_in_full(tmp_path):
    """The committed parity.md (and the parity.html of the committed results): every
    difference of the differences files that ran appears once in its section, with
    its whole statement."""
    text = (REPO / "reports" / "parity.md").read_text(encoding="utf-8")
    html = (build_committed(tmp_path) / "parity.html").read_text(encoding="utf-8")
    blocks = difference_blocks(build.section(text, "Differences from the reference"))
    assert blocks, "no difference listed"
    for family in ("mxnet", "torch", "keras", "flax"):
        for d in for_framework(family).items:
            if d.id in blocks:
                assert md(d.statement, None) in blocks[d.id][0], d.id
                assert md(d.evidence, None) in "\n".join(blocks[d.id]), d.id
                assert html.count(f'id="diff-{css_class(d.id)}"') == 1, d.id
    assert " …" not in build.section(text, "Differences from the reference")


def test_agreement_table_counts_same_observed_values(world, catalogue):
    report, _, _ = world
    n = sum(len(b.checks) for b in scored(catalogue))
    # torch: 7 n/a, 4 diverging; tf: 5 n/a, 1 unsupported, 2 diverging (one, the
    # extra-axes output, observed as torch observed it)
    ag = report["agreement"]
    assert ag["mxnet"]["torch"] == {"same": n - 7 - 4, "both": n - 7}
    assert ag["mxnet"]["tf"] == {"same": n - 6 - 2, "both": n - 6}
    assert ag["torch"]["tf"] == {"same": n - 9 - 3, "both": n - 9}  # 9 left out by either
    assert ag["tf"]["torch"] == ag["torch"]["tf"]
    assert ag["mxnet"]["flax"] == {"same": 0, "both": 0}
    text = build.section(render_md(report), "Agreement between frameworks")
    pct = round(100 * (n - 11) / (n - 7))
    assert f"| mxnet |  | - | {n - 11}/{n - 7} ({pct}%) |" in text  # mxnet-np not run
    assert text.rstrip().endswith("| paddle |" + " - |" * 10 + "  |")


def test_same_value_follows_the_checks_compare():
    assert findings.same_value({"a": [1, 2]}, {"a": [1, 2]})
    assert not findings.same_value([1.0, 2.0], [1.0, 2.05])
    assert findings.same_value([1.0, 2.0], [1.0, 2.05], "approx", 0.1)
    assert not findings.same_value(True, 1.0, "approx", 0.1)


def test_na_shows_the_difference_it_is_owed_to(world):
    report = world[0]
    unknown = row(report, "unknown-dims")
    bias = next(c for c in unknown["checks"] if c["id"] == "bias-shapes")
    # capability premise: the observing check (weight-shapes) diverges in torch
    assert bias["envs"]["torch"]["because"] == "torch/shapeless-uninitialized"
    weights = next(c for c in unknown["checks"] if c["id"] == "weight-shapes")
    assert weights["envs"]["tf"]["because"] == "keras/no-weights-before-build"  # via param-ids
    save = row(report, "save-load")
    after = next(c for c in save["checks"] if c["id"] == "shapes-after-load")
    assert after["envs"]["torch"]["because"] == "torch/load-needs-forward"  # cascaded
    deferred = row(report, "initialize-deferred")["checks"][0]["envs"]["torch"]
    assert "because" not in deferred and deferred["na_why"] == "capability init_step=deferred"
    cells = unknown["cells"]
    assert cell_text(cells["torch"]) == ("diverges (3/5): torch/shapeless-uninitialized; "
                                         "n/a → torch/shapeless-uninitialized")
    assert cell_text(save["cells"]["torch"]) == (
        "diverges (3/6): torch/load-needs-forward; n/a → torch/load-needs-forward ×2")
    assert cell_text(row(report, "default-init")["cells"]["torch"]) == \
        "diverges (1/2): unattributed"
    text = render_md(report)
    assert "| n/a → torch/load-needs-forward |" in text  # the check's detail row
    matrix = build.section(text, "Matrix")
    assert "n/a → keras/no-weights-before-build" in matrix
    assert "diverges (3/6): torch/load-needs-forward; n/a → torch/load-needs-forward ×2" \
        in matrix


def test_na_causes_without_a_difference_are_named():
    results = {("b", "x"): {"outcome": "conforms"},
               ("b", "y"): {"outcome": "n/a", "cause": {"check": "x"}},
               ("b", "z"): {"outcome": "n/a", "cause": {"check": "y"}}}
    owners = {"init_step": [("b", "x")]}
    assert findings.na_because({"capability": "init_step=deferred"}, "b", results, owners) \
        == {"why": "capability init_step=deferred"}  # its observer conforms
    assert findings.na_because({"check": "x"}, "b", results, owners) == \
        {"why": "needs x (conforms)"}
    results[("b", "x")] = {"outcome": "unsupported", "difference": "fw/d"}
    assert findings.na_because({"check": "y"}, "b", results, owners) == {"difference": "fw/d"}
    assert findings.na_because({"step": "load", "raised": "other"}, "b", results, owners) \
        == {"why": "step load raised other"}
    assert findings.na_because({"step": "s", "unsupported": "save/deferred"}, "b", results,
                               owners) == {"why": "step s unsupported save/deferred"}
    assert findings.na_because(None, "b", results, owners) == {"why": "no cause recorded"}


def test_a_behaviour_with_only_na_checks_is_na_never_a_pass(world, catalogue):
    report = world[0]
    cell = row(report, "initialize-deferred")["cells"]["torch"]
    assert cell["outcome"] == "n/a" and cell["conforms"] == 0 and cell["n/a"] == 3
    assert cell_text(cell) == "n/a (capability init_step=deferred) ×3"
    total = len(scored(catalogue))
    sc = report["score"]
    assert sc["total"] == total  # fixed: the catalogue without the documentation claims
    torch = sc["envs"]["torch"]
    assert torch["n/a"] == 1 and torch["diverges"] == 4 and torch["conforms"] == total - 5
    tf = sc["envs"]["tf"]
    assert (tf["conforms"], tf["diverges"], tf["unsupported"], tf["n/a"]) == (total - 4, 2, 1, 1)
    assert sc["envs"]["mxnet"]["conforms"] == total
    assert sc["envs"]["flax"]["not run"] == total
    for row_ in sc["envs"].values():
        assert sum(row_[k] for k in ("conforms", *SCORE_COLUMNS)) == total
    # some checks n/a, the others conform: fully conforms
    assert row(report, "partial-spec")["cells"]["torch"]["outcome"] == "conforms"
    text = render_md(report)
    assert "conforms (0/" not in text and "conforms (0/0)" not in text


def test_interop_leaves_out_na_and_envs_not_run(world):
    report = world[0]
    agreed = report["score"]["interop"]["behaviours"]
    assert "partial-spec" in agreed  # its n/a check is left out; flax did not run it
    assert "in-units-immediate" in agreed
    for b in ("initialize-deferred", "unknown-dims", "naming", "varying-input"):
        assert b not in agreed


def test_doc_claims_are_judged_apart(world, catalogue, tmp_path):
    report, results, diffs = world
    assert "doc-claims" not in [b["id"] for b in report["behaviours"]]
    # a newer torch: the 2.0 claims are stale where they no longer hold
    fake_run(results / "torch-new.json", "torch-new", catalogue, framework="torch",
             version="2.13.0", changes={
                 "doc-claims/torch-lazy-module-warning": diverges(False)})
    report = build.merge(catalogue, build.load_envs(results), differences=diffs)
    claims = {c["id"]: c for c in report["doc_claims"]}
    verdicts = {(i, n): r["verdict"] for i, c in claims.items() for n, r in c["envs"].items()}
    assert verdicts[("torch-lazy-module-warning", "torch")] == "holds"
    assert verdicts[("torch-shape-after-forward", "torch")] == "wrong"
    assert verdicts[("torch-lazy-module-warning", "torch-new")] == "stale"
    assert verdicts[("torch-shape-after-forward", "torch-new")] == "holds (also)"
    assert verdicts[("mxnet-constant-one-sets-all", "mxnet")] == "wrong"   # 1.9.1 is 1.*
    assert verdicts[("tf-get-weights-raises", "tf")] == "stale"            # Keras 3, not 2.*
    assert verdicts[("tf-layer-weights-empty", "tf")] == "holds (also)"
    assert set(claims["torch-shape-after-forward"]["envs"]) == {"torch", "torch-new"}
    assert claims["torch-shape-after-forward"]["system"] == "torch-2-0"
    text = render_md(report)
    table = build.section(text, "Documentation claims")
    warning = claims["torch-lazy-module-warning"]
    stale = next(line for line in table.splitlines()
                 if line.startswith("| torch-lazy-module-warning") and "| torch-new |" in line)
    assert "stale: removed in torch 2.4" in stale and "torch-2-0 (torch \\>=2.0, \\<2.1" in stale
    assert warning["evidence"].startswith("removed in torch 2.4")
    assert "doc-claims" not in build.section(text, "Matrix")
    assert report["score"]["total"] == len(scored(catalogue))


def test_doc_claims_are_judged_in_their_mode(world, catalogue):
    """A claim written for MXNet's numpy mode is judged in the numpy-mode env; the
    legacy env that observes otherwise shows 'other mode', and 'holds in' names
    the envs whose observation equals the text's."""
    report, results, diffs = world
    fake_run(results / "mxnet.json", "mxnet", catalogue, version="1.9.1",
             config={"numpy_shape": False}, changes={
                 "doc-claims/mxnet-unknown-dim-is-minus-one": diverges(0)})
    fake_run(results / "mxnet-np.json", "mxnet-np", catalogue, version="1.9.1",
             config={"numpy_shape": True}, changes={
                 "doc-claims/mxnet-unknown-dim-shown-as-none": diverges(-1)})
    report = build.merge(catalogue, build.load_envs(results), differences=diffs)
    by_id = {c["id"]: c for c in report["doc_claims"]}
    minus_one, none = by_id["mxnet-unknown-dim-is-minus-one"], by_id["mxnet-unknown-dim-shown-as-none"]
    assert minus_one["envs"]["mxnet-np"]["verdict"] == "holds"
    assert minus_one["envs"]["mxnet"]["verdict"] == "other mode"
    assert none["envs"]["mxnet"]["verdict"] == "holds"
    assert none["envs"]["mxnet-np"]["verdict"] == "other mode"
    assert minus_one["holds_in"] == ["mxnet-np"] and none["holds_in"] == ["mxnet"]
    table = build.section(render_md(report), "Documentation claims")
    assert any(line.startswith("| mxnet-unknown-dim-is-minus-one") and "| mxnet-np | mxnet |"
               in line and "other mode" in line for line in table.splitlines())


def test_merge_marks_missing_env_not_run(tmp_path, catalogue):
    fake_run(tmp_path / "mxnet.json", "mxnet", catalogue)
    report = build.merge(catalogue, build.load_envs(tmp_path), differences={})
    assert report["envs"]["tf"]["status"] == "not run"
    first = report["behaviours"][0]["cells"]
    assert first["mxnet"]["outcome"] == "conforms"
    assert first["tf"]["outcome"] == "not run"


def test_divergence_shows_observed_and_expected(world):
    text = render_md(world[0])
    line = next(x for x in text.splitlines() if x.startswith("| bias-values |"))
    assert "diverges: observed drawn (unattributed)" in line
    line = next(x for x in text.splitlines() if x.startswith("| extra-axes-output |"))
    assert "diverges: observed \\[2, 4, 10\\] (difference torch/last-axis)" in line


@pytest.mark.parametrize("content, why", [
    ("{not json", "not valid JSON"),
    ('{"schema": 99, "results": []}', "schema 99"),
    ('{"schema": 2}', "no 'results' list"),
])
def test_unreadable_file_is_named_and_skipped(tmp_path, catalogue, content, why, capsys):
    fake_run(tmp_path / "mxnet.json", "mxnet", catalogue)
    (tmp_path / "tf.json").write_text(content, encoding="utf-8")
    envs = build.load_envs(tmp_path)
    assert envs["tf"]["status"] == "unreadable" and why in envs["tf"]["why"]
    assert envs["mxnet"]["status"] == "ok"
    assert "tf.json" in capsys.readouterr().err
    report = build.merge(catalogue, envs, differences={})
    assert report["behaviours"][0]["cells"]["tf"]["outcome"] == "unreadable"
    text = render_md(report)
    assert "- tf unreadable, tf-keras not run" in text and "- [tf](systems/tf.md): unreadable" in text


def test_incomplete_file_shows_missing_checks_as_not_run(tmp_path, catalogue):
    last = scored(catalogue)[-1]
    fake_run(tmp_path / "mxnet.json", "mxnet", catalogue, complete=False,
             changes={f"{last.id}/{c.id}": DROP for c in last.checks})
    report = build.merge(catalogue, build.load_envs(tmp_path), differences={})
    assert report["envs"]["mxnet"]["status"] == "incomplete"
    assert report["behaviours"][-1]["cells"]["mxnet"]["outcome"] == "not run"
    assert report["score"]["envs"]["mxnet"]["not run"] == 1
    assert "- incomplete run: mxnet" in build.section(render_md(report),
                                                      "Differences from the reference")


def test_markdown_cells_escape_untrusted_text(tmp_path, catalogue):
    cell = md("a | b\nc <script>alert(1)</script> `x`")
    assert "|" not in cell.replace("\\|", "") and "\n" not in cell
    assert "<script>" not in cell
    fake_run(tmp_path / "torch.json", "torch", catalogue, changes={
        "unknown-dims/param-ids": diverges("x", "torch/a|b <b>", message="m | <i>")})
    report = build.merge(catalogue, build.load_envs(tmp_path), differences={})
    text = render_md(report)
    assert "<b>" not in text and "<i>" not in text and "torch/a\\|b \\<b\\>" in text


def test_differences_file_unreadable_is_named(tmp_path, catalogue, capsys):
    fake_run(tmp_path / "results" / "torch.json", "torch", catalogue)
    (tmp_path / "diffs").mkdir()
    (tmp_path / "diffs" / "torch.toml").write_text("[[difference]]\nid = 'x'\n")
    assert build.main([str(tmp_path / "results"), "--out", str(tmp_path / "out"),
                       "--differences", str(tmp_path / "diffs")]) == 0
    assert "torch.toml: field" in capsys.readouterr().err
    text = (tmp_path / "out" / "parity.md").read_text()
    assert "- differences file unreadable: torch.toml: field" in text


def test_main_writes_all_files_and_refreshes_the_readme(world, tmp_path, capsys):
    _, results, _ = world
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- matrix:start -->\nold\n<!-- matrix:end -->\ntail\n")
    out = tmp_path / "out"
    assert build.main([str(results), "--out", str(out), "--readme", str(readme),
                       "--differences", str(tmp_path / "none")]) == 0
    text = (out / "parity.md").read_text()
    assert text.startswith("# Lazy-initialization parity")
    data = json.loads((out / "parity.json").read_text())
    assert data["schema"] == 2 and "agreement" in data and "doc_claims" in data
    assert (out / "parity.html").is_file()
    new = readme.read_text()
    assert new.startswith("intro\n<!-- matrix:start -->\n### Matrix") and "old" not in new
    assert "### Score" in new and new.endswith("<!-- matrix:end -->\ntail\n")
    assert "](reports/parity.md#unknown-dims)" in new and "### Differences" not in new


def test_real_mxnet_results_are_read(catalogue):
    """The committed mxnet results (schema 2) merge: the reference has no difference."""
    path = REPO / "reports" / "results" / "mxnet.json"
    data, why = read_results(path)
    if data is None:
        pytest.skip(f"{path}: {why}")
    envs = {"mxnet": build.load_envs(path.parent)["mxnet"]}
    report = build.merge(catalogue, envs, differences={})
    assert report["findings"]["mxnet"]["differences"] == []
    assert report["score"]["total"] == len(scored(catalogue))
    assert {c["id"] for c in report["doc_claims"] if c["envs"]} == {
        c.id for b in catalogue if b.id == "doc-claims" for c in b.checks_for("mxnet")}
    assert all(r["verdict"] in claims.VERDICTS
               for c in report["doc_claims"] for r in c["envs"].values()
               if r["outcome"] in ("conforms", "diverges"))


def test_expectations_follow_the_suites_verdict(tmp_path, catalogue):
    """n/a with a named cause needs no entry, n/a without one is not as expected;
    an entry's when_config is matched against the run's framework config."""
    results, known = tmp_path / "results", tmp_path / "expectations"
    fake_run(results / "tf.json", "tf", catalogue, config={"image_data_format": "channels_last"},
             changes={
                 "unknown-dims/weight-shapes": na({"capability": "params_before_data!=none"}),
                 "unknown-dims/bias-shapes": {"outcome": "n/a", "observed": None},
                 "conv-lazy/layout": diverges("NHWC", "keras/channels-last")})
    known.mkdir()
    (known / "tf.toml").write_text(
        '[[expect]]\ncheck = "conv-lazy/layout"\noutcome = "diverges"\nreason = "NHWC"\n'
        'when_config = "image_data_format=channels_last"\n')
    envs = build.load_envs(results)
    report = build.merge(catalogue, envs, build.load_expectations(envs, known, catalogue, {}),
                         differences={})
    x = report["envs"]["tf"]["expectations"]
    assert x["not_as_expected"] == ["unknown-dims/bias-shapes"]
    weights = row(report, "unknown-dims")["checks"][1]["envs"]["tf"]
    assert weights["matched"] and weights["expected_outcome"] == "n/a"


def test_property_counterexamples_show_under_their_difference(tmp_path, catalogue):
    results, diffs = fake_world(tmp_path, catalogue)
    path = Path(results) / "torch.json"
    data = json.loads(path.read_text())
    seen = {"example": "net = [\n    Dense(1),\n]\nx = uniform(1, 2, 1)",
            "code": "net = nn.Sequential(nn.LazyLinear(1))\nx = torch.rand(1, 2, 1)",
            "detail": "0.weight: expected [1, 2], observed [1, 1]"}
    data["properties"] = {"shapes": {"examples": 40, "seconds": 0.4, "counterexample": None,
                                     "classes": {"shapes:weight:dims 1":
                                                 {**seen, "difference": "torch/last-axis"},
                                                 "shapes:bias:dims 0":
                                                 {**seen, "difference": None}}},
                          "output": {"examples": 40, "seconds": 0.1, "counterexample": None,
                                     "classes": {"output:rank 2->3":
                                                 {**seen, "difference": "torch/last-axis"}}}}
    path.write_text(json.dumps(data))
    report = build.merge(catalogue, build.load_envs(results), differences=diffs)
    diffs_md = build.section(render_md(report), "Differences from the reference")
    lines = diffs_md.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith("- **torch/last-axis"))
    at += 3  # its explains, repro and evidence lines
    assert lines[at + 1].startswith("  - Random architectures (in torch): `output:rank 2->3`")
    assert ("`shapes:weight:dims 1` (0.weight: expected \\[1, 2\\], observed \\[1, 1\\]); "
            "smallest `net = [ Dense(1), ] x = uniform(1, 2, 1)`") in lines[at + 1]
    # one architecture, two classes: listed together, its code shown once
    assert "`output:rank 2->3`" in lines[at + 1] and diffs_md.count("LazyLinear(1)") == 1
    assert lines[at + 3:at + 7] == ["    ```python", "    net = nn.Sequential(nn.LazyLinear(1))",
                                    "    x = torch.rand(1, 2, 1)", "    ```"]
    unattributed = next(x for x in diffs_md.splitlines() if x.startswith("- unattributed"))
    assert "property shapes: shapes:bias:dims 0" in unattributed
    html = render_html(report)
    assert "<code>shapes:weight:dims 1</code>" in html and "nn.LazyLinear(1)" in html


def test_a_check_judged_through_another_api_says_so():
    """A system judged through another API than its own (Flax linen's build_eager is
    flax.nnx's: ``Adapter.apis``) says so in its cell and its column."""
    r = {"outcome": "conforms", "observed": "refused before data", "via": ["flax.nnx"]}
    assert "judged via flax.nnx" in result_text(r)
    assert "judged via flax.nnx" in build.cell_notes([r])
    assert Adapter.apis == {}


@pytest.fixture
def drift(tmp_path, catalogue):
    """A baseline and a later run: tf only in the baseline, flax and keras-jax only in
    the later run, torch upgraded (framework, numpy, the jax its config records)
    with two checks changed, mxnet's nested float observation moved by 6e-10."""
    old, new = tmp_path / "old", tmp_path / "new"
    for d in (old, new):
        fake_run(d / "mxnet.json", "mxnet", catalogue)
        fake_run(d / "torch.json", "torch", catalogue, version="2.0.1",
                 config={"jax_version": "0.10.2"})
    fake_run(old / "tf.json", "tf", catalogue)
    for env in ("flax", "keras-jax"):
        fake_run(new / f"{env}.json", env, catalogue)
    edit_result(old / "mxnet.json", "tied-params/grad-is-sum", observed={"g": [[0.5, 1e-3]]})
    edit_result(new / "mxnet.json", "tied-params/grad-is-sum",
                observed={"g": [[0.5 + 6e-10, 1e-3]]})
    edit_versions(new / "torch.json", version="2.1.0", numpy="2.0",
                  config={"jax_version": "0.12.1"})
    edit_result(new / "torch.json", "unknown-dims/param-ids", outcome="diverges", observed=[])
    edit_result(new / "torch.json", "naming/unique", observed=0.25)
    report = build.merge(catalogue, build.load_envs(new), differences={})
    report.update(changes=diff.changes(diff.load_side(old), diff.load_side(new)),
                  baseline="old", results_dir="new")
    return report


TORCH_VERSIONS = "torch 2.0.1 -> 2.1.0, numpy 1.0 -> 2.0, jax 0.10.2 -> 0.12.1"


def test_changes_open_the_report_each_env_once_with_versions(drift):
    text = render_md(drift)
    assert text.index("Results: `new`; baseline: `old`.") < text.index("## Changed since old") \
        < text.index("## Heat map") < text.index("| behaviour |")
    section = build.section(text, "Changed since old")
    assert "floats equal within relative 1e-06 or absolute 1e-09" in section
    assert section.split("```text\n")[1].split("\n```")[0].splitlines() == [
        "only in baseline: tf; only in this run: flax, keras-jax",
        f"torch: {TORCH_VERSIONS}",
        "torch unknown-dims/param-ids: outcome conforms -> diverges (observed "
        f'["0.weight", "0.bias", "1.weight", "1.bias"] -> []); {TORCH_VERSIONS}',
        "torch naming/unique: outcome conforms -> conforms (observed true -> 0.25); "
        f"{TORCH_VERSIONS}"]
    assert "mxnet" not in section  # a 6e-10 move is no change
    assert text.count("only in baseline") == 1 and "tf:" not in section
    heat = build.section(text, "Heat map")
    assert "| [unknown-dims](#unknown-dims) | ✓ 5/5 | · | ✗ 4/5 Δ |" in heat
    assert "| [naming](#naming) | ✓ 4/4 | · | ✓ 4/4 Δ |" in heat


def test_versions_alone_are_shown_but_no_check_changed(drift):
    drift["changes"]["systems"][0]["checks"] = []
    drift["changes"]["only_old"] = drift["changes"]["only_new"] = []
    section = build.section(render_md(drift), "Changed since old")
    assert f"torch: {TORCH_VERSIONS}\n```" in section and "No changed check." in section
    html = render_html(drift)
    assert "<p>No changed check.</p>" in html and "hm-changed" not in html


def test_many_changes_fold_after_the_first_lines(drift):
    torch = drift["changes"]["systems"][0]
    torch["checks"] = torch["checks"] * 10
    lines = 2 + len(torch["checks"])  # the only line, the version line
    section = build.section(render_md(drift), "Changed since old")
    first, more = section.split("<details>")
    assert first.count("\ntorch ") == FIRST_LINES - 2   # after the only and version lines
    assert f"<summary>{lines - FIRST_LINES} more</summary>" in more
    html = render_html(drift)
    shown = html[html.index('<section id="changes">'):html.index("<details><summary>")]
    assert shown.count('<li class="check">') == FIRST_LINES - 2
    assert f"<details><summary>{lines - FIRST_LINES} more</summary>" in html
    assert '<p id="source">Results: <code>new</code>; baseline: <code>old</code>.</p>' in html


def test_expected_values_are_the_ones_the_results_files_record(tmp_path, catalogue):
    """A run judged against an older catalogue renders with the expected value it
    recorded, not today's: the row shows the first env's, and an env whose run
    recorded another says so beside its result."""
    today = next(c.expected for b in catalogue if b.id == "unknown-dims" for c in b.checks
                 if c.id == "param-ids")
    older = ["0.weight", "1.weight"]
    assert older != today
    fake_run(tmp_path / "mxnet.json", "mxnet", catalogue, changes={
        "unknown-dims/param-ids": {"expected": older, "observed": older}})
    fake_run(tmp_path / "torch.json", "torch", catalogue)
    report = build.merge(catalogue, build.load_envs(tmp_path), differences={})
    check = next(c for c in row(report, "unknown-dims")["checks"] if c["id"] == "param-ids")
    assert check["expected"] == older and "expected" not in check["envs"]["mxnet"]
    assert check["envs"]["torch"]["expected"] == today
    line = next(x for x in render_md(report).splitlines() if x.startswith("| param-ids |"))
    assert line.startswith(f"| param-ids | {md(older)} | ")
    assert f"| conforms (this run expected {md(today)}) |" in line
    html = render_html(report)
    assert f"<td><code>{json.dumps(older)}</code></td>" in html   # the check's expected
    assert f"this run expected <code>{json.dumps(today)}</code>" in html
