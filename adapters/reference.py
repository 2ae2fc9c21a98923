"""Reference adapter: the seeds' (MXNet Gluon's) semantics in plain numpy.

For the project's own tests only (meta_tests/): it shows that every check
conforms on the reference semantics, and -- with ``mutations`` -- that every
check can fail. It is never a stand-in for a real framework.

Each name in ``MUTATIONS`` breaks one rule of the reference semantics.
"""
from __future__ import annotations

import numpy as np

from adapters.interface import Adapter, Init, MissingParameter

MUTATIONS = {
    "no-params-before-data": "parameters only come into being at the first forward",
    "unknown-dim-zero": "an unknown dimension is reported as 0, not None",
    "read-uninit-zeros": "reading an uninitialized parameter returns zeros",
    "deferred-same-error": "after initialize(), reads raise not-initialized",
    "init-biases-too": "the user initializer is also called for biases",
    "reverse-init-order": "deferred parameters are initialized last layer first",
    "init-every-forward": "every forward re-runs the initializer",
    "transposed-weights": "weights are stored (in, out)",
    "force-ignored": "force=True does not re-initialize",
    "no-warning": "initialize() without force on initialized params is silent",
    "reinit-without-force": "initialize() without force re-initializes",
    "force-deferred-keeps-old": "force while deferred keeps the first initializer",
    "in-units-ignored": "in_units is ignored: initialization stays deferred",
    "initialize-needs-shapes": "initialize() raises while a shape is unknown",
    "log-at-initialize": "initialize() calls the initializer even for unknown shapes",
    "forward-ignores-registered": "the first forward uses the default initializer",
    "tie-copies": "tied layers get copies of the shared parameters",
    "grad-overwrite": "a shared parameter's gradient keeps only its last use",
    "no-relu": "the relu activation is dropped",
    "output-drops-batch": "forward returns only the first row",
}


class NotInitializedError(RuntimeError):
    pass


class DeferredInitializationError(RuntimeError):
    pass


class Param:
    def __init__(self, name, shape, role):
        self.name, self.shape, self.role = name, list(shape), role
        self.own_init = "zeros" if role == "bias" else None  # like Gluon's bias_initializer
        self.data = None
        self.grad = None
        self.registered = None  # the Init registered by initialize()


class Dense:
    def __init__(self, adapter, units, in_units=None, relu=False, params=None):
        k = adapter._counter = adapter._counter + 1
        self.units, self.relu = units, relu
        if params is None:
            params = {"weight": Param(f"dense{k}_weight", (units, in_units), "weight"),
                      "bias": Param(f"dense{k}_bias", (units,), "bias")}
        self.params = params


class Net:
    def __init__(self, layers):
        self.layers = layers

    def ids(self):
        return {f"{i}.{role}": p for i, layer in enumerate(self.layers)
                for role, p in layer.params.items()}

    def unique(self):
        seen = {}
        for pid, p in self.ids().items():
            seen.setdefault(id(p), (pid, p))
        return list(seen.values())


