"""Vacuity: can each check fail *in this env*? (a check that cannot fail is a defect)

The reference's mutations show every check can fail on the reference. Here any
adapter is wrapped in small *perturbations* -- each changes one thing the
adapter reports (one id fewer, a shape off by one, every draw logged twice, a
write dropped...) -- and the whole catalogue is run again under each. A check
whose outcome and observation no perturbation changes cannot fail in this env;
``n/a`` checks claim nothing and are left out.

    python -m pytest conformance/test_vacuity.py --framework torch --vacuity
"""
from __future__ import annotations

import json
import pickle
import warnings

import numpy as np

from adapters.interface import Call, MissingParameter, groups_of
from adapters.signatures import wrapper_operation
from conformance.runner import run_behaviour
from conformance.scenarios.common import declared, inputs
from conformance.seed import SEED


class _DoubleLog(list):
    """An initializer log in which every call is seen twice (``abstract``: plus one
    abstract, drawing-nothing call)."""

    def __init__(self, items, abstract=False):
        super().__init__(items)
        self.abstract = abstract

    def append(self, call):
        super().append(call)
        super().append(Call(call.pid, call.shape, drew=False) if self.abstract else call)


class Perturbed:
    """``fw`` with one perturbation; every other operation is the adapter's own. Each
    perturbed operation takes and forwards the declared arguments
    (``adapters.signatures.wrapper_operation``): ``a["name"]`` reads one,
    ``a.to(op, name=...)`` calls the adapter's ``op`` with them."""

    def __init__(self, fw, kind):
        self._fw = _ErrorHider(fw) if kind == "errors" else fw
        self.kind, self._inits, self._swap, self._abstract = kind, [], {}, {}
        self.name, self.capabilities, self.groups = fw.name, fw.capabilities, groups_of(fw)

    @property
    def __wrapped__(self):
        """The adapter itself (``recorder.adapter_files``: whose bug is an error)."""
        return self._fw

    def __getattr__(self, op):
        return getattr(self._fw, op)

    def _logs(self, *inits):
        for init in inits:
            if init is not None:
                self._inits.append(init)
                if self.kind == "draws":
                    init.log = _DoubleLog(init.log)
        self._spurious()

    def _spurious(self, drew=True):
        """``spurious``: every known initializer logs a draw that never happened."""
        if self.kind == "spurious" or (self.kind == "abstract" and not drew):
            real = self.kind == "spurious"
            for init in self._inits:
                list.append(init.log, Call("0.weight", (1,), real))
                list.append(init.log, Call("0.bias", (1,), real))

    def _drift(self, state, pid="0.bias"):
        """``drift``: the call also moves a parameter that holds a value."""
        if self.kind == "drift" and pid in self._fw.param_ids(state):
            try:
                value = self._fw.read_param(state, pid)
            except Exception:  # noqa: BLE001 - no value yet: nothing to move
                return state
            return self._fw.write_param(state, pid, value + 1)
        return state

    @wrapper_operation
    def materialize(self, a):
        self._spurious()
        try:
            return a.to(self._fw.materialize)
        except Exception:  # noqa: BLE001 - ``swallow``: the failure is hidden
            if self.kind != "swallow":
                raise
            return a["state"]

    @wrapper_operation
    def build(self, a):
        self._logs(a["weight_init"], a["bias_init"])
        return a.to(self._fw.build)

    @wrapper_operation
    def initialize(self, a):
        self._logs(a["init"])
        if self.kind == "warn":
            warnings.warn("perturbed", stacklevel=3)
        if self.kind == "silence":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return a.to(self._fw.initialize)
        return self._drift(a.to(self._fw.initialize))

    @wrapper_operation
    def reinitialize(self, a):
        self._logs(a["init"])
        target = a["target"]
        if self.kind == "reinit":
            return a["state"]
        if self.kind == "spread" and target is not None:  # the whole layer, bias included
            layer = target if isinstance(target, int) else int(target.split(".")[0])
            state = a.to(self._fw.reinitialize, target=layer)
            return a.to(self._fw.reinitialize, state=state, target=f"{layer}.bias")
        return a.to(self._fw.reinitialize)

    @wrapper_operation
    def param_ids(self, a):
        ids = a.to(self._fw.param_ids, state=self._now(a["state"]))
        if self.kind == "phantom":  # a parameter of one more layer
            return ids + [f"{max((int(i.split('.')[0]) for i in ids), default=-1) + 1}.weight"]
        if self.kind == "ids":  # one id fewer, or a phantom one where there is none
            return ids[:-1] if ids else ["0.weight"]
        if self.kind == "last-weight":  # the last weight is missing
            weights = [i for i in ids if i.endswith(".weight")]
            return [i for i in ids if not weights or i != weights[-1]]
        return ids

    @wrapper_operation
    def param_shape(self, a):
        shape = a.to(self._fw.param_shape)
        return (shape[0] + 1, *shape[1:]) if self.kind == "shape" and shape and \
            shape[0] is not None else shape

    @wrapper_operation
    def param_dtype(self, a):
        return "float16" if self.kind == "dtype" else a.to(self._fw.param_dtype)

    @wrapper_operation
    def read_param(self, a):
        value = a.to(self._fw.read_param, state=self._now(a["state"]))
        if self.kind == "flat":
            return np.zeros_like(value)
        return value[..., :-1] + 1 if self.kind == "read" else value

    @wrapper_operation
    def forward(self, a):
        self._spurious(drew=False)
        y, state = a.to(self._fw.forward, state=self._drift(a["state"]))
        if self.kind == "flat":
            y = np.zeros_like(y)
        if self.kind == "output":
            y = (y + 1).astype(np.float16)
        return (y[:1] if self.kind == "batch" else y), state

    @wrapper_operation
    def write_param(self, a):
        return a["state"] if self.kind == "write" else a.to(self._fw.write_param)

    @wrapper_operation
    def inplace_add(self, a):
        if self.kind != "write":
            a.to(self._fw.inplace_add)

    @wrapper_operation
    def backward_sum(self, a):
        grads = a.to(self._fw.backward_sum)
        return {k: v * 2 for k, v in grads.items()} if self.kind == "grad" else grads

    @wrapper_operation
    def same_parameter(self, a):
        same = a.to(self._fw.same_parameter)
        return not same if self.kind == "same" else same

    @wrapper_operation
    def native_name(self, a):
        name = a.to(self._fw.native_name)
        if self.kind == "fresh-names":
            return f"{name}#{id(a['state'])}"
        if self.kind == "same-names":
            return "p_" + self._fw.role_name(a["pid"].split(".")[1])
        return name + "_x" if self.kind == "names" else name

    @wrapper_operation
    def select_params(self, a):
        ids = a.to(self._fw.select_params)
        return ids[:-1] if self.kind == "ids" else ids

    @wrapper_operation
    def nested_lookup(self, a):
        pid = a.to(self._fw.nested_lookup)
        return f"{int(pid.split('.')[0]) + 1}.{a['role']}" if self.kind == "nested" else pid

    @wrapper_operation
    def layout(self, a):
        layout = a.to(self._fw.layout)
        return {"NCHW": "NHWC", "NHWC": "NCHW"}[layout] if self.kind == "layout" else layout

    @wrapper_operation
    def load(self, a):
        if self.kind == "unsafe-load":
            try:
                with open(a["path"], "rb") as f:
                    pickle.load(f)  # what a careless load would do (the suite's own payload)
            except Exception:  # noqa: BLE001 - not a pickle: carry on
                pass
        if self.kind == "save-load":
            raise _Perturbed("perturbed: load refused")
        return a.to(self._fw.load)

    @wrapper_operation
    def save(self, a):
        if self.kind == "save-load":
            raise _Perturbed("perturbed: save refused")
        return a.to(self._fw.save)

    # -- the optional groups' operations ----------------------------------------------
    def _refuse(self, op):
        if self.kind == "refuse":  # refused as if a parameter had no value
            raise MissingParameter(f"perturbed: {op} refused")

    def _now(self, state):
        """``no-copy``: the state shape inference materialized, for a functional one."""
        return self._swap.get(id(state), state)

    @wrapper_operation
    def make_optimizer(self, a):
        self._refuse("make_optimizer")
        return a.to(self._fw.make_optimizer)

    @wrapper_operation
    def freeze(self, a):
        self._refuse("freeze")
        return a.to(self._fw.freeze)

    @wrapper_operation
    def compile(self, a):
        self._refuse("compile")
        return a.to(self._fw.compile)

    @wrapper_operation
    def cast(self, a):
        self._refuse("cast")
        return a.to(self._fw.cast)

    @wrapper_operation
    def copy(self, a):
        self._refuse("copy")
        return a["state"] if self.kind == "no-copy" else a.to(self._fw.copy)

    @wrapper_operation
    def build_eager(self, a):
        self._refuse("build_eager")
        if self.kind == "no-copy":   # an ordinary build instead (the input declared where
            return self._fw.build(a["arch"], **declared(self._fw, inputs()))   # it must be)
        return a.to(self._fw.build_eager)

    @wrapper_operation
    def output_shape(self, a):
        try:
            shape = a.to(self._fw.output_shape)
        except Exception:  # noqa: BLE001 - ``swallow``: the failure is hidden
            if self.kind != "swallow":
                raise
            return tuple(a["input_shape"])
        if self.kind == "shape":
            return (shape[0] + 1, *shape[1:])
        if self.kind == "no-copy":  # shape inference that also materializes
            state = a["state"]
            new = self._fw.materialize(state, np.zeros(a["input_shape"], np.float32))
            if new is not state:
                self._swap[id(state)] = new
        return shape

    @wrapper_operation
    def count_params(self, a):
        count = a.to(self._fw.count_params)
        return count + 1 if self.kind == "shape" else count

    @wrapper_operation
    def memory_bytes(self, a):
        held = a.to(self._fw.memory_bytes)
        return held + 4 if self.kind == "shape" else held   # one float32 more

    @wrapper_operation
    def build_abstract(self, a):
        state = a.to(self._fw.build_abstract)
        self._abstract[id(state)] = (a["arch"], a["input_shape"])
        return state

    @wrapper_operation
    def materialize_abstract(self, a):
        arch, shape = self._abstract.get(id(a["state"]), (None, None))
        if self.kind == "no-copy" and shape is not None:   # an ordinary build instead
            x = np.zeros((1, *shape), np.float32)
            return self._fw.materialize(self._fw.initialize(self._fw.build(arch)), x)
        # another parameter than initialize's drift moves (MXNet initializes 0.bias)
        return self._drift(a.to(self._fw.materialize_abstract), "1.bias")

    @wrapper_operation
    def shard_init(self, a):
        key = (self.name, a["arch"], tuple(a["input_shape"]), a["seed"])
        if key not in _SHARDED:   # processes or devices of their own: once per survey
            _SHARDED[key] = a.to(self._fw.shard_init)
        out = _SHARDED[key]
        if self.kind == "same":   # the shards of the whole, whatever the framework drew
            out = {**out, "shards": {p: np.array_split(w, 2) for p, w in out["whole"].items()}}
        if self.kind == "shape":   # each shard one row short
            out = {**out, "shards": {p: [s[:-1] for s in v] for p, v in out["shards"].items()}}
        if self.kind == "read":    # each shard's values moved
            out = {**out, "shards": {p: [s + 1 for s in v] for p, v in out["shards"].items()}}
        return out

    @wrapper_operation
    def doc_probe(self, a):
        value = a.to(self._fw.doc_probe)
        return ["perturbed", value] if self.kind == "docs" else value


