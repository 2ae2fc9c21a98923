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
    """``fw`` with one perturbation; every other operation is the adapter's own."""

    def __init__(self, fw, kind):
        self._fw = _ErrorHider(fw) if kind == "errors" else fw
        self.kind, self._inits, self._swap, self._abstract = kind, [], {}, {}
        self.name, self.capabilities = fw.name, fw.capabilities
        self.family, self.groups = getattr(fw, "family", ""), groups_of(fw)

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

    def materialize(self, state, x):
        self._spurious()
        try:
            return self._fw.materialize(state, x)
        except Exception:  # noqa: BLE001 - ``swallow``: the failure is hidden
            if self.kind != "swallow":
                raise
            return state

    def build(self, arch, input_shape=None, weight_init=None, bias_init=None):
        self._logs(weight_init, bias_init)
        return self._fw.build(arch, input_shape, weight_init, bias_init)

    def initialize(self, model, init=None):
        self._logs(init)
        if self.kind == "warn":
            warnings.warn("perturbed", stacklevel=2)
        if self.kind == "silence":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return self._fw.initialize(model, init)
        return self._drift(self._fw.initialize(model, init))

    def reinitialize(self, state, init, target=None):
        self._logs(init)
        if self.kind == "reinit":
            return state
        if self.kind == "spread" and target is not None:  # the whole layer, bias included
            layer = target if isinstance(target, int) else int(target.split(".")[0])
            state = self._fw.reinitialize(state, init, layer)
            return self._fw.reinitialize(state, init, f"{layer}.bias")
        return self._fw.reinitialize(state, init, target)

    def param_ids(self, state):
        ids = self._fw.param_ids(self._now(state))
        if self.kind == "phantom":  # a parameter of one more layer
            return ids + [f"{max((int(i.split('.')[0]) for i in ids), default=-1) + 1}.weight"]
        if self.kind == "ids":  # one id fewer, or a phantom one where there is none
            return ids[:-1] if ids else ["0.weight"]
        if self.kind == "last-weight":  # the last weight is missing
            weights = [i for i in ids if i.endswith(".weight")]
            return [i for i in ids if not weights or i != weights[-1]]
        return ids

    def param_shape(self, state, pid):
        shape = self._fw.param_shape(state, pid)
        return (shape[0] + 1, *shape[1:]) if self.kind == "shape" and shape and \
            shape[0] is not None else shape

    def param_dtype(self, state, pid):
        return "float16" if self.kind == "dtype" else self._fw.param_dtype(state, pid)

    def read_param(self, state, pid):
        value = self._fw.read_param(self._now(state), pid)
        if self.kind == "flat":
            return np.zeros_like(value)
        return value[..., :-1] + 1 if self.kind == "read" else value

    def forward(self, state, x):
        self._spurious(drew=False)
        y, state = self._fw.forward(self._drift(state), x)
        if self.kind == "flat":
            y = np.zeros_like(y)
        if self.kind == "output":
            y = (y + 1).astype(np.float16)
        return (y[:1] if self.kind == "batch" else y), state

    def write_param(self, state, pid, value):
        return state if self.kind == "write" else self._fw.write_param(state, pid, value)

    def inplace_add(self, state, pid, delta):
        if self.kind != "write":
            self._fw.inplace_add(state, pid, delta)

    def backward_sum(self, state, x):
        grads = self._fw.backward_sum(state, x)
        return {k: v * 2 for k, v in grads.items()} if self.kind == "grad" else grads

    def same_parameter(self, state, a, b):
        same = self._fw.same_parameter(state, a, b)
        return not same if self.kind == "same" else same

    def native_name(self, state, pid):
        name = self._fw.native_name(state, pid)
        if self.kind == "fresh-names":
            return f"{name}#{id(state)}"
        if self.kind == "same-names":
            return "p_" + self._fw.role_name(pid.split(".")[1])
        return name + "_x" if self.kind == "names" else name

    def select_params(self, state, pattern):
        ids = self._fw.select_params(state, pattern)
        return ids[:-1] if self.kind == "ids" else ids

    def nested_lookup(self, state, path, role):
        pid = self._fw.nested_lookup(state, path, role)
        return f"{int(pid.split('.')[0]) + 1}.{role}" if self.kind == "nested" else pid

    def layout(self):
        layout = self._fw.layout()
        return {"NCHW": "NHWC", "NHWC": "NCHW"}[layout] if self.kind == "layout" else layout

    def load(self, state, path):
        if self.kind == "unsafe-load":
            try:
                with open(path, "rb") as f:
                    pickle.load(f)  # what a careless load would do (the suite's own payload)
            except Exception:  # noqa: BLE001 - not a pickle: carry on
                pass
        if self.kind == "save-load":
            raise _Perturbed("perturbed: load refused")
        return self._fw.load(state, path)

    def save(self, state, directory):
        if self.kind == "save-load":
            raise _Perturbed("perturbed: save refused")
        return self._fw.save(state, directory)

    # -- v3 operations ---------------------------------------------------------
    def _refuse(self, op):
        if self.kind == "refuse":  # refused as if a parameter had no value
            raise MissingParameter(f"perturbed: {op} refused")

    def _now(self, state):
        """``no-copy``: the state shape inference materialized, for a functional one."""
        return self._swap.get(id(state), state)

    def make_optimizer(self, state, kind, lr):
        self._refuse("make_optimizer")
        return self._fw.make_optimizer(state, kind, lr)

    def freeze(self, state, target, way="layer"):
        self._refuse("freeze")
        return self._fw.freeze(state, target, way)

    def compile(self, state):
        self._refuse("compile")
        return self._fw.compile(state)

    def cast(self, state, dtype):
        self._refuse("cast")
        return self._fw.cast(state, dtype)

    def copy(self, state, how):
        self._refuse("copy")
        return state if self.kind == "no-copy" else self._fw.copy(state, how)

    def build_eager(self, arch):
        self._refuse("build_eager")
        if self.kind == "no-copy":   # an ordinary build instead (the input declared where
            return self._fw.build(arch, **declared(self._fw, inputs()))   # it must be)
        return self._fw.build_eager(arch)

    def output_shape(self, state, input_shape):
        try:
            shape = self._fw.output_shape(state, input_shape)
        except Exception:  # noqa: BLE001 - ``swallow``: the failure is hidden
            if self.kind != "swallow":
                raise
            return tuple(input_shape)
        if self.kind == "shape":
            return (shape[0] + 1, *shape[1:])
        if self.kind == "no-copy":  # shape inference that also materializes
            new = self._fw.materialize(state, np.zeros(input_shape, np.float32))
            if new is not state:
                self._swap[id(state)] = new
        return shape

    def count_params(self, state):
        count = self._fw.count_params(state)
        return count + 1 if self.kind == "shape" else count

    def memory_bytes(self, state):
        held = self._fw.memory_bytes(state)
        return held + 4 if self.kind == "shape" else held   # one float32 more

    def build_abstract(self, arch, input_shape):
        state = self._fw.build_abstract(arch, input_shape)
        self._abstract[id(state)] = (arch, input_shape)
        return state

    def materialize_abstract(self, state):
        arch, shape = self._abstract.get(id(state), (None, None))
        if self.kind == "no-copy" and shape is not None:   # an ordinary build instead
            x = np.zeros((1, *shape), np.float32)
            return self._fw.materialize(self._fw.initialize(self._fw.build(arch)), x)
        # another parameter than initialize's drift moves (MXNet initializes 0.bias)
        return self._drift(self._fw.materialize_abstract(state), "1.bias")

    def shard_init(self, arch, input_shape, seed):
        key = (self.name, arch, tuple(input_shape), seed)
        if key not in _SHARDED:   # processes or devices of their own: once per survey
            _SHARDED[key] = self._fw.shard_init(arch, input_shape, seed)
        out = _SHARDED[key]
        if self.kind == "same":   # the shards of the whole, whatever the framework drew
            out = {**out, "shards": {p: np.array_split(w, 2) for p, w in out["whole"].items()}}
        if self.kind == "shape":   # each shard one row short
            out = {**out, "shards": {p: [s[:-1] for s in v] for p, v in out["shards"].items()}}
        if self.kind == "read":    # each shard's values moved
            out = {**out, "shards": {p: [s + 1 for s in v] for p, v in out["shards"].items()}}
        return out

    def doc_probe(self, claim):
        value = self._fw.doc_probe(claim)
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
