"""Self-tests of the optional groups' operations, each variant on its own:
training (optimizers, freezing), copy, compile and cast, shape inference and
counting, eager builds, abstract builds and their memory, parameter ties, sharded
initialisation. A group the adapter does not map is not tested (``unsupported``)."""
from __future__ import annotations

import numpy as np

from adapters.interface import Dense
from conformance.seed import SEED
from conformance.scenarios.common import (MLP, MLP_PIDS, inputs, observe, readable, ready,
                                          snapshot)
from conformance.selftests.contract import refuses
from conformance.selftests.registry import Premise, expect, selftest


def _frozen_by_one_step(fw, way: str) -> None:
    """Freeze layer 0 after data ``way``, one SGD step: layer 0 (weight and bias)
    kept, layer 1 moved."""
    x = inputs()
    state = fw.freeze(ready(fw, MLP, x), 0, way)
    before = snapshot(fw, state)
    state, _ = fw.train_step(state, fw.make_optimizer(state, "sgd", 0.1), x)
    after = snapshot(fw, state)
    kept = [p for p in ("0.weight", "0.bias") if not np.array_equal(after[p], before[p])]
    expect(not kept, f"freeze(state, 0, way={way!r}) then one SGD step changed {kept}: the "
           "freeze did not reach every parameter of the layer")
    still = [p for p in ("1.weight", "1.bias") if np.array_equal(after[p], before[p])]
    expect(not still, f"after freeze(state, 0, way={way!r}) one SGD step left {still} "
           "unchanged: the step or the freeze reached another layer")


@selftest("trainable-flag", "capability:trainable_flag", "freeze(parameter)")
def _trainable(fw):
    if not fw.capabilities["trainable_flag"]:
        refuses(fw, "trainable_flag=False: freeze(way='parameter')",
                lambda: fw.freeze(ready(fw), 0, "parameter"))
        return
    _frozen_by_one_step(fw, "parameter")


@selftest("freeze-layer", "freeze", "freeze(layer)")
def _freeze_layer(fw):
    _frozen_by_one_step(fw, "layer")


@selftest("sgd-step", "make_optimizer", "train_step", "make_optimizer(sgd)")
def _sgd(fw):
    x = inputs()
    state = ready(fw, MLP, x)
    grads = fw.backward_sum(state, x)
    want = {p: fw.read_param(state, p) - 0.1 * grads[p] for p in MLP_PIDS}
    state, _ = fw.train_step(state, fw.make_optimizer(state, "sgd", 0.1), x)
    off = [p for p in MLP_PIDS if not np.allclose(fw.read_param(state, p), want[p],
                                                  rtol=1e-4, atol=1e-6)]
    expect(not off, "make_optimizer(state, 'sgd', 0.1) + train_step is not w - 0.1 * grad of "
           f"sum(forward(x)) on {off}")


@selftest("adagrad-step", "make_optimizer(adagrad)")
def _adagrad(fw):
    x = inputs()
    state = ready(fw, MLP, x)
    g = fw.backward_sum(state, x)["1.weight"]
    w = fw.read_param(state, "1.weight")
    state, _ = fw.train_step(state, fw.make_optimizer(state, "adagrad", 0.1), x)
    d = fw.read_param(state, "1.weight") - w
    moved = np.abs(g) > 1e-3
    expect(moved.any() and (np.sign(d[moved]) == -np.sign(g[moved])).all(),
           "make_optimizer(state, 'adagrad', 0.1) + train_step did not move 1.weight "
           "against its gradient")
    expect(np.abs(d).max() <= 0.1 * (1 + 1e-3), "adagrad's first step moved 1.weight by "
           f"{np.abs(d).max():.4g}, more than the learning rate 0.1 (lr * g / sqrt(a0 + g^2))")
    expect(not np.allclose(d, -0.1 * g, rtol=1e-3, atol=1e-6),
           "make_optimizer(state, 'adagrad', 0.1): the step is plain SGD's (w - 0.1 * grad)")


def _copy(how):
    def check(fw):
        state = ready(fw)
        before = snapshot(fw, state)
        twin = observe(fw, lambda: fw.copy(state, how))
        if isinstance(twin, str) and twin.startswith("raises:"):
            raise Premise(f"the framework refuses copy({how}) after the first data too "
                          f"({twin}); copy-before-init observes it")
        got = snapshot(fw, twin)
        expect(got.keys() == before.keys() and all(np.array_equal(got[p], before[p])
                                                    for p in before),
               f"copy(state, {how!r}) of a network that has seen data: the copy does not "
               "hold the original's values")
        twin = fw.write_param(twin, "1.bias", before["1.bias"] + 1)
        expect(np.array_equal(fw.read_param(state, "1.bias"), before["1.bias"]),
               f"copy(state, {how!r}): a write to the copy's 1.bias changed the original "
               "(the copy is not a distinct network)")
        expect(np.array_equal(fw.read_param(twin, "1.bias"), before["1.bias"] + 1),
               f"copy(state, {how!r}): a write to the copy's 1.bias is not read back")
    return check


for _how in ("deepcopy", "pickle"):
    selftest(f"copy-{_how}", "copy", f"copy({_how})")(_copy(_how))


@selftest("compile", "compile", marker="compile")
def _compile(fw):
    x = inputs()
    state = ready(fw, MLP, x)
    y = fw.forward(state, x)[0]
    compiled = fw.compile(state)
    y2 = fw.forward(compiled, x)[0]
    expect(np.allclose(y, y2, rtol=1e-4, atol=1e-5), "compile(state) of a network that has "
           "seen data: its forward differs from the forward before")


