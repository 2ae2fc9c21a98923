"""One registry of systems (``adapters/systems.py``): ``tox.ini``, the CI
recipe and the reporter agree with it, and it is the one place a system is named."""
from __future__ import annotations

import configparser
import re
from pathlib import Path

from adapters import ENVIRONMENT, MODULES
from adapters.systems import SYSTEMS
from conformance import seed

REPO = Path(__file__).resolve().parents[1]


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
