"""Self-tests of the adapter's identity and declared capabilities: each declared
value is true of the framework (every value of every capability has its test)."""
from __future__ import annotations

import numpy as np

from adapters.interface import CAPABILITIES, Init, Unsupported
from conformance.scenarios.common import (MLP, MLP_PIDS, PARTIAL, declared, inputs,
                                          observe, ready)
from conformance.selftests.registry import Fault, Premise, expect, selftest

CAPS = tuple(f"capability:{c}" for c in CAPABILITIES)


def refuses(fw, what: str, fn) -> None:
    """A capability declared absent: the operation must refuse (``Unsupported``)."""
    try:
        fn()
    except Unsupported:
        return
    raise Fault(f"declares {what}, but the operation did not refuse (raise Unsupported)")


@selftest("identity", "framework_version", "framework_config")
def _identity(fw):
    expect(bool(str(fw.framework_version()).strip()),
           "framework_version() returned nothing: return the framework's version string")
    bad = {k: v for k, v in fw.framework_config().items()
           if not isinstance(v, (str, int, float, bool))}
    expect(not bad, f"framework_config() returned values that are not str/int/float/bool: {bad}")


@selftest("capabilities-declared", *CAPS)
def _declared(fw):
    declared = set(fw.capabilities)
    missing, extra = set(CAPABILITIES) - declared, declared - set(CAPABILITIES)
    expect(not missing and not extra, f"capabilities must declare exactly {sorted(CAPABILITIES)}"
           f": missing {sorted(missing)}, unknown {sorted(extra)}")
    for cap, (allowed, _, _) in CAPABILITIES.items():
        expect(fw.capabilities[cap] in allowed,
               f"capability {cap}={fw.capabilities[cap]!r} is not one of {allowed}")
    if not fw.capabilities["deferred_input"]:
        expect(not fw.capabilities["per_layer_input"] and fw.capabilities["model_input"],
               "declares deferred_input=False: no layer can stay lazy next to a declared one "
               "(per_layer_input=False), and the whole input must be declarable "
               "(model_input=True)")


@selftest("deferred-input", "capability:deferred_input")
def _deferred_input(fw):
    """True: build(MLP) with no input size is not refused. False: the framework's own
    error refuses it -- asked of the adapter itself (``__wrapped__``), as the harness
    never asks such a build of a system declaring deferred_input=False."""
    if fw.capabilities["deferred_input"]:
        got = observe(fw, lambda: fw.build(MLP))
        expect(not (isinstance(got, str) and got.startswith("raises:")),
               f"declares deferred_input=True, but build(MLP) with no input size {got}")
        return
    raw = getattr(fw, "__wrapped__", fw)
    got = observe(fw, lambda: raw.build(MLP))
    expect(isinstance(got, str) and got.startswith("raises:"), "declares "
           "deferred_input=False, but build(MLP) with no input size raised no framework error")


@selftest("params-before-data", "capability:params_before_data", "build", "arch[Dense]")
def _params_before_data(fw):
    if not fw.capabilities["deferred_input"]:
        raise Premise("deferred_input=False: no network is built without its input size")
    model = fw.build(MLP)
    ids, shape = fw.param_ids(model), observe(fw, lambda: fw.param_shape(model, "0.weight"))
    declared = fw.capabilities["params_before_data"]
    if declared == "none":
        expect(ids == [], f"declares params_before_data=none, but param_ids() of a model "
               f"built without data lists {ids}")
        return
    expect(ids == list(MLP_PIDS), f"param_ids() of a model built without data lists {ids}, "
           f"declared params_before_data={declared} wants {list(MLP_PIDS)}")
    shaped = isinstance(shape, tuple) and shape[0] == 256 and shape[1] is None
    expect(shaped == (declared == "shaped"), f"declares params_before_data={declared}, but "
           f"param_shape('0.weight') before data reads {shape!r}")