def _cast(dtype, tol):
    def check(fw):
        state = ready(fw)
        before = snapshot(fw, state)
        state = fw.cast(state, dtype)
        for pid, value in before.items():
            got = fw.read_param(state, pid)
            named = fw.param_dtype(state, pid)
            expect(named == str(got.dtype), f"cast(state, {dtype!r}): param_dtype({pid!r}) "
                   f"is {named!r}, the value read is {got.dtype}")
            expect(named in (dtype, "float32"), f"cast(state, {dtype!r}) made {pid} "
                   f"{named}: neither the dtype asked for nor the one it had")
            expect(np.allclose(got.astype(np.float64), value, rtol=tol, atol=tol),
                   f"cast(state, {dtype!r}) changed the values of {pid}")
    return check


for _dtype, _tol in (("float64", 1e-7), ("float16", 2e-3)):
    selftest(f"cast-{_dtype}", "cast", f"cast({_dtype})")(_cast(_dtype, _tol))


@selftest("output-shape", "output_shape")
def _output_shape(fw):
    state = ready(fw)
    y = fw.forward(state, inputs(rows=3))[0]
    got = fw.output_shape(state, (3, 20))
    expect(tuple(got) == np.shape(y), f"output_shape(state, (3, 20)) of a network that has "
           f"seen data is {got}, a real forward of 3 rows gives {np.shape(y)}")


def _equals_values_held(fw, op: str, held, unit: str) -> None:
    """``op(state)`` of a network that has seen data equals ``held`` summed over its
    parameters' values (read by ``snapshot``)."""
    state = ready(fw)
    want = sum(held(v) for v in snapshot(fw, state).values())
    got = getattr(fw, op)(state)
    expect(got == want, f"{op}() of a network that has seen data is {got}, its "
           f"parameters' values hold {want}{unit}")


@selftest("count-params", "count_params")
def _count(fw):
    _equals_values_held(fw, "count_params", lambda v: v.size, "")


@selftest("build-eager", "build_eager")
def _build_eager(fw):
    steps = (lambda s: fw.build_eager(MLP), fw.initialize,
             lambda s: fw.materialize(s, inputs()))
    state = None
    for step in steps:
        state = observe(fw, lambda step=step, state=state: step(state))
        if isinstance(state, str) and state.startswith("raises:"):
            return
    raise Premise("build_eager(MLP) with no input size was refused nowhere (build, "
                  "initialize, first data): eager-required observes it")


@selftest("memory-bytes", "memory_bytes")
def _memory(fw):
    _equals_values_held(fw, "memory_bytes", lambda v: v.nbytes, " bytes")


@selftest("abstract-build", "build_abstract", "materialize_abstract")
def _abstract(fw):
    state = fw.build_abstract(MLP, (20,))
    shapes = {p: tuple(fw.param_shape(state, p)) for p in fw.param_ids(state)}
    expect(set(shapes) == set(MLP_PIDS), f"build_abstract(MLP, (20,)) lists {sorted(shapes)}, "
           f"not {list(MLP_PIDS)}")
    state = fw.materialize_abstract(state)
    values = {p: fw.read_param(state, p) for p in readable(fw, state)}
    off = {p: v.shape for p, v in values.items() if v.shape != shapes[p]}
    expect(not off, f"materialize_abstract(): the values read have shapes {off}, the "
           "abstract build said otherwise")
    held = sum(v.nbytes for v in values.values())
    got = fw.memory_bytes(state)
    expect(got == held, f"memory_bytes() once materialised is {got}, the values read hold "
           f"{held} bytes")


TIE = (Dense(8, relu=True), Dense(8, relu=True), Dense(8))


@selftest("parameter-tie", "tie", "capability:parameter_tie")
def _tie(fw):
    state = ready(fw, TIE, inputs(features=8))
    if not fw.capabilities["parameter_tie"]:
        refuses(fw, "parameter_tie=False: tie()", lambda: fw.tie(state, "1.weight", "2.weight"))
        return
    state = fw.tie(state, "1.weight", "2.weight")
    expect(fw.same_parameter(state, "1.weight", "2.weight"), "tie(state, '1.weight', "
           "'2.weight'): same_parameter says they are still two parameters")
    state = fw.write_param(state, "1.weight", np.full((8, 8), 0.5, np.float32))
    expect(np.array_equal(fw.read_param(state, "2.weight"), np.full((8, 8), 0.5)),
           "after tie(state, '1.weight', '2.weight') a write to 1.weight is not read by "
           "2.weight")


@selftest("shard-init", "shard_init")
def _shard(fw):
    made = fw.shard_init(MLP, (20,), SEED)
    weights = {"0.weight": (256, 20), "1.weight": (10, 256)}
    whole = {p: np.shape(v) for p, v in made.get("whole", {}).items()}
    expect(whole == weights, f"shard_init(MLP, (20,)): 'whole' holds {whole}, not {weights}")
    for pid, shape in weights.items():
        shards = made.get("shards", {}).get(pid, [])
        rows = [np.shape(s) for s in shards]
        expect(len(shards) == 2 and all(r[1:] == shape[1:] for r in rows)
               and sum(r[0] for r in rows) == shape[0],
               f"shard_init: the shards of {pid} have shapes {rows}, not 2 blocks of rows "
               f"of {shape}")
