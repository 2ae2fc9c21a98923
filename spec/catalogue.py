"""Load and validate the behaviour catalogue (``spec/behaviours/*.toml``).

One file per behaviour, named ``<id>.toml``. A malformed file raises
:class:`SpecError` whose message is one line: the file, the field, the fix.
The schema is ``BEHAVIOUR_FIELDS`` / ``SOURCE_FIELDS`` / ``CHECK_FIELDS`` below.

Expected values are plain TOML data compared with observations after JSON
normalisation; an unknown dimension is written ``"?"`` and a raised error
``"raises:<kind>"`` (kinds: see ``adapters/interface.py: classify_error``).
"""
from __future__ import annotations

import functools
import os
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from spec.fields import check_fields

SPEC_DIR = Path(__file__).resolve().parent / "behaviours"
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# field -> (type, required, hint)
BEHAVIOUR_FIELDS = {
    "id": (str, True, "a kebab-case id equal to the file name"),
    "group": (str, True, "the behaviour's group, one of GROUPS (core, seed, around, materialise)"),
    "title": (str, True, "a one-line title"),
    "statement": (str, True, "the normative statement, framework-neutral"),
    "source": (dict, True, "a [source] table with seed, section, quote"),
    "checks": (list, True, "one or more [[checks]] tables"),
    "operations": (list, False, "the adapter operations its scenario calls"),
    "marker": (str, False, "a key of MARKERS: the pytest marker of a costly behaviour, "
               "left out unless its option is given"),
}
#: group -> what it holds; the catalogue's order is by group (this order), then id
GROUPS = {
    "core": "what the seed texts teach first: deferred shapes, initialize() and the "
            "first forward, force_reinit, declared input sizes, tied parameters",
    "seed": "the rest the seed texts teach, their documentation claims included",
    "around": "what users trip over around it, resting on the frameworks' own docs, "
              "tests and issue threads (an outside source)",
    "materialise": "deferred materialization: a model built without memory (torch's meta "
                   "device, Keras 3's StatelessScope, jax.eval_shape), then given its values "
                   "the documented way, and initialised sharded across devices (outside "
                   "sources too; optional groups abstract-build and sharded)",
}
#: marker -> (the pytest option that runs it, its environment variable, why it is gated)
MARKERS = {
    "compile": ("--compile", "LAZYINIT_COMPILE",
                "graph compilation: torch.compile alone costs 3-20 s, more than the rest of "
                "the catalogue"),
}
SOURCE_FIELDS = {
    "seed": (str, False, "the seed file name in shared/seeds/"),
    "section": (str, False, "the seed's section heading"),
    "quote": (str, True, "the sentence the behaviour rests on, verbatim"),
    "kind": (str, False, "an outside source's kind: issue, pull, test or doc"),
    "repo": (str, False, "an outside source's repository, owner/name"),
    "ref": (str, False, "an outside source's number (#123) or file path"),
    "url": (str, False, "an outside source's address"),
    "title": (str, False, "an outside source's title"),
    "excerpt": (str, False, "the file in spec/excerpts/ holding the quoted passage"),
    "pinned": (str, False, "an outside source's version: the tested wheel's file and lines, "
               "a tag, or plainly 'older evidence: ...'"),
    "wheel": (str, False, "'dist==version' the suite tests, whose installed file holds the "
              "excerpt (checked in its env: conformance/test_sources.py)"),
    "installed": (str, False, "with wheel: the excerpt's file inside the installed package"),
}
#: a source is a seed section, or an outside one with all of these
SEED_SOURCE = ("seed", "section")
OUTSIDE_SOURCE = ("kind", "repo", "ref", "url", "title", "excerpt", "pinned")
SOURCE_KINDS = ("issue", "pull", "test", "doc")
EXCERPTS_DIR = SPEC_DIR.parent / "excerpts"
CHECK_FIELDS = {
    "id": (str, True, "a kebab-case id unique within the behaviour"),
    "description": (str, True, "what is observed, in one sentence"),
    "expected": (object, True, "the expected value under the reference semantics"),
    "compare": (str, False, "'equal' (default) or 'approx'"),
    "tol": (float, False, "absolute tolerance for compare = 'approx'"),
    "seed": (str, False, "the seed file a documentation claim is quoted from"),
    "quote": (str, False, "the claim's sentence, verbatim from its seed"),
    "applies_to": (list, False, "the frameworks a documentation claim is about, "
                   "e.g. [\"mxnet\"] (default: all)"),
    "system": (str, False, "the system a documentation claim was written for, a key "
               "of spec/sources.toml [systems]"),
    "requires": (list, False, "capability premises, e.g. [\"init_step=deferred\"] "
                 "(names: adapters/interface.py CAPABILITIES)"),
    "observes": (str, False, "the capability this check is the one observation of "
                 "(checks that require it then end as n/a naming this check)"),
    "evidence": (str, False, "for a documentation claim: where it stopped holding "
                 "(a release, a pull request)"),
    "detail": (bool, False, "judge the fine error kind (deferred-init vs "
               "not-initialized vs missing) instead of no-value"),
    "semantics": (str, False, "for a check MXNet 1.9.1 cannot run (it lacks the "
                  "premise: n/a there), the reference model's rule its expected value "
                  "follows, in one sentence"),
}
COMPARES = ("equal", "approx")
#: what backs a check's expected value (``Check.basis``): the quoted source (a
#: documentation claim), MXNet 1.9.1 as probed (the reference semantics: the mxnet
#: env conforms), or the reference model where MXNet cannot run the check
BASES = {
    "source": "the quoted source",
    "mxnet": "MXNet 1.9.1 as probed",
    "model": "the reference model (MXNet lacks the premise)",
}


