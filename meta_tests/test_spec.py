"""spec/: the catalogue loads, cites its seeds verbatim, and rejects bad files in one line."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance.scenarios import SCENARIOS
from spec import seed_excerpts
from spec.catalogue import GROUPS, SPEC_DIR, SpecError, excerpt_text, load_catalogue

SEEDS = seed_excerpts.SEEDS


def squash(text):
    return " ".join(text.split())


def test_order_is_by_group_then_id(catalogue):
    """The catalogue's order derives from its data: group (GROUPS), then id."""
    keys = [(list(GROUPS).index(b.group), b.id) for b in catalogue]
    assert keys == sorted(keys) and [b.order for b in catalogue] == list(
        range(1, len(catalogue) + 1))
    assert {b.group for b in catalogue} == set(GROUPS)


def test_a_group_says_where_its_source_is(catalogue):
    """core and seed rest on the seed texts; around and materialise on an outside
    source."""
    for b in catalogue:
        assert ("seed" not in b.source) == (b.group in ("around", "materialise")), b.path


def test_doc_claims_cite_a_seed_and_a_framework(catalogue):
    claims = next(b for b in catalogue if b.id == "doc-claims").checks
    assert claims and all(c.seed and c.quote and c.applies_to for c in claims)


def test_every_behaviour_has_a_scenario(catalogue):
    assert {b.id for b in catalogue} == set(SCENARIOS)


def test_seed_quotes_are_verbatim_in_their_vendored_passages(catalogue):
    """Every run, a bare clone and CI included: each seed quote lies in the passages
    vendored from its seed (``spec/excerpts/seeds/``, ``spec/seed_excerpts.py``)."""
    for where, seed_name, quote in seed_excerpts.quotes(catalogue):
        assert (seed_excerpts.VENDORED / seed_name).is_file(), \
            f"{where}: seed {seed_name} has no vendored passages; run python -m spec.seed_excerpts"
        assert squash(quote) in squash(seed_excerpts.vendored_text(seed_name)), where


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not beside this checkout")
def test_vendored_seed_passages_are_verbatim_in_their_seed():
    for path in sorted(seed_excerpts.VENDORED.glob("*.txt")):
        seed = (SEEDS / path.name).read_text(encoding="utf-8")
        for passage in seed_excerpts.vendored_text(path.name).split(seed_excerpts.GAP):
            assert passage.strip("\n") in seed, f"{path.name}: {passage[:80]!r}"


def test_outside_quotes_are_verbatim_in_their_excerpt(catalogue):
    outside = [b for b in catalogue if "seed" not in b.source]
    for b in outside:
        text = excerpt_text(b.source)
        assert squash(b.source["quote"]) in squash(text), b.path
        assert b.source["repo"] in text.splitlines()[0], f"{b.path}: excerpt header names another repo"


GOOD = (SPEC_DIR / "unknown-dims.toml").read_text(encoding="utf-8")
BAD = {
    "syntax": (GOOD.replace('title = "', 'title = '), "not valid TOML"),
    "unknown-field": ('colour = "red"\n' + GOOD, "field 'colour': unknown field"),
    "missing-field": (re.sub(r'(?m)^statement = """.*?"""\n', "", GOOD, flags=re.S),
                      "field 'statement': missing"),
    "missing-expected": (GOOD.replace('expected = "raises:no-value"', ""),
                         "field 'checks[3].expected': missing"),
    "duplicate-check": (GOOD.replace('id = "bias-shapes"', 'id = "weight-shapes"'),
                        "field 'checks[2].id': duplicate check id"),
    "bad-compare": (GOOD.replace('expected = []', 'expected = []').replace(
        'id = "read-raises"', 'id = "read-raises"\ncompare = "roughly"'),
        "field 'checks[3].compare'"),
    "approx-no-tol": (GOOD.replace('id = "read-raises"', 'id = "read-raises"\ncompare = "approx"'),
                      "field 'checks[3].tol': missing"),
    "wrong-type": (GOOD.replace('group = "core"', "group = 1"), "field 'group': expected"),
    "unknown-group": (GOOD.replace('group = "core"', 'group = "misc"'),
                      "field 'group': 'misc': use one of core, seed, around"),
    "unknown-capability": (GOOD.replace('requires = ["params_before_data=shaped"]',
                                        'requires = ["teleport=yes"]'),
                           "field 'checks[2].requires': 'teleport=yes': unknown capability"),
    "no-checks": ("checks = []\n" + GOOD.split("[[checks]]")[0], "field 'checks': empty"),
    "unknown-marker": ('marker = "slow"\n' + GOOD, "field 'marker': 'slow': unknown marker"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_spec_fails_in_one_line(tmp_path, case):
    text, needle = BAD[case]
    (tmp_path / "unknown-dims.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as err:
        load_catalogue(tmp_path)
    msg = str(err.value)
    assert "unknown-dims.toml" in msg and needle in msg, msg
    assert "\n" not in msg


def test_id_must_match_file_name(tmp_path):
    (tmp_path / "other.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(SpecError, match=r"other.toml: field 'id': .* differs from the file name"):
        load_catalogue(tmp_path)


def test_empty_directory_is_an_error(tmp_path):
    with pytest.raises(SpecError, match="no \\*.toml behaviour files"):
        load_catalogue(tmp_path)


def test_a_check_mxnet_cannot_run_states_its_semantics(catalogue):
    """Expected values are what MXNet 1.9.1 does; a check MXNet cannot run (n/a in
    the committed mxnet results) says which rule of the reference model it expects
    instead (``semantics``), and only such a check does."""
    from conformance.results_file import read_results
    results, why = read_results(Path(__file__).resolve().parents[1] /
                                "reports/results/mxnet.json")
    assert results is not None, why
    na = {f"{r['behaviour']}/{r['check']}" for r in results["results"] if r["outcome"] == "n/a"}
    stated = {f"{b.id}/{c.id}" for b in catalogue for c in b.checks if c.semantics}
    assert na == stated


def test_sources_toml_lists_every_outside_source(catalogue):
    """spec/sources.toml lists every outside source (by behaviour, with its address)
    and nothing else; each names the version its quote is pinned to."""
    from spec.catalogue import load_sources
    listed = load_sources().get("outside", {})
    cited = {b.id: b.source["url"] for b in catalogue if "url" in b.source}
    assert listed == cited
    assert all(b.source.get("pinned") for b in catalogue if "url" in b.source)


def test_an_outside_source_links_a_fixed_version(catalogue):
    for b in catalogue:
        if "url" in b.source:
            assert "/blob/main/" not in b.source["url"] and "/stable/" not in b.source["url"]
            assert "/blob/main/" not in excerpt_text(b.source).splitlines()[1], b.id


def test_an_excerpt_header_says_what_its_source_is_pinned_to(catalogue):
    """Line 3 of an outside excerpt agrees with ``source.pinned``: the tested wheel and
    its lines, or older evidence, or a version not checked against the tested one."""
    for b in catalogue:
        src = b.source
        if "url" not in src:
            continue
        third = excerpt_text(src).splitlines()[2]
        if "wheel" in src:
            assert src["wheel"] in third, b.id
            assert re.findall(r"\d+-\d+", third) == re.findall(r"\d+-\d+", src["pinned"]), b.id
        elif src["pinned"].startswith("older evidence"):
            assert "older evidence" in third, b.id
        else:
            assert "not checked against" in third and "not checked against" in src["pinned"], b.id