@selftest("init-step", "capability:init_step", "initialize")
def _init_step(fw):
    model = fw.build(MLP, **declared(fw, inputs()))
    state = fw.initialize(model)
    if fw.capabilities["init_step"] == "none":
        expect(state is model, "declares init_step=none, but initialize() did not hand the "
               "model back unchanged")
        return
    bias = observe(fw, lambda: fw.read_param(state, "0.bias").shape)
    expect(bias == (256,), f"declares init_step=deferred, but after initialize() 0.bias "
           f"reads {bias!r}, not a value of shape (256,)")
    weight = observe(fw, lambda: fw.read_param(state, "0.weight"))
    expect(weight == "raises:no-value", "declares init_step=deferred, but after initialize() "
           f"the shapeless 0.weight reads {weight!r}, not the framework's no-value error")


@selftest("initialize-init", "capability:model_wide_initializer", "initialize(init)")
def _initialize_init(fw):
    model = fw.build(MLP, **declared(fw, inputs()))
    if not fw.capabilities["model_wide_initializer"] or fw.capabilities["init_step"] == "none":
        refuses(fw, "model_wide_initializer=False (or init_step=none): initialize(model, "
                "init)", lambda: fw.initialize(model, Init("constant", 0.5)))
        return
    state = fw.materialize(fw.initialize(model, Init("constant", 0.5)), inputs())
    got = {p: fw.read_param(state, p) for p in MLP_PIDS}
    expect(all((got[p] == 0.5).all() for p in ("0.weight", "1.weight")),
           "initialize(model, Init('constant', 0.5)) did not reach the weights: after the "
           "first data they are not all 0.5")
    expect(not any((got[p] == 0.5).all() for p in ("0.bias", "1.bias")),
           "initialize(model, Init('constant', 0.5)) reached the biases: by the routing "
           "rule they keep their own initializer")


@selftest("per-layer-input", "capability:per_layer_input", "arch[in_units]")
def _per_layer_input(fw):
    if not fw.capabilities["per_layer_input"]:
        raise Unsupported("per_layer_input=False")
    state = fw.initialize(fw.build(PARTIAL))
    shape = observe(fw, lambda: fw.read_param(state, "0.weight").shape)
    expect(shape == (256, 20), f"build(Dense(in_units=20)) ignored in_units: 0.weight reads "
           f"{shape!r} before data, not (256, 20)")
    second = observe(fw, lambda: fw.read_param(state, "1.weight"))
    expect(second == "raises:no-value", "build(PARTIAL): the layer after the declared one "
           f"must stay without a value before data, reads {second!r}")


@selftest("model-input", "capability:model_input", "build(input_shape)")
def _model_input(fw):
    if not fw.capabilities["model_input"]:
        raise Unsupported("model_input=False")
    state = fw.initialize(fw.build(MLP, input_shape=(20,)))
    shapes = {p: observe(fw, lambda p=p: fw.read_param(state, p).shape)
              for p in ("0.weight", "1.weight")}
    expect(shapes == {"0.weight": (256, 20), "1.weight": (10, 256)},
           f"build(input_shape=(20,)) ignored input_shape: the weights read {shapes} before "
           "data, not (256, 20) and (10, 256)")


@selftest("mutable-in-place", "capability:mutable_in_place", "inplace_add")
def _mutable_in_place(fw):
    if not fw.capabilities["mutable_in_place"]:
        raise Unsupported("mutable_in_place=False")
    state = ready(fw)
    before = fw.read_param(state, "1.bias")
    fw.inplace_add(state, "1.bias", 1.0)
    expect(np.allclose(fw.read_param(state, "1.bias"), before + 1, atol=1e-6),
           "inplace_add(state, '1.bias', 1.0) did not add 1 to the value read_param sees")


@selftest("name-selection", "capability:name_selection", "select_params")
def _name_selection(fw):
    if fw.capabilities["name_selection"] != "regex":
        raise Unsupported("name_selection=none")
    state = ready(fw)
    got = fw.select_params(state, ".*")
    expect(got == list(MLP_PIDS), f"select_params(state, '.*') returned {got}, not every id "
           f"{list(MLP_PIDS)}")
    bias = fw.native_name(state, "1.bias")
    one = fw.select_params(state, "^" + bias.replace(".", r"\.") + "$")
    expect(one == ["1.bias"], f"select_params(state, the native name of 1.bias {bias!r}) "
           f"returned {one}, not ['1.bias']")
