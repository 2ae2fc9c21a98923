"""Expectation files: the known non-conforming outcome of each check, per env.

``conformance/expectations/<env>.toml`` lists every check of that env that does
not conform, each with the outcome it has and why (a check absent from the file
is expected to conform; a missing file: everything is)::

    [[expect]]
    check = "first-forward-inits/bias-calls"   # behaviour/check
    outcome = "unsupported"                     # diverges or unsupported
    reason = "torch has no deferred-initializer registration"
    link = "https://github.com/pytorch/pytorch/issues/NNN"   # optional
    when_version = ">=2.0, <3"                  # optional
    when_config = "image_data_format=channels_last"   # optional

``when_version``: comma-separated clauses, all must hold; a clause is
``OP VERSION`` with OP one of ``>= <= > < == !=``, or a prefix ``1.*`` / ``1.9.*``.
Versions compare by their leading numeric components (``2.13.0+cpu`` is
``2.13.0``). Several entries may name one check with different ``when_version``;
the first whose condition holds applies. ``when_config``: comma-separated
``key=value`` clauses over the run's framework configuration (the results file's
``framework.config``: Keras backend and image data format, ``jax_enable_x64``, MXNet
numpy-shape mode...), all must hold. An entry whose check is not in the
catalogue is *stale*: reported, never silently ignored.

Most expected outcomes are not written here: they follow from the differences
file (``Expectations.derive``): a check that a difference of the system explains
is expected to end in that difference's ``outcome`` (default ``diverges``). The
file keeps only what no difference explains (documentation claims) and entries
with a ``when_version``/``when_config`` condition; a check the file names, under
any condition, is judged by the file alone.

``python -m conformance.expectations update RESULTS.json`` regenerates a file
from a run (see ``conformance/expectations/update.py``): it writes only what cannot
be derived.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from spec.fields import check_fields

DIR = Path(__file__).resolve().parent
EXPECTABLE = ("diverges", "unsupported")
# field -> (type, required, hint): spec.fields.check_fields
ENTRY_FIELDS = {
    "check": (str, True, "the check as 'behaviour/check', e.g. 'unknown-dims/param-ids'"),
    "outcome": (str, True, "the known outcome: " + " or ".join(EXPECTABLE)),
    "reason": (str, True, "a short reason why the framework behaves so"),
    "link": (str, False, "an http(s) URL of the framework's issue"),
    "when_version": (str, False, "a version condition such as '>=2.0, <3' or '1.*'"),
    "when_config": (str, False, "configuration clauses such as 'jax_enable_x64=false'"),
}
_CLAUSE = re.compile(r"^\s*(>=|<=|==|!=|>|<)?\s*(\d+(?:\.\d+)*)(\.\*)?\s*$")


class ExpectationsError(ValueError):
    """A malformed expectations file; the message is the whole user-facing line."""


@dataclass(frozen=True)
class Entry:
    check: str                  # "behaviour/check"
    outcome: str
    reason: str
    link: str = ""
    when_version: str = ""
    when_config: str = ""

    def applies(self, version: str, config: dict | None = None) -> bool:
        return version_matches(self.when_version, version) and \
            config_matches(self.when_config, config or {})


@dataclass
class Expectations:
    path: Path
    entries: list
    exists: bool = True
    #: ``{check: Entry}`` derived from the system's differences (``derive``)
    derived: dict = field(default_factory=dict)

    def active(self, version: str, config: dict | None = None) -> dict:
        """``{"behaviour/check": Entry}`` of the entries that apply to ``version`` and
        the framework ``config``; then the derived ones, for every check the file
        does not name (a file entry, whatever its condition, overrides)."""
        out = {}
        for e in self.entries:
            if e.applies(version, config):
                out.setdefault(e.check, e)
        named = {e.check for e in self.entries}
        out.update({c: e for c, e in self.derived.items() if c not in named})
        return out

    def derive(self, found) -> "Expectations":
        """These expectations plus the outcomes the differences ``found`` (a
        ``conformance.differences.Catalogue`` of one system) cause: each check a
        difference explains is expected to end in its ``outcome``, for the reason
        its statement gives."""
        derived = {c: Entry(c, d.outcome, f"{d.statement} [{d.id}]")
                   for d in found.items for c in d.explains}
        return Expectations(self.path, self.entries, self.exists, derived)

    def stale(self, catalogue) -> list:
        """Entries naming a behaviour or check the catalogue does not have."""
        known = {f"{b.id}/{c.id}" for b in catalogue for c in b.checks}
        return [e for e in self.entries if e.check not in known]


def default_path(env: str) -> Path:
    return DIR / f"{env}.toml"


def version_key(version: str) -> tuple:
    """``"2.13.0+cpu"`` -> ``(2, 13, 0)``; no leading number -> ``()``."""
    m = re.match(r"\s*v?(\d+(?:\.\d+)*)", str(version))
    return tuple(int(p) for p in m.group(1).split(".")) if m else ()


def _cmp(a: tuple, b: tuple) -> int:
    n = max(len(a), len(b))
    a, b = a + (0,) * (n - len(a)), b + (0,) * (n - len(b))
    return (a > b) - (a < b)


def parse_condition(cond: str) -> list:
    """``[(op, key, prefix)]``; raises ValueError naming the bad clause."""
    clauses = []
    for raw in cond.split(","):
        m = _CLAUSE.match(raw)
        if not m or (m.group(3) and m.group(1) not in (None, "==")):
            raise ValueError(f"bad clause {raw.strip()!r}")
        clauses.append((m.group(1) or "==", version_key(m.group(2)), bool(m.group(3))))
    return clauses


def config_matches(cond: str, config: dict) -> bool:
    """Whether every ``key=value`` clause of ``cond`` holds in ``config`` (values
    compare as lower-case text: ``true`` matches ``True``)."""
    for clause in filter(None, (c.strip() for c in cond.split(","))):
        key, _, value = clause.partition("=")
        if str(config.get(key.strip())).lower() != value.strip().lower():
            return False
    return True


def version_matches(cond: str, version: str) -> bool:
    """Whether ``version`` satisfies every clause of ``cond`` (empty: always)."""
    if not cond.strip():
        return True
    v = version_key(version)
    for op, key, prefix in parse_condition(cond):
        if prefix:
            ok = v[:len(key)] == key
        else:
            c = _cmp(v, key)
            ok = {">=": c >= 0, "<=": c <= 0, ">": c > 0, "<": c < 0, "==": c == 0,
                  "!=": c != 0}[op]
        if not ok:
            return False
    return True


def load(path) -> Expectations:
    """Read and validate ``path``; a missing file is empty (all expected to conform)."""
    path = Path(path)
    if not path.exists():
        return Expectations(path, [], exists=False)
    where = shown(path)

    def fail(field, why):
        raise ExpectationsError(f"{where}: field '{field}': {why}")

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ExpectationsError(f"{where}: not valid TOML ({exc}); fix the syntax") from None
    for key in data:
        if key != "expect":
            fail(key, "unknown top-level key; write entries as [[expect]] tables")
    raw_entries = data.get("expect", [])
    if not isinstance(raw_entries, list):
        fail("expect", "expected [[expect]] tables (an array of tables)")
    entries, seen = [], {}
    for n, raw in enumerate(raw_entries):
        at = f"expect[{n}]"
        if not isinstance(raw, dict):
            fail(at, "expected an [[expect]] table")
        check_fields(raw, ENTRY_FIELDS, at + ".", fail)
        if not re.fullmatch(r"[a-z0-9-]+/[a-z0-9-]+", raw["check"]):
            fail(f"{at}.check", f"{raw['check']!r:.60} is not 'behaviour/check'")
        if raw["outcome"] not in EXPECTABLE:
            fix = ("remove the entry: a check absent from the file is expected to conform"
                   if raw["outcome"] == "conforms" else
                   "an error always fails: fix the harness or adapter instead"
                   if raw["outcome"] == "error" else f"use {' or '.join(EXPECTABLE)}")
            fail(f"{at}.outcome", f"{raw['outcome']!r:.40}: {fix}")
        link = raw.get("link", "")
        if link and not re.match(r"https?://\S+$", link):
            fail(f"{at}.link", f"{link!r:.60} is not an http(s) URL")
        cond = raw.get("when_version", "")
        try:
            parse_condition(cond) if cond else None
        except ValueError as exc:
            fail(f"{at}.when_version", f"{exc}; use clauses like '>=2.0', '<3', '1.*'")
        cfg = raw.get("when_config", "")
        if cfg and not all("=" in c for c in cfg.split(",")):
            fail(f"{at}.when_config", f"{cfg!r}: write key=value clauses, comma-separated")
        key = (raw["check"], " ".join(cond.split()), " ".join(cfg.split()))
        if key in seen:
            fail(f"{at}.check", f"duplicate of expect[{seen[key]}] (same check and "
                 "when_version); merge them or give different when_version")
        seen[key] = n
        entries.append(Entry(raw["check"], raw["outcome"], raw["reason"].strip(), link, cond, cfg))
    return Expectations(path, entries)


def shown(path: Path) -> str:
    """``path`` relative to the working directory where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
