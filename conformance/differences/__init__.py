"""Differences as data: the distinct, named ways a framework differs from the reference.

``conformance/differences/<framework>.toml`` (framework = the adapter's
``family``: one file serves every system of a framework)::

    [[difference]]
    id = "torch/shapeless-uninitialized"      # <framework>/<kebab-case>
    statement = "one sentence: what the framework does instead"
    evidence = "a doc page, a source line or an issue thread"
    repro = "../repros/torch/shapeless_uninitialized.py"  # relative to this file
    explains = ["unknown-dims/weight-shapes"]  # behaviour/check
    only_in = ["keras-jax", "keras-torch"]   # optional: the systems (adapter names)
                                             # it holds in; default: all of them
    counterexamples = ["output:rank 2->3"]   # optional: the classes of the random-
                                             # architecture properties it explains
    tolerance = 0.1                          # optional: relative tolerance of the
                                             # repro's numbers (random statistics)
    outcome = "unsupported"                  # optional: the outcome it causes for the
                                             # checks it explains (default diverges)
    considered = ["Layer.dtype_policy", ...] # required with outcome unsupported: the
                                             # native APIs considered before concluding
                                             # the framework lacks one
    consequence_of = "torch/saves-uninitialized"  # optional: the difference of this
                                             # file it follows from; counts and the
                                             # report count the root once
    when_platform = "a CPU device mesh"      # optional: the platform it holds on
                                             # (the report says so)

A system's expected outcomes follow from this file: each check a difference that
holds in the system explains is expected to end in the difference's ``outcome``
(``conformance/expectations``: the expectations file keeps only what no difference
explains -- documentation claims, version- or config-conditional entries).

Every non-conforming check (``diverges`` or ``unsupported``) of a run names exactly
one difference in its results record (``"difference"``); a check no difference
explains is *unattributed*, a difference that explains no non-conforming check of
the run is *idle*: both fail the run (``conformance/test_differences.py``). A
difference class of the differential properties (``conformance/test_properties.py``)
that no difference lists under ``counterexamples`` fails its property. Each
repro prints ``OBSERVED <behaviour/check> <json>`` lines that must equal the
suite's observations (numbers within ``tolerance`` when given; bools and strings
exactly). ``repro`` is a path relative to the directory of the differences file
(an absolute path works too), so a differences file outside this repository
keeps its repros beside it. A repro runs with the suite's seed in the
environment: ``int(os.environ.get("LAZYINIT_SEED", "0"))`` (``seed.SEED``).
Documentation claims (checks with a ``quote``) are judged
apart (spec/sources.toml) and need no difference.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from spec.fields import STRINGS, check_fields

DIR = Path(__file__).resolve().parent
# field -> (type, required, hint): spec.fields.check_fields
FIELDS = {
    "id": (str, True, "'<framework>/<kebab-case>'"),
    "statement": (str, True, "one sentence: what the framework does instead"),
    "evidence": (str, True, "a doc page, a source line or an issue thread"),
    "repro": (str, True, "a path relative to this file"),
    "explains": (STRINGS, True, "a list of 'behaviour/check'"),
    "link": (str, False, "an http(s) URL"),
    "only_in": (STRINGS, False, "a list of system names (adapter names)"),
    "counterexamples": (STRINGS, False, "a list of property difference classes"),
    "tolerance": (float, False, "a relative tolerance (a number > 0)"),
    "outcome": (str, False, "the outcome it causes: diverges (default) or unsupported"),
    "considered": (STRINGS, False, "with outcome unsupported: the native APIs considered"),
    "consequence_of": (str, False, "the id of the difference of this file it follows from"),
    "when_platform": (str, False, "the platform it holds on, e.g. 'a CPU device mesh'"),
}
NON_CONFORMING = ("diverges", "unsupported")


class DifferencesError(ValueError):
    """A malformed differences file; the message is the whole user-facing line."""


@dataclass(frozen=True)
class Difference:
    id: str
    statement: str
    evidence: str
    repro: Path
    explains: tuple
    link: str = ""
    only_in: tuple = ()
    counterexamples: tuple = ()
    tolerance: float = 0.0
    outcome: str = "diverges"   # what it causes for the checks it explains
    considered: tuple = ()      # outcome unsupported: the native APIs considered
    consequence_of: str = ""    # the difference it follows from (counted once, there)
    when_platform: str = ""     # the platform it holds on

    def holds_in(self, system: str) -> bool:
        return not self.only_in or system in self.only_in


@dataclass
class Catalogue:
    framework: str
    path: Path
    items: list

    def by_check(self) -> dict:
        return {c: d for d in self.items for c in d.explains}

    def by_class(self) -> dict:
        """``{property difference class: difference id}``."""
        return {c: d.id for d in self.items for c in d.counterexamples}

    def attribute(self, result: dict) -> dict:
        """``result`` with ``"difference"`` set when it does not conform (``""``:
        unattributed)."""
        if result["outcome"] in NON_CONFORMING:
            d = self.by_check().get(f"{result['behaviour']}/{result['check']}")
            result = {**result, "difference": d.id if d else ""}
        return result

    def for_system(self, system: str) -> "Catalogue":
        """The differences that hold in ``system`` (``only_in``)."""
        return Catalogue(self.framework, self.path, [d for d in self.items if d.holds_in(system)])

    def get(self, difference_id: str):
        return next((d for d in self.items if d.id == difference_id), None)

    def roots(self) -> list:
        """The differences that are no consequence of another: what counts."""
        return [d for d in self.items if not d.consequence_of]


def path_for(framework: str, directory: Path = DIR) -> Path:
    return Path(directory) / f"{framework}.toml"


def repro_path(differences: Path, repro: str) -> Path:
    """``repro`` relative to the directory of the differences file (or absolute)."""
    return Path(os.path.normpath(Path(differences).absolute().parent / repro))


def _one_owner(owners: dict, keys, owner: str, only_in, fail) -> None:
    """One check (one property class), one difference -- in each system."""
    for key in keys:
        for other, other_only in owners.get(key, []):
            if not only_in or not other_only or set(only_in) & set(other_only):
                fail(key, other)
        owners.setdefault(key, []).append((owner, only_in))


def for_framework(framework: str, path: Path | None = None) -> Catalogue:
    """The framework family's catalogue (``.for_system(name)``: the differences that
    hold in one system); a missing file is an empty one."""
    path = Path(path) if path else path_for(framework)
    if not path.exists():
        return Catalogue(framework, path, [])
    where = path.name

    def fail(field, why):
        raise DifferencesError(f"{where}: field '{field}': {why}")

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DifferencesError(f"{where}: not valid TOML ({exc}); fix the syntax") from None
    items, seen, explained, classes = [], set(), {}, {}
    for n, raw in enumerate(data.get("difference", [])):
        at = f"difference[{n}]"
        check_fields(raw, FIELDS, at + ".", fail)
        if not re.fullmatch(rf"{re.escape(framework)}/[a-z0-9]+(-[a-z0-9]+)*", raw["id"]):
            fail(f"{at}.id", f"{raw['id']!r} is not '{framework}/<kebab-case>'")
        if raw["id"] in seen:
            fail(f"{at}.id", f"duplicate {raw['id']!r}")
        seen.add(raw["id"])
        only_in = raw.get("only_in", [])
        _one_owner(explained, raw["explains"], raw["id"], only_in,
                   lambda c, other: fail(f"{at}.explains", f"{c!r} is already explained by "
                                         f"{other} (in a system both hold in): one check, "
                                         "one difference"))
        counterexamples = raw.get("counterexamples", [])
        _one_owner(classes, counterexamples, raw["id"], only_in,
                   lambda c, other: fail(f"{at}.counterexamples", f"{c!r} is already listed "
                                         f"by {other} (in a system both hold in): one class, "
                                         "one difference"))
        if raw.get("outcome", "diverges") not in NON_CONFORMING:
            fail(f"{at}.outcome", f"{raw['outcome']!r:.40}: the outcome it causes is "
                 f"{' or '.join(NON_CONFORMING)} (default diverges)")
        tolerance = raw.get("tolerance", 0.0)
        if "tolerance" in raw and tolerance <= 0:
            fail(f"{at}.tolerance", f"{tolerance!r} is not a relative tolerance (a number > 0)")
        if raw.get("outcome") == "unsupported" and not raw.get("considered"):
            fail(f"{at}.considered", "missing: an unsupported difference names the native "
                 "APIs considered before concluding the framework lacks one")
        items.append(Difference(raw["id"], " ".join(raw["statement"].split()),
                                raw["evidence"].strip(), repro_path(path, raw["repro"]),
                                tuple(raw["explains"]), raw.get("link", ""), tuple(only_in),
                                tuple(counterexamples), float(tolerance),
                                raw.get("outcome", "diverges"), tuple(raw.get("considered", [])),
                                raw.get("consequence_of", ""), raw.get("when_platform", "")))
    roots = {d.id for d in items if not d.consequence_of}
    for n, d in enumerate(items):
        if d.consequence_of and d.consequence_of not in seen - {d.id}:
            fail(f"difference[{n}].consequence_of", f"{d.consequence_of!r} is no other "
                 f"difference of {where}: name the one {d.id} follows from")
        if d.consequence_of and d.consequence_of not in roots:
            fail(f"difference[{n}].consequence_of", f"{d.consequence_of!r} is itself a "
                 "consequence: name the difference it follows from")
    return Catalogue(framework, path, items)
