"""Adapter self-tests: the contract's promises, checked on the selected adapter
before any behaviour (issue 21). They assert nothing about lazy initialization --
only what every shipped framework does through a correct adapter: declared
capabilities are true, initializer requests reach what they name, a round trip of
the core operations works, a conv network with BatchNorm runs.

Each self-test names the *uses* it covers (``conformance/uses.py``). A failing one
is an **adapter fault**: every check whose observation used something it covers
ends ``blocked: adapter fault (<self-test>)`` -- never ``diverges`` or ``n/a``
charged to the framework. A self-test the adapter refuses (``Unsupported``) is
``unsupported`` and blocks nothing: the checks then say ``unsupported`` themselves.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

import numpy as np

from adapters.interface import CAPABILITIES, GROUP_OF, OPERATIONS, Init, Unsupported, groups_of
from conformance.recorder import exc_line, harness_trace
from conformance.scenarios.common import (CONV, MLP, MLP_PIDS, PARTIAL, UNUSED, images,
                                          inputs, observe, ready)

CAPS = tuple(f"capability:{c}" for c in CAPABILITIES)


class Fault(AssertionError):
    """A self-test's one-sentence finding: the operation, the argument, what it did."""


def expect(holds: bool, sentence: str) -> None:
    if not holds:
        raise Fault(sentence)


@dataclass(frozen=True)
class SelfTest:
    name: str
    covers: tuple
    fn: Callable


SELFTESTS: list[SelfTest] = []


def selftest(name: str, *covers: str):
    def register(fn):
        SELFTESTS.append(SelfTest(name, covers, fn))
        return fn
    return register


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


@selftest("params-before-data", "capability:params_before_data")
def _params_before_data(fw):
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
    model = fw.build(MLP)
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
    got = fw.select_params(ready(fw), ".*")
    expect(got == list(MLP_PIDS), f"select_params(state, '.*') returned {got}, not every id "
           f"{list(MLP_PIDS)}")


def _construction(role):
    def check(fw):
        init = Init.recording()
        ready(fw, MLP, **{f"{role}_init": init})
        drew = sorted({c.pid for c in init.drew()})
        want = [f"0.{role}", f"1.{role}"]
        expect(drew == want, f"build({role}_init=) ignored its initializer: a recording "
               f"initializer drew for {drew} by the first data, not {want}")
    return check


for _role in ("weight", "bias"):
    selftest(f"construction-{_role}-init", f"build({_role}_init)")(_construction(_role))


def _reinitialize(target, drawn, label):
    def check(fw):
        init = Init.recording()
        fw.reinitialize(ready(fw), init, target=target)
        drew = sorted({c.pid for c in init.drew()})
        expect(drew == drawn, f"reinitialize(init=, target={target!r}) did not route its "
               f"initializer by the contract's rule: it drew for {drew}, not {drawn}")
    return check


for _target, _drawn, _label in ((None, ["0.weight", "1.weight"], "network"),
                                (1, ["1.weight"], "layer"), ("0.bias", ["0.bias"], "parameter")):
    selftest(f"reinitialize-{_label}", f"reinitialize(target={_label})")(
        _reinitialize(_target, _drawn, _label))


@selftest("round-trip", "materialize", "forward", "write_param", "read_param",
          "backward_sum", "param_ids", "native_name")
def _round_trip(fw):
    state = ready(fw)
    x = inputs(rows=3)
    y, state = fw.forward(state, x)
    expect(np.shape(y) == (3, 10), f"forward() of the MLP on 3 rows gave shape {np.shape(y)}, "
           "not (3, 10)")
    value = np.full((10, 256), 0.25, np.float32)
    state = fw.write_param(state, "1.weight", value)
    expect(np.array_equal(fw.read_param(state, "1.weight"), value),
           "write_param(state, '1.weight', v) then read_param does not give v back")
    grads = fw.backward_sum(state, x)
    ids = fw.param_ids(state)
    expect(set(grads) == set(ids), f"backward_sum() gave gradients for {sorted(grads)}, "
           f"not for every parameter {ids}")
    bad = [p for p in ids if np.shape(grads[p]) != np.shape(fw.read_param(state, p))]
    expect(not bad, f"backward_sum(): gradients of {bad} are not in their parameter's shape")
    expect(all(fw.native_name(state, p) for p in ids), "native_name() is empty for some id")


@selftest("conv-batchnorm", "arch[Conv2D]", "arch[BatchNorm]", "arch[Flatten]")
def _conv(fw):
    x = images()
    state = fw.materialize(fw.initialize(fw.build(CONV)), x)
    y, state = fw.forward(state, x)
    expect(np.shape(y) == (2, 10), f"materialize + forward of Conv2D-BatchNorm-Flatten-Dense "
           f"on images (2, 3, 32, 32) gave shape {np.shape(y)}, not (2, 10)")
    unread = [p for p in fw.param_ids(state)
              if str(observe(fw, lambda p=p: fw.read_param(state, p).shape)).startswith("raises:")]
    expect(not unread, f"after materialize() of a conv network, {unread} hold no value")


