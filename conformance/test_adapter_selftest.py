"""Adapter self-tests: the selected adapter's plumbing works on its real framework.

Unlike the behaviour tests these assert nothing about lazy initialization; a
failure here means the adapter itself is broken (fix the adapter, not the spec).
"""
from __future__ import annotations

import numpy as np

from adapters.interface import OPERATIONS


def test_version_is_reported(lazyinit):
    assert lazyinit.fw.framework_version().strip()


def test_shaped_network_roundtrip(lazyinit):
    fw = lazyinit.fw
    fw.seed(1)
    net = fw.build_mlp(in_units=20)
    fw.initialize(net)
    x = np.random.default_rng(0).uniform(size=(3, 20)).astype(np.float32)
    assert fw.forward(net, x).shape == (3, 10)
    ids = fw.param_ids(net)
    assert ids == ["0.weight", "0.bias", "1.weight", "1.bias"]
    assert all(isinstance(fw.native_name(net, p), str) and fw.native_name(net, p) for p in ids)
    value = np.full((10, 256), 0.25, np.float32)
    fw.write_param(net, "1.weight", value)
    np.testing.assert_array_equal(fw.read_param(net, "1.weight"), value)
    grads = fw.backward_sum(net, x)
    assert set(grads) == set(ids)
    assert all(grads[p].shape == fw.read_param(net, p).shape for p in ids)


def test_unsupported_flags_are_operations(lazyinit):
    assert set(type(lazyinit.fw).unsupported) <= set(OPERATIONS)