#: shard_init's results by (system, arch, input shape, seed), shared by the
#: perturbations of one survey
_SHARDED: dict = {}


class _Perturbed(RuntimeError):
    pass


class _ErrorHider:
    """Every framework error of ``fw`` becomes one of an unknown kind."""

    def __init__(self, fw):
        self._fw = fw

    __wrapped__ = property(lambda self: self._fw)

    def __getattr__(self, op):
        attr = getattr(self._fw, op)
        if not callable(attr) or op == "classify_error":
            return attr

        def hidden(*args, **kwargs):
            try:
                return attr(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the perturbation
                raise _Perturbed(f"perturbed: {type(exc).__name__}") from None
        return hidden


KINDS = ("ids", "shape", "dtype", "read", "flat", "fresh-names", "output", "batch", "write", "grad", "same", "names",
         "same-names", "nested", "layout", "draws", "spurious", "abstract", "drift", "warn",
         "silence", "reinit", "spread", "swallow", "errors", "save-load", "unsafe-load", "docs",
         "refuse", "no-copy", "last-weight", "phantom")


def _key(r):
    return r["outcome"], json.dumps(r["observed"], sort_keys=True, default=str)


def _run(catalogue, fw):
    out = {}
    for b in catalogue:
        fw.seed(SEED)
        for r in run_behaviour(b, fw):
            out[f"{b.id}/{r['check']}"] = r
    return out


def survey(catalogue, fw, kinds=KINDS) -> dict:
    """``{check: [perturbations that change it]}`` for every check that is not n/a."""
    np.random.seed(0)
    base = _run(catalogue, fw)
    changed = {c: [] for c, r in base.items() if r["outcome"] != "n/a"}
    for kind in kinds:
        perturbed = _run(catalogue, Perturbed(fw, kind))
        for check in changed:
            if _key(perturbed[check]) != _key(base[check]):
                changed[check].append(kind)
    return changed
