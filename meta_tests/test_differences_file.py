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
