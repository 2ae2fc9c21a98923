"""Self-tests of the core lifecycle and observations, on networks that have seen
their first data: forward, gradients, reads and writes, every architecture
element, names, error kinds, saving and loading."""
from __future__ import annotations

import tempfile

import numpy as np

from adapters.bugs import adapter_files, is_harness_bug
from adapters.interface import (Conv2D, Dense, Flatten, Group, MissingGroup, Table,
                                Unsupported)
from conformance.scenarios.common import (CONV, MLP_PIDS, TIED, UNUSED, declared, images,
                                          inputs, observe, ready, snapshot)
from conformance.selftests.registry import Fault, Premise, expect, selftest


@selftest("round-trip", "materialize", "forward", "write_param", "read_param",
          "backward_sum", "param_ids", "native_name", "arch[Dense]")
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
    y2, state = fw.forward(state, x)
    expect(not np.allclose(y, y2), "write_param(state, '1.weight', v): the next forward "
           "does not see it")
    grads = fw.backward_sum(state, x)
    ids = fw.param_ids(state)
    expect(ids == list(MLP_PIDS), f"param_ids() after the first data lists {ids}, not "
           f"{list(MLP_PIDS)}")
    expect(set(grads) == set(ids), f"backward_sum() gave gradients for {sorted(grads)}, "
           f"not for every parameter {ids}")
    bad = [p for p in ids if np.shape(grads[p]) != np.shape(fw.read_param(state, p))]
    expect(not bad, f"backward_sum(): gradients of {bad} are not in their parameter's shape")
    expect(np.allclose(grads["1.bias"], 3.0), "backward_sum() of sum(forward(x)) on 3 rows: "
           f"the gradient of 1.bias is {grads['1.bias'][:3]}..., not 3 everywhere")
    names = [fw.native_name(state, p) for p in ids]
    expect(all(names) and len(set(names)) == len(names),
           f"native_name() is empty or repeated among {names}")


@selftest("observations", "param_shape", "param_dtype")
def _observations(fw):
    state = ready(fw)
    for pid, v in snapshot(fw, state).items():
        shape = fw.param_shape(state, pid)
        expect(tuple(shape) == v.shape, f"param_shape(state, {pid!r}) after the first data "
               f"is {shape}, the value read has shape {v.shape}")
        dtype = fw.param_dtype(state, pid)
        expect(dtype == str(v.dtype), f"param_dtype(state, {pid!r}) is {dtype!r}, the value "
               f"read is {v.dtype}")


@selftest("conv-batchnorm", "arch[Conv2D]", "arch[BatchNorm]", "arch[Flatten]")
def _conv(fw):
    x = images()
    state = fw.materialize(fw.initialize(fw.build(CONV, **declared(fw, x))), x)
    y, state = fw.forward(state, x)
    expect(np.shape(y) == (2, 10), f"materialize + forward of Conv2D-BatchNorm-Flatten-Dense "
           f"on images (2, 3, 32, 32) gave shape {np.shape(y)}, not (2, 10)")
    unread = [p for p in fw.param_ids(state)
              if str(observe(fw, lambda p=p: fw.read_param(state, p).shape)).startswith("raises:")]
    expect(not unread, f"after materialize() of a conv network, {unread} hold no value")


@selftest("conv-stride", "arch[stride]", "arch[Conv2D]", "arch[Flatten]")
def _stride(fw):
    x = images()
    state = fw.materialize(fw.initialize(fw.build((Conv2D(4, kernel=2, stride=2),
                                                   Flatten()), **declared(fw, x))), x)
    y, state = fw.forward(state, x)
    expect(np.shape(y) == (2, 4 * 16 * 16), "Conv2D(4, kernel=2, stride=2) then Flatten on "
           f"(2, 3, 32, 32) gave shape {np.shape(y)}, not (2, 1024): the stride was ignored")
    shape = fw.param_shape(state, "0.weight")
    expect(tuple(shape) == (4, 3, 2, 2), f"param_shape of Conv2D(4, kernel=2)'s weight is "
           f"{shape}, not (4, 3, 2, 2) (out, in, kh, kw)")


@selftest("tied-layer", "arch[share]", "same_parameter")
def _tied(fw):
    """Whether a reused layer's uses are one parameter is the framework's (tied-params
    observes it); here only that ``same_parameter`` tells one id from another."""
    state = ready(fw, TIED)
    ids = fw.param_ids(state)
    expect(ids[:8] == [f"{i}.{r}" for i in range(4) for r in ("weight", "bias")],
           f"param_ids() of Dense, S, S (one layer used twice), Dense lists {ids}")
    expect(fw.same_parameter(state, "0.weight", "0.weight"), "same_parameter(0.weight, "
           "0.weight) is False: an id is one parameter with itself")
    expect(not fw.same_parameter(state, "0.weight", "3.weight"), "same_parameter(0.weight, "
           "3.weight) is True for two different layers")
    expect(np.shape(fw.forward(state, inputs())[0]) == (2, 10),
           "forward() of the tied network did not give shape (2, 10)")


#: Group(Dense(32), Dense(16)), Group(Dense(8)), Dense(10): one level of nesting
GROUPS = (Group((Dense(32, relu=True), Dense(16, relu=True))), Group((Dense(8, relu=True),)),
          Dense(10))