class SpecError(ValueError):
    """A malformed spec file; the message is the whole user-facing line."""


@dataclass(frozen=True)
class Check:
    id: str
    description: str
    expected: object
    compare: str = "equal"
    tol: float = 0.0
    applies_to: tuple = ()
    seed: str = ""
    quote: str = ""
    requires: tuple = ()
    observes: str = ""
    detail: bool = False
    system: str = ""
    evidence: str = ""
    semantics: str = ""

    @property
    def basis(self) -> str:
        """What backs ``expected`` (a key of ``BASES``): a documentation claim's
        quote; the reference model's rule (``semantics``) where MXNet 1.9.1 cannot run
        the check; else MXNet 1.9.1 as probed."""
        return "source" if self.quote else "model" if self.semantics else "mxnet"

    def applies(self, framework: str) -> bool:
        """Whether the check runs on the framework family ``framework`` (the
        reference runs every check)."""
        return not self.applies_to or framework in (*self.applies_to, "reference")


@dataclass(frozen=True)
class Behaviour:
    id: str
    group: str
    title: str
    statement: str
    source: dict
    checks: tuple
    path: str
    operations: tuple = ()
    marker: str = ""
    order: int = 0      # its row, 1-based: by group (GROUPS), then id (load_catalogue)

    def check(self, check_id: str) -> Check:
        return next(c for c in self.checks if c.id == check_id)

    def observer(self, capability: str):
        """The check of this behaviour that observes ``capability``, if any."""
        return next((c for c in self.checks if c.observes == capability), None)

    def checks_for(self, framework: str) -> tuple:
        """The checks that run on the framework family ``framework``."""
        return tuple(c for c in self.checks if c.applies(framework))


def load_behaviour(path: Path) -> Behaviour:
    path = Path(path)
    shown = _shown(path)

    def fail(field, why):
        raise SpecError(f"{shown}: field '{field}': {why}")

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{shown}: not valid TOML ({exc}); fix the syntax") from None
    check_fields(data, BEHAVIOUR_FIELDS, "", fail)
    if not ID_RE.match(data["id"]):
        fail("id", f"{data['id']!r} is not kebab-case (a-z, 0-9, '-')")
    if data["id"] != path.stem:
        fail("id", f"{data['id']!r} differs from the file name; rename one of them")
    check_fields(data["source"], SOURCE_FIELDS, "source.", fail)
    _source(data["source"], fail)
    from adapters.interface import (  # the contract; no framework import
        CAPABILITIES, OPERATIONS, requirement_capability)
    for op in data.get("operations", []):
        if op not in OPERATIONS:
            fail("operations", f"unknown adapter operation {op!r}; use the names in "
                 "adapters/interface.py OPERATIONS")
    if data["group"] not in GROUPS:
        fail("group", f"{data['group']!r}: use one of {', '.join(GROUPS)}")
    if data.get("marker", "") and data["marker"] not in MARKERS:
        fail("marker", f"{data['marker']!r}: unknown marker; use one of {', '.join(MARKERS)}")
    if not data["checks"]:
        fail("checks", "empty; add at least one [[checks]] table")
    checks, seen = [], set()
    for n, raw in enumerate(data["checks"]):
        where = f"checks[{n}]."
        if not isinstance(raw, dict):
            fail(f"checks[{n}]", "expected a [[checks]] table")
        check_fields(raw, CHECK_FIELDS, where, fail)
        if not ID_RE.match(raw["id"]):
            fail(where + "id", f"{raw['id']!r} is not kebab-case")
        if raw["id"] in seen:
            fail(where + "id", f"duplicate check id {raw['id']!r}; make it unique")
        seen.add(raw["id"])
        compare = raw.get("compare", "equal")
        if compare not in COMPARES:
            fail(where + "compare", f"{compare!r}; use one of {', '.join(COMPARES)}")
        if compare == "approx" and "tol" not in raw:
            fail(where + "tol", "missing; compare = 'approx' needs a tolerance")
        applies_to = raw.get("applies_to", [])
        if not all(isinstance(a, str) and a for a in applies_to):
            fail(where + "applies_to", "expected a list of framework names")
        requires = raw.get("requires", [])
        for req in requires:
            if not isinstance(req, str) or requirement_capability(req) not in CAPABILITIES:
                fail(where + "requires", f"{req!r}: unknown capability; use one of "
                     f"{', '.join(CAPABILITIES)} as 'cap', 'cap=value' or 'cap!=value'")
        if raw.get("observes") and raw["observes"] not in CAPABILITIES:
            fail(where + "observes", f"{raw['observes']!r}: unknown capability")
        checks.append(Check(raw["id"], raw["description"], raw["expected"], compare,
                            float(raw.get("tol", 0.0)), tuple(applies_to),
                            raw.get("seed", ""), raw.get("quote", ""), tuple(requires),
                            raw.get("observes", ""), bool(raw.get("detail", False)),
                            raw.get("system", ""), raw.get("evidence", ""),
                            raw.get("semantics", "")))
        if raw.get("system") and raw["system"] not in load_sources()["systems"]:
            fail(where + "system", f"{raw['system']!r}: not a [systems] key of spec/sources.toml")
    return Behaviour(data["id"], data["group"], data["title"], data["statement"],
                     dict(data["source"]), tuple(checks), shown,
                     tuple(data.get("operations", ())), data.get("marker", ""))


