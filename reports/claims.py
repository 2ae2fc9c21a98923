"""Documentation claims, judged apart from the score.

A claim (a check with a ``quote``) was written for one system of
``spec/sources.toml`` (framework, ``when_version``, mode). In each env that ran
it, its verdict is:

* ``holds`` / ``wrong``: the env runs the claim's system (same framework
  family, a version matching ``when_version``, a configuration matching
  ``when_config``: MXNet's numpy mode, the Keras backend) and observed == / !=
  expected;
* ``holds (also)``: same framework, another system, observed == expected;
* ``other mode``: same framework and version, another configuration (mode or
  backend), observed != expected;
* ``stale``: same framework, a version outside ``when_version``, observed !=
  expected (``stale`` shows the check's ``evidence``: where it stopped holding);
* any other outcome (error, unsupported, n/a, not run) is shown as it is.
"""
from __future__ import annotations

from conformance.expectations import config_matches, version_matches

VERDICTS = ("holds", "wrong", "holds (also)", "other mode", "stale")


def is_claims(behaviour) -> bool:
    """A behaviour made of documentation claims only (``doc-claims``)."""
    return all(c.quote for c in behaviour.checks)


def verdict(check, framework: str, version: str, outcome: str, systems: dict,
            config: dict | None = None) -> str:
    """``framework``: the env's framework family; ``config``: its configuration."""
    if outcome not in ("conforms", "diverges"):
        return outcome
    system = systems.get(check.system, {})
    if system.get("framework", framework) != framework:
        return f"not its system ({system['framework']})"
    try:
        same_version = version_matches(system.get("when_version", ""), version)
    except ValueError:  # a malformed when_version is shown, not fatal
        same_version = True
    same_mode = config_matches(system.get("when_config", ""), config or {})
    held = outcome == "conforms"
    if same_version and same_mode:
        return "holds" if held else "wrong"
    if held:
        return "holds (also)"
    return "other mode" if same_version else "stale"


def holds_in(per_env: dict) -> list:
    """The envs where a claim's observation equals the text's."""
    return [name for name, r in per_env.items() if r["outcome"] == "conforms"]


def system_text(name: str, systems: dict) -> str:
    """``torch-2-0 (torch >=2.0, <2.1; default)``."""
    s = systems.get(name)
    if not s:
        return name or "-"
    when = f" {s['when_version']}" if s.get("when_version") else ""
    mode = f"; {s['mode']}" if s.get("mode") else ""
    return f"{name} ({s.get('framework', '?')}{when}{mode})"


def short(text: str, limit: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
