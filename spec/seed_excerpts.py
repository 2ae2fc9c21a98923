"""The seed passages the catalogue quotes, vendored: ``spec/excerpts/seeds/<seed>``
holds, for each seed text of ``shared/seeds/`` a behaviour or a documentation
claim quotes, the lines each quote spans (whitespace as in the seed), so that the
quotes are checked against their passages in every run, a bare clone and CI
included (``meta_tests/test_spec.py``); where ``shared/seeds/`` lies beside the
checkout, each vendored passage is checked against its seed too.

Regenerate after a quote changes: ``python -m spec.seed_excerpts``.
"""
from __future__ import annotations

import sys
from pathlib import Path

from spec.catalogue import EXCERPTS_DIR, SPEC_DIR, load_catalogue, load_sources

SEEDS = SPEC_DIR.parents[2] / "shared" / "seeds"   # beside the checkout, when it is
VENDORED = EXCERPTS_DIR / "seeds"
GAP = "[...]"


def squash(text: str) -> str:
    return " ".join(text.split())


def quotes(catalogue) -> list:
    """``[(where, seed file, quote)]`` of every seed quote of the catalogue."""
    cited = [(Path(b.path).name, b.source["seed"], b.source["quote"]) for b in catalogue
             if "seed" in b.source]
    return cited + [(f"{Path(b.path).name} check {c.id}", c.seed, c.quote)
                    for b in catalogue for c in b.checks if c.quote]


def span(lines: list, quote: str) -> tuple[int, int] | None:
    """The shortest run of ``lines`` whose squashed text holds the squashed quote."""
    want = squash(quote)
    for start in range(len(lines)):
        for end in range(start, len(lines)):
            if want in squash(" ".join(lines[start:end + 1])):
                while want in squash(" ".join(lines[start + 1:end + 1])):
                    start += 1
                return start, end
            if len(squash(" ".join(lines[start:end + 1]))) > len(want) + 400:
                break
    return None


def passages(seed_text: str, cited: list) -> str:
    """The lines of ``seed_text`` the ``cited`` quotes span, in seed order, merged
    where they overlap, separated by ``GAP`` lines."""
    lines = seed_text.splitlines()
    spans = sorted(s for s in (span(lines, q) for q in cited) if s is not None)
    merged: list = []
    for s, e in spans:
        if merged and s <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return f"\n{GAP}\n".join("\n".join(lines[s:e + 1]) for s, e in merged)


def vendor(seeds_dir: Path = SEEDS, out: Path = VENDORED) -> list:
    """Write ``out/<seed>`` for every quoted seed; returns the files written."""
    catalogue, titles = load_catalogue(), load_sources().get("seeds", {})
    by_seed: dict = {}
    for _, seed, quote in quotes(catalogue):
        by_seed.setdefault(seed, []).append(quote)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for seed, cited in sorted(by_seed.items()):
        text = (seeds_dir / seed).read_text(encoding="utf-8")
        title = titles.get(seed, {}).get("title", seed)
        header = (f"# {title} (shared/seeds/{seed}): the passages the catalogue quotes,\n"
                  f"# verbatim; {GAP} marks lines left out. Regenerate: "
                  "python -m spec.seed_excerpts\n\n")
        (out / seed).write_text(header + passages(text, cited) + "\n", encoding="utf-8")
        written.append(out / seed)
    return written


def vendored_text(seed: str) -> str:
    """The vendored passages of ``seed`` without their header."""
    text = (VENDORED / seed).read_text(encoding="utf-8")
    return text.split("\n\n", 1)[1]   # the header ends at the first blank line


if __name__ == "__main__":
    if not SEEDS.is_dir():
        sys.exit(f"seed_excerpts: {SEEDS} not found; run beside shared/seeds/")
    for path in vendor():
        print(f"wrote {path}")
