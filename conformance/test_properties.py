"""Differential properties: random architectures, this framework against
the executable reference model (``adapters/reference.py``), one test per property
of ``conformance/properties/profile.py``.

A difference class the framework's differences file attributes
(``counterexamples``) is a known finding: recorded, with its smallest example,
under its difference. Any other class fails the test with hypothesis' shrunk
architecture. Behind the ``property`` marker: ``--properties`` or
``LAZYINIT_PROPERTIES=1`` (CI sets it); ``LAZYINIT_HYPOTHESIS_PROFILE=deep`` for long
local runs; ``LAZYINIT_PROPERTY_EXAMPLES`` bounds the examples per property. A property
that needs an optional group the adapter does not map (``abstract``:
group:abstract-build) is skipped, naming the group.
"""
from __future__ import annotations

import os

import numpy as np
import pytest

pytest.importorskip("hypothesis")

from adapters.interface import (ELEMENTS, BatchNorm, Conv2D, Dense, Flatten, MissingGroup,
                                Unsupported, elements_of, groups_of)
from adapters.reference import ReferenceAdapter
from conformance.properties.profile import NEEDS, PROPERTIES
from conformance.properties.search import Profiles, search
from conformance.scenarios.common import uniform


#: the properties whose profile declares the input (``abstract``: build_abstract with the
#: first data's shape); the others build without input sizes (capability deferred_input)
SIZED = ("abstract",)


@pytest.fixture(scope="module")
def profiles(lazyinit):
    """The framework's and the reference's profiles, shared by the properties."""
    return Profiles(lazyinit.fw), Profiles(ReferenceAdapter())


@pytest.mark.property
@pytest.mark.parametrize("prop", PROPERTIES)
def test_property(prop, lazyinit, profiles):
    group = NEEDS.get(prop)
    if group and group not in groups_of(lazyinit.fw):
        pytest.skip(f"n/a: group:{group} ({lazyinit.fw.name} does not map it)")
    if prop not in SIZED and not lazyinit.fw.capabilities.get("deferred_input", True):
        pytest.skip(f"n/a: deferred_input ({lazyinit.fw.name} builds no layer without its "
                    "input size; this property builds without one)")
    attributed = lazyinit.differences.by_class()
    examples = int(os.environ.get("LAZYINIT_PROPERTY_EXAMPLES", "0")) or None
    elements = getattr(lazyinit.fw, "elements", ELEMENTS)
    if "Dense" not in elements:
        pytest.skip(f"n/a: arch:Dense ({lazyinit.fw.name} declares no Dense in elements)")
    try:
        found = search(prop, *profiles, attributed, dict(lazyinit.fw.capabilities),
                       max_examples=examples, elements=elements)
    except MissingGroup as exc:   # raised by the adapter itself
        pytest.skip(f"n/a: {exc.premise} ({exc})")
    except Unsupported as exc:   # a core operation refused on a declared element
        pytest.fail(f"adapter fault: {exc} -- raised for an architecture of the elements "
                    f"{lazyinit.fw.name} declares ({', '.join(elements)}); map it, or leave "
                    "the element out of elements", pytrace=False)
    lazyinit.properties[prop] = found.as_json(attributed)
    assert found.counterexample is None, found.failure


#: architectures whose native code (``Adapter.source``) the report shows
SOURCED = {
    "mlp": ((Dense(5, relu=True), *[Dense(5, relu=True, share="t")] * 2,
             Dense(3, in_units=5)), (2, 3, 4)),
    "conv": ((Conv2D(3, kernel=2, stride=2), BatchNorm(), Conv2D(2, kernel=1), Flatten(),
              Dense(4)), (2, 2, 7, 7)),
}


@pytest.mark.parametrize("case", sorted(SOURCED))
@pytest.mark.property
def test_source_runs_as_the_adapter_builds(lazyinit, case):
    """The snippet a counterexample is shown as (``Adapter.source``) runs standalone
    and gives the output shape the adapter's own build gives. ``source`` is optional:
    without it (``None``) the report shows the contract data, and this skips."""
    fw = lazyinit.fw
    arch, shape = SOURCED[case]
    lacking = sorted(elements_of(arch) - set(getattr(fw, "elements", ELEMENTS)))
    if lacking:
        pytest.skip(f"n/a: arch:{lacking[0]} ({fw.name} declares no {lacking[0]})")
    if not fw.capabilities["per_layer_input"]:   # no layer may declare its input
        arch = tuple(Dense(n.units, n.relu, share=n.share) if isinstance(n, Dense) else n
                     for n in arch)
    code = fw.source(arch, shape)
    if code is None:
        pytest.skip(f"{fw.name} has no source(): the report shows contract data")
    assert code, f"{fw.name} renders no code for {arch}"
    scope = {}
    exec(compile(code, f"<{fw.name} source>", "exec"), scope)
    x = uniform(shape)
    declared = {} if fw.capabilities.get("deferred_input", True) else {"input_shape": shape[1:]}
    y, _ = fw.forward(fw.materialize(fw.initialize(fw.build(arch, **declared)), x), x)
    assert tuple(np.shape(scope["y"])) == tuple(np.shape(y)), code