def _frozen_by_one_step(fw, way: str) -> None:
    """Freeze layer 0 after data ``way``, one SGD step: layer 0 kept, layer 1 moved."""
    x = inputs()
    state = fw.freeze(ready(fw, MLP, x), 0, way)
    w0, w1 = fw.read_param(state, "0.weight"), fw.read_param(state, "1.weight")
    state, _ = fw.train_step(state, fw.make_optimizer(state, "sgd", 0.1), x)
    expect(np.array_equal(fw.read_param(state, "0.weight"), w0),
           f"freeze(state, 0, way={way!r}) then one SGD step changed 0.weight: the freeze "
           "did not reach it")
    expect(not np.array_equal(fw.read_param(state, "1.weight"), w1),
           f"after freeze(state, 0, way={way!r}) one SGD step changed no 1.weight: the "
           "step or the freeze reached every layer")


@selftest("trainable-flag", "capability:trainable_flag", "freeze(parameter)")
def _trainable(fw):
    if not fw.capabilities["trainable_flag"]:
        try:
            fw.freeze(ready(fw), 0, "parameter")
        except Unsupported:
            return
        raise Fault("declares trainable_flag=False, but freeze(way='parameter') did not "
                    "refuse (raise Unsupported)")
    _frozen_by_one_step(fw, "parameter")


@selftest("freeze-layer", "freeze(layer)")
def _freeze_layer(fw):
    _frozen_by_one_step(fw, "layer")


@selftest("sgd-step", "make_optimizer", "train_step", "make_optimizer(sgd)")
def _sgd(fw):
    x = inputs()
    state = ready(fw, MLP, x)
    grads = fw.backward_sum(state, x)
    want = fw.read_param(state, "1.weight") - 0.1 * grads["1.weight"]
    state, _ = fw.train_step(state, fw.make_optimizer(state, "sgd", 0.1), x)
    expect(np.allclose(fw.read_param(state, "1.weight"), want, rtol=1e-4, atol=1e-6),
           "make_optimizer(state, 'sgd', 0.1) + train_step is not w - 0.1 * grad of "
           "sum(forward(x)) on 1.weight")


@selftest("unused-layer", "arch[unused]")
def _unused(fw):
    state = ready(fw, UNUSED)
    ids = set(fw.param_ids(state))
    expect({"0.weight", "1.weight"} <= ids, "build(arch with Dense(unused=True)): the used "
           f"layers must keep ids 0.* and 1.*, param_ids() lists {sorted(ids)}")
    y = fw.forward(state, inputs())[0]
    expect(np.shape(y) == (2, 10), f"forward() with an unused layer gave shape {np.shape(y)}, "
           "not (2, 10): the forward must not call it")


@contextmanager
def timed_operations(fw, clock):
    """While inside: the adapter's contract operations add their wall time to
    ``clock`` (``conformance.uses.Clock``; outermost calls only), patched on the
    instance and restored after; nothing with ``clock`` None."""
    patched = []
    if clock is not None:
        for op in OPERATIONS:
            attr = getattr(fw, op, None)
            if callable(attr) and op not in vars(fw):
                setattr(fw, op, lambda *a, _op=attr, **k: clock.call(_op, a, k))
                patched.append(op)
    try:
        yield
    finally:
        for op in patched:
            delattr(fw, op)


def run_selftest(fw, t: SelfTest, timeout=None, clock=None) -> dict:
    """``{"outcome": passed|fault|unsupported, "message", "covers"}`` of self-test
    ``t``; a plain exception or running past ``timeout`` seconds is a fault too.
    With a ``clock`` (``conformance.uses.Clock``) the wall time inside the adapter's
    operations (the framework's calls) accumulates there, as a scenario's does
    through ``Traced``: the operations are timed on the adapter itself
    (``timed_operations``), so the self-test sees the very adapter object it always
    did (``observe`` tells the adapter's own files by its class)."""
    from conformance.runner import ScenarioTimeout, time_limit
    record = {"covers": list(t.covers)}
    missing = sorted({GROUP_OF[op] for op in (u.split("(")[0] for u in t.covers)
                      if op in GROUP_OF} - set(groups_of(fw)))
    if missing:   # a group the adapter does not map: nothing to test
        return {**record, "outcome": "unsupported",
                "message": f"needs group {', '.join(missing)}; {fw.name} does not map it"}
    with timed_operations(fw, clock):
        fw.seed(1)
        try:
            with time_limit(timeout):
                t.fn(fw)
            record.update(outcome="passed", message="")
        except Unsupported as exc:
            record.update(outcome="unsupported", message=str(exc))
        except Fault as exc:
            record.update(outcome="fault", message=str(exc))
        except ScenarioTimeout as exc:
            record.update(outcome="fault", message=f"{t.name}: {exc}")
        except Exception as exc:  # noqa: BLE001 - what every shipped framework does
            record.update(outcome="fault", message=f"{t.name} raised {exc_line(exc)}; every "
                          "shipped framework passes it", traceback=harness_trace(exc))
        return record



def faults(selftests: dict) -> dict:
    """``{name: (covered uses, sentence)}`` of the failed self-tests."""
    return {n: (frozenset(r["covers"]), r["message"]) for n, r in selftests.items()
            if r["outcome"] == "fault"}