def _source(src: dict, fail) -> None:
    """A seed section (seed, section) or an outside source (kind, repo, ref, url,
    title, excerpt), not a mix."""
    outside = [k for k in OUTSIDE_SOURCE if k in src]
    if not outside:
        for key in SEED_SOURCE:
            if key not in src:
                fail(f"source.{key}", f"missing; add {SOURCE_FIELDS[key][2]} (or cite an "
                     f"outside source with {', '.join(OUTSIDE_SOURCE)})")
        return
    for key in SEED_SOURCE:
        if key in src:
            fail(f"source.{key}", "a source is a seed or an outside one; drop "
                 f"{', '.join(SEED_SOURCE)} or {', '.join(outside)}")
    for key in OUTSIDE_SOURCE:
        if key not in src:
            fail(f"source.{key}", f"missing; an outside source needs {SOURCE_FIELDS[key][2]}")
    if src["kind"] not in SOURCE_KINDS:
        fail("source.kind", f"{src['kind']!r}; use one of {', '.join(SOURCE_KINDS)}")
    if not (EXCERPTS_DIR / src["excerpt"]).is_file():
        fail("source.excerpt", f"{src['excerpt']!r} is not a file in spec/excerpts/; save the "
             "quoted passage there")
    if ("wheel" in src) != ("installed" in src):
        fail("source.wheel", "wheel and installed go together: the tested distribution "
             "and the excerpt's file inside it")
    if "wheel" in src and not re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][A-Za-z0-9.+-]*",
                                           src["wheel"]):
        fail("source.wheel", f"{src['wheel']!r}: write 'dist==version'")
    if "/blob/main/" in src["url"] or "/stable/" in src["url"]:
        fail("source.url", f"{src['url']!r} moves with the branch: link a tag or a commit")


def excerpt_text(src: dict) -> str:
    """The stored passage an outside source's quote is taken from."""
    return (EXCERPTS_DIR / src["excerpt"]).read_text(encoding="utf-8")


def source_line(src: dict) -> str:
    """One line naming where a behaviour's source is (Markdown)."""
    if "seed" in src:
        return f"`{src['seed']}`, section \"{src['section']}\""
    return f"{src['repo']} {src['ref']} ({src['kind']}): [{src['title']}]({src['url']})"


def load_sources() -> dict:
    """``spec/sources.toml``: the seeds and the systems documentation claims were
    written for (parsed once per version of the file: every check naming a system
    asks for it; read it, do not change it)."""
    path = SPEC_DIR.parent / "sources.toml"
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=2)
def _parsed(path: Path, mtime_ns: int, size: int) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_catalogue(directory: Path | None = None) -> list:
    """All behaviours in catalogue order (by group, ``GROUPS``, then id; each one's
    ``order`` is its 1-based row); raises SpecError on the first bad file.
    ``directory`` defaults to env ``LAZYINIT_SPEC_DIR``, else ``spec/behaviours``."""
    directory = directory or os.environ.get("LAZYINIT_SPEC_DIR") or SPEC_DIR
    files = sorted(Path(directory).glob("*.toml"))
    if not files:
        raise SpecError(f"{directory}: no *.toml behaviour files found")
    stamp = tuple((f, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return list(_load_files(stamp))


@functools.lru_cache(maxsize=4)
def _load_files(stamp: tuple) -> tuple:
    """The behaviours of the files of ``stamp`` (path, mtime, size): read once per
    process while the files are unchanged (the suite's plugin and two test modules
    each ask for the catalogue)."""
    files = [f for f, _, _ in stamp]
    behaviours, ids = [], {}
    for f in files:
        b = load_behaviour(f)
        if b.id in ids:
            raise SpecError(f"{b.path}: field 'id': duplicate of {ids[b.id]}; ids must be unique")
        ids[b.id] = b.path
        behaviours.append(b)
    ranked = sorted(behaviours, key=lambda b: (list(GROUPS).index(b.group), b.id))
    return tuple(replace(b, order=n) for n, b in enumerate(ranked, 1))
