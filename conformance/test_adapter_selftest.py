"""Adapter contract tests: the selected adapter honours the contract on its real
framework -- its declared capabilities are true, initializer requests are routed by
the contract's rule, requests it cannot honour are refused, not ignored.

They assert nothing about lazy initialization itself; a failure here means the
adapter is wrong (fix the adapter, not the spec).
"""
from __future__ import annotations

import numpy as np
import pytest

from adapters.interface import CAPABILITIES, Init, Unsupported
from conformance.scenarios.common import MLP, PARTIAL, inputs, observe, ready


@pytest.fixture
def fw(lazyinit):
    lazyinit.fw.seed(1)
    return lazyinit.fw


def test_version_and_config_are_reported(fw):
    assert fw.framework_version().strip()
    config = fw.framework_config()
    assert all(isinstance(v, (str, int, float, bool)) for v in config.values()), config


def test_capabilities_are_declared(fw):
    assert set(fw.capabilities) == set(CAPABILITIES)


def test_params_before_data_is_true(fw):
    model = fw.build(MLP)
    ids, shape = fw.param_ids(model), observe(fw, lambda: fw.param_shape(model, "0.weight"))
    declared = fw.capabilities["params_before_data"]
    if declared == "none":
        assert ids == [], f"declares params_before_data=none but has {ids}"
    else:
        assert ids == ["0.weight", "0.bias", "1.weight", "1.bias"]
        shaped = isinstance(shape, tuple) and shape[0] == 256 and shape[1] is None
        assert shaped == (declared == "shaped"), f"declares {declared}; shape reads {shape!r}"


def test_init_step_is_true(fw):
    model = fw.build(MLP)
    state = fw.initialize(model)
    if fw.capabilities["init_step"] == "none":
        assert state is model, "init_step=none: initialize() must hand the model back unchanged"
    else:
        assert observe(fw, lambda: fw.read_param(state, "0.bias").shape) == (256,)
        assert observe(fw, lambda: fw.read_param(state, "0.weight")) == "raises:no-value"


def test_per_layer_input_is_true(fw):
    if not fw.capabilities["per_layer_input"]:
        pytest.skip("per_layer_input=False")
    state = fw.initialize(fw.build(PARTIAL))
    assert fw.param_shape(state, "0.weight") == (256, 20)
    assert fw.read_param(state, "0.weight").shape == (256, 20)
    second = observe(fw, lambda: fw.read_param(state, "1.weight"))
    assert second == "raises:no-value", f"the second layer must stay without a value: {second!r}"


def test_model_input_is_true(fw):
    if not fw.capabilities["model_input"]:
        pytest.skip("model_input=False")
    state = fw.initialize(fw.build(MLP, input_shape=(20,)))
    assert {p: fw.read_param(state, p).shape for p in ("0.weight", "1.weight")} == {
        "0.weight": (256, 20), "1.weight": (10, 256)}


def test_mutable_in_place_is_true(fw):
    state = ready(fw)
    before = fw.read_param(state, "1.bias")
    if not fw.capabilities["mutable_in_place"]:
        pytest.skip("mutable_in_place=False")
    fw.inplace_add(state, "1.bias", 1.0)
    np.testing.assert_allclose(fw.read_param(state, "1.bias"), before + 1, atol=1e-6)


def test_name_selection_is_true(fw):
    if fw.capabilities["name_selection"] != "regex":
        pytest.skip("name_selection=none")
    state = ready(fw)
    assert fw.select_params(state, ".*") == ["0.weight", "0.bias", "1.weight", "1.bias"]


@pytest.mark.parametrize("role", ["weight", "bias"])
def test_construction_initializer_reaches_its_role_only(fw, role):
    init = Init.recording()
    ready(fw, MLP, **{f"{role}_init": init})
    assert sorted({c.pid for c in init.drew()}) == [f"0.{role}", f"1.{role}"]


@pytest.mark.parametrize("target, drawn", [(None, ["0.weight", "1.weight"]),
                                           (1, ["1.weight"]), ("0.bias", ["0.bias"])])
def test_reinitialize_routing(fw, target, drawn):
    init = Init.recording()
    fw.reinitialize(ready(fw), init, target=target)
    assert sorted({c.pid for c in init.drew()}) == drawn


def test_roundtrip(fw):
    state = ready(fw)
    x = inputs(rows=3)
    y, state = fw.forward(state, x)
    assert y.shape == (3, 10)
    value = np.full((10, 256), 0.25, np.float32)
    state = fw.write_param(state, "1.weight", value)
    np.testing.assert_array_equal(fw.read_param(state, "1.weight"), value)
    grads = fw.backward_sum(state, x)
    ids = fw.param_ids(state)
    assert set(grads) == set(ids)
    assert all(grads[p].shape == fw.read_param(state, p).shape for p in ids)
    assert all(fw.native_name(state, p) for p in ids)


def test_trainable_flag_is_true(fw):
    """trainable_flag: freezing a materialized layer makes an SGD step leave it."""
    state = ready(fw)
    if not fw.capabilities["trainable_flag"]:
        with pytest.raises(Unsupported):
            fw.freeze(state, 0)
        return
    state = fw.freeze(state, 0)
    before = fw.read_param(state, "0.weight")
    state, _ = fw.train_step(state, fw.make_optimizer(state, "sgd", 0.1), inputs())
    np.testing.assert_array_equal(fw.read_param(state, "0.weight"), before)


def test_train_step_is_one_sgd_step(fw):
    """make_optimizer + train_step after data: exactly w - lr * grad of sum(forward)."""
    x = inputs()
    state = ready(fw, MLP, x)
    grads = fw.backward_sum(state, x)
    want = fw.read_param(state, "1.weight") - 0.1 * grads["1.weight"]
    state, _ = fw.train_step(state, fw.make_optimizer(state, "sgd", 0.1), x)
    np.testing.assert_allclose(fw.read_param(state, "1.weight"), want, rtol=1e-4, atol=1e-6)


def test_unused_layer_keeps_its_index(fw):
    """Dense(unused=True): the used layers are 0 and 1 and the forward ignores it."""
    from conformance.scenarios.common import UNUSED
    state = ready(fw, UNUSED)
    assert {"0.weight", "1.weight"} <= set(fw.param_ids(state))
    assert fw.forward(state, inputs())[0].shape == (2, 10)

