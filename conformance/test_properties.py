"""Differential properties (issue 14): random architectures, this framework against
the executable reference model (``adapters/reference.py``), one test per property
of ``conformance/properties/profile.py``.

A difference class the framework's differences file attributes
(``counterexamples``) is a known finding: recorded, with its smallest example,
under its difference. Any other class fails the test with hypothesis' shrunk
architecture. Behind the ``property`` marker: ``--properties`` or
``LAZYINIT_PROPERTIES=1`` (CI sets it); ``--hypothesis-profile deep`` for long local
runs; ``LAZYINIT_PROPERTY_EXAMPLES`` bounds the examples per property.
"""
from __future__ import annotations

import os

import pytest

pytest.importorskip("hypothesis")

from adapters.reference import ReferenceAdapter
from conformance.properties.profile import PROPERTIES
from conformance.properties.search import Profiles, search

@pytest.fixture(scope="module")
def profiles(lazyinit):
    """The framework's and the reference's profiles, shared by the properties."""
    return Profiles(lazyinit.fw), Profiles(ReferenceAdapter())


@pytest.mark.property
@pytest.mark.parametrize("prop", PROPERTIES)
def test_property(prop, lazyinit, profiles):
    attributed = lazyinit.differences.by_class()
    examples = int(os.environ.get("LAZYINIT_PROPERTY_EXAMPLES", "0")) or None
    found = search(prop, *profiles, attributed, dict(lazyinit.fw.capabilities),
                   max_examples=examples)
    lazyinit.properties[prop] = found.as_json(attributed)
    assert found.counterexample is None, found.failure
