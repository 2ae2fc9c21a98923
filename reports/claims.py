"""Documentation claims, judged apart from the score.

A claim (a check with a ``quote``) was written for one system of
``spec/sources.toml`` (framework, ``when_version``, mode). In each env that ran
it, its verdict is:

* ``holds`` / ``wrong``: the env runs the claim's system (same framework, a
  version matching ``when_version``) and observed == / != expected;
* ``holds (also)`` / ``stale``: same framework, a version outside
  ``when_version``; observed == / != expected (``stale`` shows the check's
  ``evidence``: where the claim stopped holding);
* any other outcome (error, unsupported, n/a, not run) is shown as it is.
"""
from __future__ import annotations

from conformance.expectations import version_matches

VERDICTS = ("holds", "wrong", "holds (also)", "stale")


def is_claims(behaviour) -> bool:
    """A behaviour made of documentation claims only (``doc-claims``)."""
    return all(c.quote for c in behaviour.checks)


def verdict(check, framework: str, version: str, outcome: str, systems: dict) -> str:
    if outcome not in ("conforms", "diverges"):
        return outcome
    system = systems.get(check.system, {})
    if system.get("framework", framework) != framework:
        return f"not its system ({system['framework']})"
    try:
        current = version_matches(system.get("when_version", ""), version)
    except ValueError:  # a malformed when_version is shown, not fatal
        current = True
    held = outcome == "conforms"
    if current:
        return "holds" if held else "wrong"
    return "holds (also)" if held else "stale"


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
