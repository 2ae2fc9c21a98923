"""Quotes pinned to the versions the suite tests: an outside source taken from a
framework's own file (``wheel`` + ``installed`` in its ``[source]``) is found verbatim
in the *installed* package, in every env that has that distribution, and the
installed version is the one the citation names. A passage the tested version does not
have fails here, with the file and the version to re-pin to."""
from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path

import pytest

from spec.catalogue import excerpt_text, load_catalogue

PINNED = [b for b in load_catalogue() if "wheel" in b.source]


def squash(text: str) -> str:
    return " ".join(text.split())


def installed_file(dist: str, relative: str) -> Path | None:
    """``relative`` inside the installed package (its top-level directory's parent)."""
    spec = importlib.util.find_spec(relative.split("/")[0])
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]).parent / relative


@pytest.mark.parametrize("behaviour", PINNED, ids=[b.id for b in PINNED])
def test_excerpt_is_verbatim_in_the_installed_package(behaviour):
    src = behaviour.source
    dist, version = src["wheel"].split("==")
    try:
        have = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{dist} is not installed in this env")
    assert have.split("+")[0] == version, (  # a local label (+cpu) is the same release
        f"{behaviour.path}: the excerpt is pinned to {dist} {version}, "
                             f"this env tests {have}: re-pin source.wheel and the excerpt")
    path = installed_file(dist, src["installed"])
    assert path and path.is_file(), f"{behaviour.path}: {src['installed']} not in {dist} {have}"
    text = path.read_text(encoding="utf-8")
    assert squash(src["quote"]) in squash(text), f"{behaviour.path}: the quote is not in {path}"
    body = excerpt_text(src).split("\n\n", 1)[1]
    passages = [p.strip("\n") for p in body.split("\n    [...]\n") if p.strip()]
    missing = [p.splitlines()[0] for p in passages if p not in text]
    assert missing == [], (f"spec/excerpts/{src['excerpt']}: passages not in {dist} {have}'s "
                           f"{src['installed']}: {missing}")
