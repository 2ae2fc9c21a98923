"""The differential property ``abstract`` (build abstractly, then
materialise) against the reference model, and the bench's 1 B-parameter child.
Nothing here asserts how long anything takes."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from adapters.interface import CAPABILITIES, BatchNorm, Conv2D, Dense, Flatten
from adapters.reference import ReferenceAdapter
from bench.abstract_1b import BIG_PARAMS
from bench.deferred import deferred_family, family_seconds
from conformance.properties.archs import Case
from conformance.properties.profile import differences, undefined
from conformance.properties.search import Profiles, search

REPO = Path(__file__).resolve().parents[1]
CAPS = {cap: spec[1] for cap, spec in CAPABILITIES.items()}
REF = Profiles(ReferenceAdapter())
#: mutation of the reference -> the class the abstract property reports
CLASS_OF = {
    "abstract-allocates": "abstract:built:memory:none->some",
    "materialise-partial": "abstract:materialized:weight:materialized->shape-known",
    "materialise-unties": "abstract:materialized:memory:more",
    "in-units-ignored": "abstract:built:weight:dims 1",
}


@pytest.mark.parametrize("mutation", sorted(CLASS_OF))
def test_a_broken_abstract_build_or_materialisation_is_one_stable_class(mutation):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # MXNet's "already initialized" of one mutation
        found = search("abstract", Profiles(ReferenceAdapter([mutation])), REF, {}, CAPS)
    assert found.counterexample and CLASS_OF[mutation] in found.counterexample["classes"]


def test_a_shape_that_differs_is_not_counted_again_in_its_memory():
    """One cause, one class: a weight of another width (a dense layer on the last
    axis) is a shape class; its materialised shape and memory add none."""
    case = Case((Dense(3),), (2, 4, 5), (2, 4, 6))
    ref = REF(case, "abstract")
    other = json.loads(json.dumps(ref))
    for phase, nbytes in (("built", 0), ("materialized", 4 * (3 * 5 + 3))):
        other["abstract"][phase]["shapes"]["0.weight"] = [3, 5]
        other["abstract"][phase]["memory"] = nbytes
    assert differences("abstract", ref, other, CAPS).keys() == {"abstract:built:weight:dims 1"}


def test_conv_stacks_are_not_compared_where_the_reference_declares_dense_only():
    conv = Case((Conv2D(2, kernel=1), BatchNorm(), Flatten(), Dense(3)), (1, 2, 4, 4),
                (1, 3, 4, 4))
    assert undefined("abstract", REF(conv, "abstract"))
    assert not undefined("abstract", REF(Case((Dense(2),), (1, 3), (1, 4)), "abstract"))


ADAPTER = """
from adapters.interface import GROUPS
from adapters.reference import ReferenceAdapter


class NoAbstract(ReferenceAdapter):
    name = "noabstract"
    groups = tuple(g for g in GROUPS if g != "abstract-build")


class Allocates(ReferenceAdapter):
    name = "allocates"

    def __init__(self):
        super().__init__(["abstract-allocates"])
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    (site / "abstractpkg.py").write_text(textwrap.dedent(ADAPTER))
    return site


def test_a_system_without_the_group_skips_naming_it(site, tmp_path):
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "pytest", "conformance", "-p", "no:randomly",
                           "-p", "no:cacheprovider", "-rs", "--framework",
                           "abstractpkg:NoAbstract", "--properties", "-m", "property", "-k",
                           "abstract", f"--results={tmp_path / 'r.json'}"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-1000:]
    assert "1 skipped" in proc.stdout and "n/a: group:abstract-build" in proc.stdout


def _child(site, name):
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--abstract-child",
                           name], cwd=REPO, env={"PYTHONPATH": str(site)},
                          capture_output=True, text=True, timeout=120)
    return json.loads(proc.stdout.splitlines()[-1])


def test_the_1b_child_measures_an_abstract_build_under_a_guard(site):
    got = _child(site, "reference")
    assert got["params"] == BIG_PARAMS and got["memory_bytes"] == 0
    assert got["guard"].startswith(("RLIMIT_AS", "RSS watchdog"))
    assert _child(site, "abstractpkg:NoAbstract") == {"na": "group:abstract-build"}


def test_the_1b_child_fails_an_adapter_that_materialises_not_the_machine(site):
    """The reference mutated to allocate at the abstract build (4 GiB here) is stopped
    by the guard: an error, not an allocation."""
    got = _child(site, "abstractpkg:Allocates")
    assert "MemoryError" in got.get("error", "") or "watchdog" in got.get("error", ""), got


def test_the_family_is_read_from_the_catalogue():
    family = deferred_family()
    assert {"build-without-memory", "materialise-completeness",
            "tied-survives-materialisation"} <= set(family)
    assert "tied-params" not in family and "shape-without-init" not in family
    data = {"seconds": {"build-without-memory": 0.5, "tied-params": 9.0},
            "framework_seconds": {"build-without-memory": 0.25}}
    got = family_seconds(data, family)
    assert (got["family_s"], got["family_framework_s"]) == (0.5, 0.25)
    assert got["family_ran"] == f"1/{len(family)}"
