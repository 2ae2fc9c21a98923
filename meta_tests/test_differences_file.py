"""conformance/differences/<family>.toml: ``only_in`` limits a difference to some
systems of the family; one check names one difference in each system."""
from __future__ import annotations

import json

import pytest

from conformance import differences

ENTRY = """
[[difference]]
id = "keras/{id}"
statement = "s"
evidence = "e"
repro = "r.py"
explains = ["naming/role-suffix"]
{only}
"""


def write(tmp_path, *entries):
    path = tmp_path / "keras.toml"
    path.write_text("".join(ENTRY.format(id=i, only=f"only_in = {json.dumps(o)}" if o else "")
                            for i, o in entries), encoding="utf-8")
    return path


def test_only_in_limits_a_difference_to_its_systems(tmp_path):
    path = write(tmp_path, ("two-names", ["tf-keras"]), ("three-names", ["tf", "keras-jax"]))
    whole = differences.for_framework("keras", path)
    assert [d.id for d in whole.for_system("tf-keras").items] == ["keras/two-names"]
    assert [d.id for d in whole.for_system("tf").items] == ["keras/three-names"]
    assert len(whole.items) == 2 and len(whole.for_system("keras-torch").items) == 0


@pytest.mark.parametrize("first,second", [(None, None), (None, ["tf"]), (["tf"], None),
                                          (["tf", "tf-keras"], ["tf-keras"])])
def test_one_check_one_difference_in_each_system(tmp_path, first, second):
    path = write(tmp_path, ("a", first), ("b", second))
    with pytest.raises(differences.DifferencesError, match="already explained by keras/a"):
        differences.for_framework("keras", path)


def test_only_in_must_name_systems(tmp_path):
    path = write(tmp_path, ("a", "tf"))
    with pytest.raises(differences.DifferencesError, match=r"only_in.*list of system names"):
        differences.for_framework("keras", path)


def entry(did, explains, extra=""):
    return (f'\n[[difference]]\nid = "keras/{did}"\nstatement = "s"\nevidence = "e"\n'
            f'repro = "r.py"\nexplains = ["{explains}"]\n{extra}\n')


def test_a_consequence_names_its_root_and_counts_there(tmp_path):
    path = tmp_path / "keras.toml"
    path.write_text(entry("root", "naming/role-suffix")
                    + entry("follows", "unused-param/save", 'consequence_of = "keras/root"'))
    known = differences.for_framework("keras", path)
    assert [d.id for d in known.roots()] == ["keras/root"]
    assert known.get("keras/follows").consequence_of == "keras/root"
    from reports.markdown import roots
    assert roots([{"consequence_of": ""}, {"consequence_of": "keras/root"}]) == 1


@pytest.mark.parametrize("extra, why", [
    ('consequence_of = "keras/nowhere"', "is no other difference"),
    ('consequence_of = "keras/a"', "is no other difference"),
])
def test_a_consequence_must_name_another_difference(tmp_path, extra, why):
    path = tmp_path / "keras.toml"
    path.write_text(entry("a", "naming/role-suffix", extra))
    with pytest.raises(differences.DifferencesError, match=why):
        differences.for_framework("keras", path)


def test_a_consequence_of_a_consequence_names_the_root(tmp_path):
    path = tmp_path / "keras.toml"
    path.write_text(entry("a", "naming/role-suffix")
                    + entry("b", "unused-param/save", 'consequence_of = "keras/a"')
                    + entry("c", "unused-param/count", 'consequence_of = "keras/b"'))
    with pytest.raises(differences.DifferencesError, match="is itself a consequence"):
        differences.for_framework("keras", path)


def test_an_unsupported_difference_names_the_native_apis_considered(tmp_path):
    path = tmp_path / "keras.toml"
    path.write_text(entry("a", "naming/role-suffix", 'outcome = "unsupported"'))
    with pytest.raises(differences.DifferencesError, match="considered.*native APIs"):
        differences.for_framework("keras", path)
    path.write_text(entry("a", "naming/role-suffix",
                          'outcome = "unsupported"\nconsidered = ["X", "Y"]'))
    assert differences.for_framework("keras", path).items[0].considered == ("X", "Y")


def test_a_platform_conditional_difference_carries_its_condition(tmp_path):
    path = tmp_path / "keras.toml"
    path.write_text(entry("a", "naming/role-suffix", 'when_platform = "a CPU device mesh"'))
    assert differences.for_framework("keras", path).items[0].when_platform == \
        "a CPU device mesh"
    from conformance.differences import for_framework
    assert for_framework("torch").get("torch/sharded-init-cpu-rng").when_platform
