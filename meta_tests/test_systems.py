"""One registry of systems (``adapters/systems.py``): ``tox.ini``, the CI
recipe and the reporter agree with it, and it is the one place a system is named and
its family written (no adapter class repeats it)."""
from __future__ import annotations

import configparser
import os
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from adapters import ENVIRONMENT, MODULES, REGISTRY_FACTS, AdapterLoadError, check_contract
from adapters.interface import family_of
from adapters.reference import ReferenceAdapter
from adapters.systems import SYSTEMS
from conformance import seed
from meta_tests.adapter_sources import adapter_classes, attributes

REPO = Path(__file__).resolve().parents[1]
PYTHON = os.environ.get("LAZYINIT_FRAMEWORK_PYTHON")


def tox() -> configparser.ConfigParser:
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(REPO / "tox.ini", encoding="utf-8")
    return ini


def _setenv(section) -> dict:
    lines = section.get("setenv", section.get("set_env", ""))
    return dict(re.findall(r"^\s*([A-Z_]+)\s*=\s*(\S+)\s*$", lines, re.M))


def test_tox_has_an_env_per_system_and_runs_it_where_the_registry_says():
    ini = tox()
    labels = {k.strip(): [e.strip() for e in v.split(",")]
              for k, v in re.findall(r"^\s*(\w+)\s*=\s*(.+)$", ini["tox"]["labels"], re.M)}
    # (tox's order runs a host env before the systems in its interpreter)
    assert sorted(labels["frameworks"]) == sorted(SYSTEMS)
    assert sorted(labels["all"]) == sorted([*SYSTEMS, "report"])
    envlist = [e.strip() for e in ini["tox"]["envlist"].split(",")]
    assert sorted(envlist) == sorted([*SYSTEMS, "report", "meta"]), "tox.ini envlist"
    depends = [e.strip() for e in ini["testenv:report"]["depends"].split(",")]
    assert sorted(depends) == sorted(SYSTEMS), "tox.ini [testenv:report] depends"
    base = _setenv(ini["testenv"])
    for s in SYSTEMS.values():
        section = ini[f"testenv:{s.name}"]
        env = {**base, **_setenv(section)}
        for key, value in s.environment.items():
            assert env.get(key) == value, f"tox.ini [testenv:{s.name}] {key}: {env.get(key)}"
        python = env.get("LAZYINIT_PYTHON", "")
        host = re.search(r"\{/\}([\w-]+)\{/\}bin", python)
        assert (host.group(1) if host else s.name) == s.host, (s.name, python)


def test_ci_recipe_lists_the_systems():
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    listed = re.search(r"env: \[([^\]]+)\]", text).group(1)
    assert sorted(e.strip() for e in listed.split(",")) == sorted(SYSTEMS)


def test_the_adapter_registry_and_the_reporter_read_it():
    from reports.build import EXPECTED_ENVS
    assert {k: v for k, v in MODULES.items() if k != "reference"} == {
        s.name: s.adapter for s in SYSTEMS.values()}
    assert ENVIRONMENT == {s.name: s.environment for s in SYSTEMS.values() if s.environment}
    assert EXPECTED_ENVS == {s.name: s.family for s in SYSTEMS.values()}


def test_one_seed_constant():
    """The run seed is written once (``conformance.seed.SEED``); repros read it
    from ``LAZYINIT_SEED``, which the suite sets."""
    literal = str(seed.SEED)
    written = [str(p.relative_to(REPO)) for d in ("adapters", "conformance", "spec", "reports",
                                                  "bench", "meta_tests")
               for p in (REPO / d).rglob("*.py") if literal in p.read_text(encoding="utf-8")
               and "repros" not in p.parts]
    assert written == ["conformance/seed.py"], written


def test_a_family_is_written_only_in_the_registry():
    """No adapter class of adapters/ sets a fact the registry states (``family``...):
    ``family_of`` reads the registry for every system shipped here."""
    again = [f"{path.name} {cls.name} sets {', '.join(sorted(attributes(cls) & {*REGISTRY_FACTS}))}"
             for path, cls in adapter_classes() if attributes(cls) & {*REGISTRY_FACTS}]
    assert not again, again
    for s in SYSTEMS.values():
        assert family_of(SimpleNamespace(name=s.name, family="other")) == s.family


def test_an_adapter_outside_declares_its_own_family():
    assert family_of(SimpleNamespace(name="outside-mx", family="mxnet")) == "mxnet"
    assert family_of(SimpleNamespace(name="outside-mx")) == "outside-mx"

    class Outside(ReferenceAdapter):
        name, family = "outside-mx", "mxnet"
    check_contract(Outside)


class SetsFamily(ReferenceAdapter):
    family = "keras"


class RegisteredKeras(SetsFamily):
    name = "tf"


def test_an_adapter_repeating_a_registry_fact_is_refused_naming_the_file():
    with pytest.raises(AdapterLoadError) as err:
        check_contract(RegisteredKeras)
    assert f"RegisteredKeras: SetsFamily in {__file__} sets family, which " \
        "adapters/systems.py states for the system 'tf'; delete it" in str(err.value)


@pytest.mark.skipif(not PYTHON, reason="needs LAZYINIT_FRAMEWORK_PYTHON (MXNet's env)")
def test_the_shipped_mxnet_adapters_load_with_the_registry_family():
    code = ("import adapters; from adapters.interface import family_of; "
            "print([(n, family_of(adapters.load(n))) for n in ('mxnet', 'mxnet-np')])")
    out = subprocess.run([PYTHON, "-c", code], cwd=REPO, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=300)
    assert out.stdout.strip() == "[('mxnet', 'mxnet'), ('mxnet-np', 'mxnet')]", out.stderr
