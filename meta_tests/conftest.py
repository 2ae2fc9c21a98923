"""Shared fixtures of the project's own tests (no real framework needed)."""
from __future__ import annotations

import pytest

from spec.catalogue import load_catalogue


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()