class ReferenceAdapter(Adapter):
    name = "reference"

    def __init__(self, mutations=()):
        unknown = set(mutations) - set(MUTATIONS)
        if unknown:
            raise ValueError(f"unknown mutation(s): {sorted(unknown)}")
        self.m = set(mutations)
        self._counter = -1
        self.rng = np.random.default_rng(0)

    def framework_version(self):
        return "reference-1" + ("+" + ",".join(sorted(self.m)) if self.m else "")

    def seed(self, n):
        self.rng = np.random.default_rng(n)

    # -- construction -------------------------------------------------------
    def build_mlp(self, in_units=None):
        if "in-units-ignored" in self.m:
            in_units = None
        return Net([Dense(self, 256, in_units, relu=True),
                    Dense(self, 10, 256 if in_units else None)])

    def build_tied(self):
        shared = Dense(self, 8, relu=True)
        params = shared.params
        if "tie-copies" in self.m:
            params = {r: Param(p.name + "_copy", p.shape, r) for r, p in params.items()}
        return Net([Dense(self, 8, relu=True), shared,
                    Dense(self, 8, relu=True, params=params), Dense(self, 10)])

    # -- inspection ---------------------------------------------------------
    def _param(self, net, pid):
        p = net.ids().get(pid)
        if p is None or ("no-params-before-data" in self.m and p.data is None):
            raise MissingParameter(f"no parameter {pid!r}")
        return p

    def param_ids(self, net):
        return [pid for pid in net.ids()
                if not ("no-params-before-data" in self.m and net.ids()[pid].data is None)]

    def param_shape(self, net, pid):
        p = self._param(net, pid)
        shape = [0 if d is None and "unknown-dim-zero" in self.m else d for d in p.shape]
        if "transposed-weights" in self.m and p.role == "weight":
            shape = shape[::-1]
        return tuple(shape)

    def native_name(self, net, pid):
        return self._param(net, pid).name

    def read_param(self, net, pid):
        p = self._param(net, pid)
        if p.data is None:
            if "read-uninit-zeros" in self.m:
                return np.zeros([d or 0 for d in p.shape], dtype=np.float32)
            if p.registered is not None and "deferred-same-error" not in self.m:
                raise DeferredInitializationError(
                    f"Parameter '{p.name}' has not been initialized yet because "
                    "initialization was deferred.")
            raise NotInitializedError(f"Parameter '{p.name}' has not been initialized.")
        return p.data.copy()

    def write_param(self, net, pid, value):
        p = self._param(net, pid)
        if p.data is None:
            raise NotInitializedError(f"Parameter '{p.name}' has not been initialized.")
        p.data[...] = value

    def same_object(self, net, pid_a, pid_b):
        return self._param(net, pid_a) is self._param(net, pid_b)

    def classify_error(self, exc):
        if isinstance(exc, DeferredInitializationError):
            return "deferred-init"
        if isinstance(exc, NotInitializedError):
            return "not-initialized"
        if isinstance(exc, MissingParameter):
            return "missing"
        return "other"

    # -- initialization -----------------------------------------------------
    def _run_init(self, pid, p, init):
        shape = tuple(p.shape)
        if p.own_init == "zeros" and "init-biases-too" not in self.m:
            p.data = np.zeros(shape, np.float32)
            return
        kind = init.kind if init else "default"
        if kind == "recording":
            init.log.append((pid, shape))
            data = self.rng.uniform(-0.5, 0.5, shape)
        elif kind == "constant":
            data = np.full(shape, init.value)
        elif kind == "normal":
            data = self.rng.normal(0, init.value, shape)
        elif kind == "uniform":
            data = self.rng.uniform(-init.value, init.value, shape)
        elif kind == "xavier":
            scale = np.sqrt(3.0 / (0.5 * (shape[0] + shape[-1])))
            data = self.rng.uniform(-scale, scale, shape)
        else:
            data = self.rng.uniform(-0.07, 0.07, shape)
        p.data = data.astype(np.float32)

    def initialize(self, net, init=None, force=False):
        init = init or Init()
        if "initialize-needs-shapes" in self.m and any(None in p.shape for _, p in net.unique()):
            raise ValueError("cannot initialize a parameter of unknown shape")
        msgs = []
        for pid, p in net.unique():
            if p.data is not None and not force:
                if "reinit-without-force" in self.m:
                    self._run_init(pid, p, init)
                elif "no-warning" not in self.m:
                    msgs.append(f"Parameter '{p.name}' is already initialized, ignoring. "
                                "Set force_reinit=True to re-initialize.")
                continue
            if force and p.data is not None and "force-ignored" in self.m:
                continue
            if None in p.shape:
                if "log-at-initialize" in self.m and init.kind == "recording":
                    init.log.append((pid, tuple(p.shape)))
                if p.registered is None or "force-deferred-keeps-old" not in self.m:
                    p.registered = init
            else:
                p.registered = init
                self._run_init(pid, p, init)
        return msgs  # MXNet emits these with warnings.warn; the interface returns them

    # -- computation --------------------------------------------------------
    def _prepare(self, net, x):
        """Infer unknown input dims layer by layer, then run deferred inits."""
        pending, width = [], x.shape[1]
        for i, layer in enumerate(net.layers):
            w = layer.params["weight"]
            if w.shape[1] is None:
                w.shape[1] = width
            elif w.shape[1] != width:
                raise ValueError(f"Shape mismatch: layer {i} expects {w.shape[1]} inputs, got {width}")
            for role, p in layer.params.items():
                if p.data is None:
                    if p.registered is None:
                        raise NotInitializedError(f"Parameter '{p.name}' has not been "
                                                  "initialized. Call initialize() first.")
                    pending.append((f"{i}.{role}", p))
            width = layer.units
        if "reverse-init-order" in self.m:
            pending.reverse()
        for pid, p in pending:
            if p.data is None:
                init = Init() if "forward-ignores-registered" in self.m else p.registered
                self._run_init(pid, p, init)

    def _forward(self, net, x):
        x = np.asarray(x, np.float64).reshape(len(x), -1)
        self._prepare(net, x)
        if "init-every-forward" in self.m:
            for pid, p in net.unique():
                self._run_init(pid, p, p.registered)
        trace, h = [], x
        for layer in net.layers:
            z = h @ layer.params["weight"].data.T + layer.params["bias"].data
            trace.append((h, z))
            h = np.maximum(z, 0) if layer.relu and "no-relu" not in self.m else z
        return h, trace

    def forward(self, net, x):
        out = self._forward(net, x)[0]
        return (out[:1] if "output-drops-batch" in self.m else out).astype(np.float32)

    def backward_sum(self, net, x):
        out, trace = self._forward(net, x)
        for _, p in net.unique():
            p.grad = np.zeros(p.shape)
        g = np.ones_like(out)
        for layer, (h, z) in reversed(list(zip(net.layers, trace))):
            if layer.relu and "no-relu" not in self.m:
                g = g * (z > 0)
            w, b = layer.params["weight"], layer.params["bias"]
            if "grad-overwrite" in self.m:
                w.grad, b.grad = g.T @ h, g.sum(0)
            else:
                w.grad += g.T @ h
                b.grad += g.sum(0)
            g = g @ w.data
        return {pid: p.grad.astype(np.float32) for pid, p in net.ids().items()}


ADAPTER = ReferenceAdapter