@selftest("nested-blocks", "arch[Group]", "nested_lookup")
def _nested(fw):
    state = ready(fw, GROUPS)
    ids = fw.param_ids(state)
    expect(ids == [f"{i}.{r}" for i in range(4) for r in ("weight", "bias")],
           f"param_ids() of Group(Dense, Dense), Group(Dense), Dense lists {ids}")
    expect(np.shape(fw.forward(state, inputs())[0]) == (2, 10),
           "forward() of the nested network did not give shape (2, 10)")
    got = [fw.nested_lookup(state, (0, 1), "bias"), fw.nested_lookup(state, (1, 0), "weight"),
           fw.nested_lookup(state, (2,), "weight")]
    expect(got == ["1.bias", "2.weight", "3.weight"], "nested_lookup((0, 1), 'bias'), "
           f"((1, 0), 'weight') and ((2,), 'weight') gave {got}, not ['1.bias', "
           "'2.weight', '3.weight']")


@selftest("table", "arch[Table]")
def _table(fw):
    state = ready(fw, (Dense(8, relu=True), Table(8), Dense(4)))
    tables = [p for p in fw.param_ids(state) if p.endswith(".table")]
    expect(tables == ["1.table"], f"param_ids() of Dense, Table(8), Dense lists the tables "
           f"{tables}, not ['1.table']")
    expect(np.array_equal(fw.read_param(state, "1.table"), np.arange(8)),
           "Table(8)'s buffer does not read arange(8) after the first data")


@selftest("unused-layer", "arch[unused]")
def _unused(fw):
    state = ready(fw, UNUSED)
    ids = set(fw.param_ids(state))
    expect({"0.weight", "1.weight"} <= ids, "build(arch with Dense(unused=True)): the used "
           f"layers must keep ids 0.* and 1.*, param_ids() lists {sorted(ids)}")
    y = fw.forward(state, inputs())[0]
    expect(np.shape(y) == (2, 10), f"forward() with an unused layer gave shape {np.shape(y)}, "
           "not (2, 10): the forward must not call it")


@selftest("role-name", "role_name")
def _role_name(fw):
    state = ready(fw)
    for role in ("weight", "bias"):
        spelled, name = fw.role_name(role), fw.native_name(state, f"0.{role}")
        expect(bool(spelled) and spelled in name, f"role_name({role!r}) is {spelled!r}, not "
               f"part of the native name of 0.{role}, {name!r}")


@selftest("layout", "layout")
def _layout(fw):
    expect(fw.layout() in ("NCHW", "NHWC"), f"layout() is {fw.layout()!r}, not NCHW or NHWC")


def _kind(fw, fn):
    """The error kind ``classify_error`` gives what ``fn()`` raises (not folded), or
    ``None``; a bug of the adapter's own code propagates (as in ``observe``)."""
    try:
        fn()
    except (Unsupported, MissingGroup):
        raise
    except Exception as exc:  # noqa: BLE001 - the framework's error is the observation
        kind = fw.classify_error(exc)
        if kind == "other" and is_harness_bug(exc, adapter_files(fw)):
            raise
        return kind
    return None


#: trigger -> (what it does in words, the kind its error must have); a framework
#: that does not raise for a trigger leaves it untested (the checks observe that)
TRIGGERS = {
    "forward-width": ("forward() of 12 features into a network whose first data had 20",
                      "shape-mismatch"),
    "missing-id": ("read_param of an id the network does not have ('7.weight'; raise "
                   "MissingParameter)", "missing"),
}


@selftest("error-kinds", "classify_error")
def _errors(fw):
    """The kinds every shipped framework raises for a known trigger after the first
    data; ``not-initialized``, ``deferred-init`` and ``dtype-mismatch`` have no
    trigger the frameworks agree on (initialize-deferred and dtype judge them)."""
    state = ready(fw)
    calls = {"forward-width": lambda: fw.forward(state, inputs(features=12)),
             "missing-id": lambda: fw.read_param(state, "7.weight")}
    raised = 0
    for trigger, (words, want) in TRIGGERS.items():
        kind = _kind(fw, calls[trigger])
        raised += kind is not None
        expect(kind in (None, want), f"{words}: classify_error gives {kind!r}, not {want!r}")
    kind = fw.classify_error(RuntimeError("lazyinit self-test: an unrelated failure"))
    expect(kind == "other", f"classify_error(RuntimeError('an unrelated failure')) is {kind!r}, "
           "not 'other'")
    if not raised:
        raise Premise("the framework raised for none of the triggers "
                      f"({', '.join(TRIGGERS)}): mismatch and direct-write observe that")


@selftest("doc-probe", "doc_probe")
def _doc_probe(fw):
    try:
        got = fw.doc_probe("lazyinit-selftest-no-such-claim")
    except Unsupported:
        return
    raise Fault(f"doc_probe('lazyinit-selftest-no-such-claim') returned {got!r}: a claim "
                "that is not about this framework must raise Unsupported")


@selftest("save-load", "save", "load")
def _save_load(fw):
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        saved = []
        for n, where in ((1, a), (2, b)):
            fw.seed(n)
            state = ready(fw)
            saved.append((snapshot(fw, state), fw.save(state, where)))
        expect(not all(np.array_equal(saved[0][0][p], saved[1][0][p]) for p in saved[0][0]),
               "two networks after seed(1) and seed(2) hold the same values: nothing tells "
               "their files apart")
        fw.seed(3)
        state = ready(fw)
        for i, (values, path) in enumerate(saved):
            state = fw.load(state, path)
            got = snapshot(fw, state)
            same = got.keys() == values.keys() and all(
                np.array_equal(got[p], values[p]) for p in values)
            expect(same, f"save() then load() into a network that has seen data: file {i + 1} "
                   "did not restore every value it holds")
