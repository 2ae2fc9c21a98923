"""Reference adapter: the seeds' (MXNet Gluon's) semantics in plain numpy.

For the project's own tests only (meta_tests/): it shows that every check
conforms on the reference semantics, and -- with ``mutations`` -- that every
check can fail. It is never a stand-in for a real framework.

Each name in ``MUTATIONS`` breaks one rule of the reference semantics.
"""
from __future__ import annotations

import copy
import os
import re
import signal
import time

import numpy as np

import warnings

from adapters.interface import (CAPABILITIES, Adapter, BatchNorm, Call, Conv2D, Dense, Flatten, Table,
                                Group, Init, MissingParameter, Unsupported, conv_sides, layer_text,
                                leaves, listing)

MUTATIONS = {
    "no-params-before-data": "parameters only come into being at the first forward",
    "unknown-dim-zero": "an unknown dimension is reported as 0, not None",
    "read-uninit-zeros": "reading an uninitialized parameter returns zeros",
    "deferred-same-error": "after initialize(), reads raise not-initialized",
    "biases-deferred": "initialize() defers the biases too, although their shape is known",
    "init-biases-too": "a network-wide initializer also reaches the biases",
    "reverse-init-order": "deferred parameters are initialized last layer first",
    "init-every-forward": "every forward re-runs the initializer",
    "abstract-calls": "every forward invokes the initializers abstractly (draws nothing)",
    "bias-drawn-twice": "the first forward draws the biases again",
    "transposed-weights": "weights are stored (in, out)",
    "force-ignored": "force=True does not re-initialize",
    "no-warning": "initialize() without force on initialized params is silent",
    "reinit-without-force": "initialize() without force re-initializes",
    "force-deferred-keeps-old": "re-initializing while deferred keeps the first initializer",
    "in-units-ignored": "declared input sizes are ignored: initialization stays deferred",
    "initialize-needs-shapes": "initialize() raises while a shape is unknown",
    "log-at-initialize": "initialize() draws even for unknown shapes",
    "forward-ignores-registered": "the first forward uses the default initializer",
    "tie-copies": "tied layers get copies of the shared parameters",
    "grad-overwrite": "a shared parameter's gradient keeps only its last use",
    "no-relu": "the relu activation is dropped",
    "output-drops-batch": "forward returns only the first row",
    "reinfer-shapes": "a new feature dim silently re-infers the weights",
    "last-axis-dense": "dense layers act on the last axis instead of flattening",
    "default-init-wide": "the default initializer draws from U[-0.1, 0.1]",
    "xavier-wide": "Xavier draws from a range 1.5 times too wide",
    "custom-init-sloppy": "the custom initializer keeps every U[-10, 10] draw",
    "write-is-copy": "in-place edits and writes go to a copy the forward never sees",
    "write-deferred-raises": "a write while initialization is deferred raises",
    "positional-names": "native names are positions (0.weight), reused by every net",
    "layer-names": "native names are the layer's name, without the role",
    "no-regex-selection": "selecting parameters by regex returns nothing",
    "nested-lookup-off-by-one": "hierarchical access resolves to the next layer",
    "save-deferred-writes-zeros": "saving a deferred network writes zero-size arrays",
    "load-needs-forward": "loading into a never-run network fails",
    "load-unpickles": "loading unpickles whatever the file holds",
    "nhwc": "images are channels-last",
    "promote-dtype": "a float64 input promotes the parameters to float64",
    "docs-wrong": "every documentation probe answers differently",
    "bias-default-drawn": "biases have no zeros initializer of their own: the default draws them",
    "param-target-is-layer": "re-initializing one parameter re-initializes its whole layer",
    "write-anytime": "a write before initialize() is accepted",
    "nested-groups-lose-last": "a nested group drops its last layer",
    "load-off-by-one": "loaded values come back plus one",
    "params-float64": "parameters are float64",
    "constant-default-init": "the default initializer fills every weight with 0.01",
    "optimizer-binds-values": "an optimizer holds the values that exist when it is made",
    "adagrad-needs-values": "Adagrad cannot be made over parameters without values",
    "optimizer-needs-values": "no optimizer can be made over parameters without values",
    "trainer-skips-deferred": "a training step skips parameters without values",
    "last-weight-zeros": "a deferred last layer's weight materializes as zeros",
    "freeze-needs-values": "freezing a parameter without a value raises",
    "parameter-freeze-ignored": "setting one parameter's grad_req does not freeze it",
    "shape-inference-drops-batch": "the inferred output shape has no batch axis",
    "copy-shares-params": "a copy shares the original's parameters",
    "copy-refuses-deferred": "copying a network with deferred parameters fails",
    "shape-inference-materializes": "output shape inference initializes the parameters",
    "shape-inference-fixes-shapes": "output shape inference fixes the unknown dims",
    "count-unknown-as-zero": "an unknown size counts as zero",
    "count-shared-twice": "a shared parameter counts at each use",
    "freeze-lost-at-materialize": "materialization makes frozen parameters trainable again",
    "eager-defers": "refusing deferral is ignored: initialization defers",
    "eager-partial-infers": "eager layers take their size from a declared previous layer",
    "conflict-reinfers": "a shared layer re-infers its shape at each use",
    "compiled-no-relu": "the compiled forward drops the relu activations",
    "compile-needs-shapes": "the compile step raises while a shape is unknown",
    "cast-ignores-deferred": "a cast reaches only parameters that hold values",
    "unused-materialized": "the first data materializes unused parameters too (zeros)",
    "save-skips-deferred": "saving skips parameters without values",
    "load-then-redraw": "the first forward after a load re-draws the parameters",
    "abstract-allocates": "an abstract build allocates and initializes its parameters",
    "abstract-float64": "an abstract build makes float64 parameters",
    "materialise-unties": "materializing an abstract build unties tied parameters",
    "materialise-partial": "materializing an abstract build leaves the last weight empty",
    "materialise-skips-table": "materializing an abstract build leaves a Table's buffer unset",
    "materialise-other-stream": "materializing an abstract build draws from another stream",
    "materialise-wide": "materializing an abstract build draws twice as wide",
    "abstract-lazy-draws": "materializing a lazy abstract build gives unknown dims size 1",
    "tie-ignored": "tying one parameter into another layer does nothing",
    "shards-by-column": "a sharded initialization splits each weight by columns",
    "shards-redraw": "each shard of a sharded initialization draws as if it were the whole",
}

#: injected faults, for the robustness tests (env LAZYINIT_REFERENCE_FAULTS, comma list)
FAULTS = {
    "segfault-build-tied": "build_tied() kills the process with SIGSEGV",
    "abort-build-tied": "build_tied() calls os.abort()",
    "hang-build-nested": "build_nested() sleeps forever (interruptible)",
    "native-hang-build-conv": "build_conv() hangs deaf to SIGALRM, like native code",
    "native-hang-build-nested": "build_nested() hangs deaf to SIGALRM, like native code",
    "exit-build-conv": "build_conv() raises SystemExit(3)",
    "exit-build-nested": "build_nested() raises SystemExit(3)",
}

#: what the seed texts say, per claim of spec/behaviours/doc-claims.toml
DOC_ANSWERS = {
    "mxnet-unknown-dim-shown-as-none": "None",
    "mxnet-unknown-dim-is-minus-one": -1,
    "mxnet-data-before-initialize-raises": "RuntimeError",
    "mxnet-initialize-changes-nothing": True,
    "mxnet-initialize-initializes-nothing": [],
    "mxnet-listing-after-forward": "(shape=(256, 20), dtype=float32)",
    "mxnet-default-init": [True, True],
    "mxnet-constant-one-sets-all": True,
    "mxnet-grad-zero-before-backward": True,
    "torch-lazy-module-warning": True,
    "torch-uninitialized-before-data": "UninitializedParameter",
    "torch-shape-after-forward": "torch.Size([256, 20])",
    "tf-layer-weights-empty": [[], []],
    "tf-get-weights-raises": "raises",
    "tf-weight-shapes-after-forward": [[20, 256], [256], [256, 10], [10]],
}


class NotInitializedError(RuntimeError):
    pass


class DeferredInitializationError(RuntimeError):
    pass


class DTypeMismatchError(TypeError):
    pass


class ShapeMismatchError(ValueError):
    pass


class Param:
    def __init__(self, name, shape, role, own_init=None):
        self.name, self.shape, self.role = name, list(shape), role
        # a parameter's own initializer (Gluon: bias_initializer='zeros', BatchNorm
        # gamma 'ones' / beta 'zeros', or one given at construction) wins over a
        # network-wide request
        self.own_init = own_init
        self.data = None
        self.grad = None
        self.registered = None  # the initializer a deferred initialization will use
        self.grad_req = "write"  # MXNet's per-parameter trainable flag ("null": frozen)
        self.dtype = np.float32
        self.allow_deferred = True


OWN = {"bias": Init("zeros"), "beta": Init("zeros"), "gamma": Init("constant", 1.0)}


class Layer:
    """Dense (flattens its input), Conv2D (NCHW, no padding) or BatchNorm."""

    def __init__(self, adapter, kind, units, in_units=None, relu=False, params=None, inits=None,
                 unused=False, kernel=3, stride=1):
        k = adapter._counter = adapter._counter + 1
        self.kind, self.units, self.relu, self.unused = kind, units, relu, unused
        self.kernel, self.stride = kernel, stride
        self.reinfer = "conflict-reinfers" in adapter.m
        shapes = {"dense": {"weight": (units, in_units), "bias": (units,)},
                  "conv": {"weight": (units, None, kernel, kernel), "bias": (units,)},
                  "bn": {"gamma": (None,), "beta": (None,)},
                  "table": {"table": (units,)}}[kind]
        inits = inits or {}
        if kind == "table":  # computed at construction: no initializer to re-run
            inits = {"table": Init("arange")}
        self.params = params or {r: Param(f"{kind}{k}_{r}", s, r, inits.get(r) or OWN.get(r))
                                 for r, s in shapes.items()}

    def infer(self, shape, flatten=True):
        """Fill unknown dims from the input shape; return the output shape."""
        if self.kind == "dense":
            width = int(np.prod(shape[1:])) if flatten else shape[-1]
            self._fill("weight", 1, width)
            return (*shape[:1], self.units) if flatten else (*shape[:-1], self.units)
        if self.kind == "conv":
            self._fill("weight", 1, shape[1])
            return (shape[0], self.units, *conv_sides(shape[2:], self.kernel, self.stride))
        if self.kind == "table":
            return shape
        self._fill("gamma", 0, shape[1])
        self._fill("beta", 0, shape[1])
        return shape

    def _fill(self, role, axis, value):
        p = self.params[role]
        if p.shape[axis] is None or (self.reinfer and p.data is None):
            p.shape[axis] = value
        elif p.shape[axis] != value:
            raise ShapeMismatchError(f"Shape inconsistent: {p.name} expects {p.shape[axis]} "
                                     f"on axis {axis}, input gives {value}")


class Flat:
    """A Flatten layer: no parameters."""
    kind, relu, params, unused = "flatten", False, {}, False


class Net:
    def __init__(self, tree):
        self.tree = tree  # nested lists of Layers, the block hierarchy
        everything = list(_flatten(tree))
        self.steps = [s for s in everything if not s.unused]  # what the forward calls
        self.layers = [s for s in everything if s.params]
        self.compiled = False  # MXNet hybridize()
        self.loaded = False

    def ids(self):
        return {f"{i}.{role}": p for i, layer in enumerate(self.layers)
                for role, p in layer.params.items()}

    def unique(self):
        seen = {}
        for pid, p in self.ids().items():
            seen.setdefault(id(p), (pid, p))
        return list(seen.values())


def _flatten(tree):
    for node in tree:
        if isinstance(node, list):
            yield from _flatten(node)
        else:
            yield node


def _windows(x, k, stride=1):
    """(N, C, H, W) -> (N, C, H', W', k, k): k x k windows every ``stride`` pixels."""
    return np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))[
        :, :, ::stride, ::stride]


class ReferenceAdapter(Adapter):
    name = "reference"
    capabilities = {cap: spec[1] for cap, spec in CAPABILITIES.items()}

    def __init__(self, mutations=(), faults=None):
        if faults is None:
            faults = [f for f in os.environ.get("LAZYINIT_REFERENCE_FAULTS", "").split(",") if f]
        unknown = (set(mutations) - set(MUTATIONS)) | (set(faults) - set(FAULTS))
        if unknown:
            raise ValueError(f"unknown mutation(s) or fault(s): {sorted(unknown)}")
        self.m = set(mutations)
        self.faults = set(faults)
        self._counter = -1
        self.rng = np.random.default_rng(0)

    def framework_version(self):
        return "reference-1" + ("+" + ",".join(sorted(self.m)) if self.m else "")

    def framework_config(self):
        return {}

    def seed(self, n):
        self.rng = np.random.default_rng(n)

    # -- construction -------------------------------------------------------
    def _fault(self, where):
        """Trigger the injected fault planned for ``where``, if any."""
        if f"segfault-{where}" in self.faults:
            os.kill(os.getpid(), signal.SIGSEGV)
        if f"abort-{where}" in self.faults:
            os.abort()
        if f"exit-{where}" in self.faults:
            raise SystemExit(3)
        if f"hang-{where}" in self.faults:
            while True:
                time.sleep(1)
        if f"native-hang-{where}" in self.faults:  # deaf to the in-process time limit
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            while True:
                time.sleep(1)

    def build(self, arch, input_shape=None, weight_init=None, bias_init=None):
        flat = list(leaves(arch))
        self._fault("build-" + ("conv" if any(isinstance(n, Conv2D) for n in flat) else
                                "nested" if any(isinstance(n, Group) and any(
                                    isinstance(m, Group) for m in n.layers) for n in arch) else
                                "tied" if any(getattr(n, "share", None) for n in flat)
                                else "mlp"))
        width = None
        if input_shape is not None:
            if not all(isinstance(layer, (Dense, Table)) for layer in flat):
                raise Unsupported("build/input_shape", "declared input shapes for Dense-only "
                                  "networks (in_units on every layer)")
            width = int(np.prod(input_shape))
        inits = {"weight": weight_init, "bias": bias_init or (
            Init() if "bias-default-drawn" in self.m else None)}
        shared = {}

        def make(node):
            nonlocal width
            if isinstance(node, Group):
                inner = not any(isinstance(n, Group) for n in node.layers)
                drop = inner and "nested-groups-lose-last" in self.m
                return [make(n) for n in (node.layers[:-1] if drop else node.layers)]
            if isinstance(node, Flatten):
                return Flat()
            if isinstance(node, Conv2D):
                return Layer(self, "conv", node.channels, inits=inits, kernel=node.kernel,
                             stride=node.stride)
            if isinstance(node, BatchNorm):
                return Layer(self, "bn", None)
            if isinstance(node, Table):
                return Layer(self, "table", node.units)
            in_units = node.in_units if node.in_units is not None else width
            if "in-units-ignored" in self.m:
                in_units = None
            if node.share and node.share in shared:
                params = shared[node.share].params
                if "tie-copies" in self.m:
                    params = {r: Param(p.name + "_copy", p.shape, r, p.own_init)
                              for r, p in params.items()}
                layer = Layer(self, "dense", node.units, in_units, node.relu, params)
            else:
                layer = Layer(self, "dense", node.units, in_units, node.relu, inits=inits,
                              unused=node.unused)
                if node.share:
                    shared[node.share] = layer
            width = node.units if width is not None else None
            return layer

        return Net([make(n) for n in arch])

    def layout(self):
        return "NHWC" if "nhwc" in self.m else "NCHW"

    # -- inspection ---------------------------------------------------------
    def _param(self, net, pid):
        p = net.ids().get(pid)
        if p is None or ("no-params-before-data" in self.m and p.data is None):
            raise MissingParameter(f"no parameter {pid!r}")
        return p

    def param_ids(self, state):
        return [pid for pid, p in state.ids().items()
                if not ("no-params-before-data" in self.m and p.data is None)]

    def param_shape(self, state, pid):
        p = self._param(state, pid)
        shape = [0 if d is None and "unknown-dim-zero" in self.m else d for d in p.shape]
        if "transposed-weights" in self.m and p.role == "weight":
            shape = shape[::-1]
        return tuple(shape)

    def param_dtype(self, state, pid):
        p = self._param(state, pid)
        if p.data is None:
            return "float64" if "params-float64" in self.m else np.dtype(p.dtype).name
        return p.data.dtype.name

    def native_name(self, state, pid):
        if "positional-names" in self.m:
            return pid
        name = self._param(state, pid).name
        return name.rsplit("_", 1)[0] if "layer-names" in self.m else name

    def role_name(self, role):
        return role

    def nested_lookup(self, state, path, role):
        node = state.tree
        for i in path:
            node = [n for n in node if isinstance(n, list) or n.params][i]
        index = state.layers.index(node) + ("nested-lookup-off-by-one" in self.m)
        return f"{index}.{role}"

    def select_params(self, state, pattern):
        if "no-regex-selection" in self.m:
            return []
        return [pid for pid, p in state.unique() if re.fullmatch(pattern, p.name)]

    def read_param(self, state, pid):
        p = self._param(state, pid)
        if p.data is None:
            if "read-uninit-zeros" in self.m:
                return np.zeros([d or 0 for d in p.shape], dtype=np.float32)
            self._raise_uninitialized(p)
        return p.data.copy()

    def _raise_uninitialized(self, p):
        if p.registered is not None and "deferred-same-error" not in self.m:
            raise DeferredInitializationError(
                f"Parameter '{p.name}' has not been initialized yet because "
                "initialization was deferred.")
        raise NotInitializedError(f"Parameter '{p.name}' has not been initialized.")

    def write_param(self, state, pid, value):
        p = self._param(state, pid)
        value = np.asarray(value, np.float32)
        if p.data is None:
            if (p.registered is None and "write-anytime" not in self.m) or \
                    "write-deferred-raises" in self.m:
                self._raise_uninitialized(p)
            p.data, p.shape = value.copy(), list(value.shape)  # MXNet 1.9: set_data pre-fills
        elif "write-is-copy" not in self.m:
            p.data[...] = value
        return state

    def inplace_add(self, state, pid, delta):
        p = self._param(state, pid)
        if p.data is None:
            self._raise_uninitialized(p)
        if "write-is-copy" not in self.m:
            p.data += delta

    def same_parameter(self, state, pid_a, pid_b):
        return self._param(state, pid_a) is self._param(state, pid_b)

    def source(self, arch, input_shape):
        """The reference model's own code: this adapter's lifecycle on ``arch``."""
        names = sorted({type(n).__name__ for n in leaves(arch)})
        return "\n".join([
            "import numpy as np", f"from adapters.interface import {', '.join(names)}",
            "from adapters.reference import ReferenceAdapter", "", "fw = ReferenceAdapter()",
            listing("net = fw.initialize(fw.build([", [layer_text(n) for n in arch], "]))"),
            f"x = np.random.uniform(size={tuple(input_shape)}).astype(np.float32)",
            "y, net = fw.forward(fw.materialize(net, x), x)"])

    def classify_error(self, exc):
        kinds = {DeferredInitializationError: "deferred-init",
                 NotInitializedError: "not-initialized", MissingParameter: "missing",
                 ShapeMismatchError: "shape-mismatch", DTypeMismatchError: "dtype-mismatch"}
        return next((k for cls, k in kinds.items() if isinstance(exc, cls)), "other")

    # -- initialization -----------------------------------------------------
    def _draw(self, init, pid, shape):
        kind = init.kind if init else "default"
        if init is not None and init.user_defined:
            init.log.append(Call(pid, tuple(shape)))
        if kind == "recording":
            return self.rng.uniform(-0.5, 0.5, shape)
        if kind == "seed-custom":
            data = self.rng.uniform(-10, 10, shape)
            return data if "custom-init-sloppy" in self.m else data * (np.abs(data) >= 5)
        if kind == "zeros":
            return np.zeros(shape)
        if kind == "arange":  # a Table's buffer
            return np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
        if kind == "constant":
            return np.full(shape, init.value)
        if kind == "normal":
            return self.rng.normal(0, init.value, shape)
        if kind == "uniform":
            return self.rng.uniform(-init.value, init.value, shape)
        if kind == "xavier":  # MXNet Xavier(): uniform, factor 'avg', magnitude 3
            fan_in, fan_out = np.prod(shape[1:]), shape[0] * np.prod(shape[2:])
            scale = np.sqrt(3.0 / ((fan_in + fan_out) / 2)) * (1.5 if "xavier-wide" in self.m else 1)
            return self.rng.uniform(-scale, scale, shape)
        scale = 0.1 if "default-init-wide" in self.m else 0.07
        return self.rng.uniform(-scale, scale, shape)

    def _effective(self, p, init, explicit):
        """MXNet's routing: an explicit per-parameter request wins; otherwise the
        parameter's own initializer, then the network-wide one, then the default."""
        if explicit:
            return init
        if "init-biases-too" in self.m and p.role == "bias":
            return init or p.own_init
        return p.own_init or init

    def _run_init(self, pid, p, init):
        dtype = np.float64 if "params-float64" in self.m else p.dtype
        if "constant-default-init" in self.m and (init is None or init.kind == "default"):
            p.data = np.full(tuple(p.shape), 0.01, dtype)
            return
        p.data = self._draw(init, pid, tuple(p.shape)).astype(dtype)

    def _init_param(self, pid, p, init, deferrable=True):
        """Initialize now if the shape is known, else register for the first data."""
        if None in p.shape and not p.allow_deferred and "eager-defers" not in self.m:
            raise ValueError(f"Cannot initialize Parameter '{p.name}' because it has "
                             f"invalid shape: {tuple(d or 0 for d in p.shape)}.")
        if None in p.shape or ("biases-deferred" in self.m and p.role == "bias"
                               and deferrable):
            if "log-at-initialize" in self.m and init is not None and init.user_defined:
                init.log.append(Call(pid, tuple(p.shape)))
            p.registered = init or Init()
        else:
            p.registered = init or Init()
            self._run_init(pid, p, init)

    def initialize(self, model, init=None):
        """MXNet ``Block.initialize(init)``: warns (Python warning) for what already
        holds a value; otherwise initializes or defers."""
        targets = model.unique()
        if "initialize-needs-shapes" in self.m and any(None in p.shape for _, p in targets):
            raise ValueError("cannot initialize a parameter of unknown shape")
        for pid, p in targets:
            if p.data is not None:
                if "reinit-without-force" in self.m:
                    self._run_init(pid, p, self._effective(p, init, False))
                elif "no-warning" not in self.m:
                    warnings.warn(f"Parameter '{p.name}' is already initialized, ignoring. "
                                  "Set force_reinit=True to re-initialize.", stacklevel=2)
                continue
            self._init_param(pid, p, self._effective(p, init, False))
        return model

    def reinitialize(self, state, init, target=None):
        """MXNet ``initialize(init, force_reinit=True)`` on the net, a layer, or one
        parameter (``Parameter.initialize(init=...)``: the explicit request wins)."""
        if target is None:
            targets = state.unique()
        elif isinstance(target, int):
            targets = [(f"{target}.{r}", p) for r, p in state.layers[target].params.items()]
        elif "param-target-is-layer" in self.m:
            i = int(target.split(".")[0])
            targets = [(f"{i}.{r}", p) for r, p in state.layers[i].params.items()]
        else:
            targets = [(target, self._param(state, target))]
        explicit = isinstance(target, str)
        for pid, p in targets:
            effective = self._effective(p, init, explicit)
            if p.data is not None:
                if "force-ignored" not in self.m:
                    self._run_init(pid, p, effective)
            elif p.registered is not None and "force-deferred-keeps-old" in self.m:
                continue
            else:
                self._init_param(pid, p, effective, deferrable=False)
        return state

    # -- computation --------------------------------------------------------
    def _prepare(self, net, x):
        """Infer unknown dims layer by layer, then run deferred inits in order."""
        shape, pending = x.shape, []
        if "reinfer-shapes" in self.m and net.layers[0].params["weight"].shape[1] not in (
                None, int(np.prod(shape[1:]))):
            net.layers[0].params["weight"].shape[1] = None
            net.layers[0].params["weight"].data = None
        flatten = "last-axis-dense" not in self.m
        for step in net.steps:
            if step.kind == "flatten":
                shape = (shape[0], int(np.prod(shape[1:])))
                continue
            i = net.layers.index(step)
            shape = step.infer(shape, flatten=flatten)
            for role, p in step.params.items():
                if p.data is None:
                    if p.registered is None:
                        raise NotInitializedError(f"Parameter '{p.name}' has not been "
                                                  "initialized. Call initialize() first.")
                    pending.append((f"{i}.{role}", p))
                elif "bias-drawn-twice" in self.m and role == "bias" and p.registered:
                    pending.append((f"{i}.{role}", p))
        if "unused-materialized" in self.m:
            for layer in net.layers:
                if layer.unused:
                    for p in layer.params.values():
                        p.shape = [d or 1 for d in p.shape]
                        p.data = np.zeros(p.shape, p.dtype)
        if "reverse-init-order" in self.m:
            pending.reverse()
        done = set()
        for pid, p in pending:
            if id(p) not in done:
                done.add(id(p))
                init = Init() if "forward-ignores-registered" in self.m else p.registered
                if "freeze-lost-at-materialize" in self.m:
                    p.grad_req = "write"
                if "last-weight-zeros" in self.m and p is net.layers[-1].params.get("weight"):
                    init = Init("zeros")
                p.registered = None if "bias-drawn-twice" not in self.m else p.registered
                self._run_init(pid, p, init)
        # MXNet checks the input's dtype once the parameters exist
        dtype = np.dtype(net.layers[0].params[next(iter(net.layers[0].params))].dtype)
        if x.dtype != dtype and "promote-dtype" not in self.m:
            raise DTypeMismatchError(f"Incompatible attr: expected {x.dtype}, got {dtype}")
        if "promote-dtype" in self.m:
            for _, p in net.unique():
                p.data = p.data.astype(x.dtype)

    def _apply(self, layer, h):
        if layer.kind == "flatten":
            return h.reshape(len(h), -1)
        w = layer.params.get("weight")
        if layer.kind == "conv":
            return np.einsum("nchwij,ocij->nohw", _windows(h, layer.kernel, layer.stride), w.data) + \
                layer.params["bias"].data[None, :, None, None]
        if layer.kind == "table":
            return h + layer.params["table"].data
        if layer.kind == "bn":  # inference: running mean 0, variance 1
            g, b = layer.params["gamma"].data, layer.params["beta"].data
            return h / np.sqrt(1 + 1e-5) * g[None, :, None, None] + b[None, :, None, None]
        flat = h.reshape(len(h), -1) if "last-axis-dense" not in self.m else h
        return flat @ w.data.T + layer.params["bias"].data

    def _forward(self, net, x):
        x = np.asarray(x)
        self._prepare(net, x)
        if net.loaded and "load-then-redraw" in self.m:
            for pid, p in net.unique():
                self._run_init(pid, p, p.own_init or p.registered)
        net.loaded = False
        for pid, p in net.unique():
            init = p.own_init
            if "init-every-forward" in self.m and None not in p.shape:
                self._run_init(pid, p, init or Init())
            if "abstract-calls" in self.m and init is not None and init.user_defined:
                init.log.append(Call(pid, tuple(p.shape), drew=False))
        trace, h = [], x.astype(np.float64)
        for layer in net.steps:
            z = self._apply(layer, h)
            trace.append((h.reshape(len(h), -1), z))
            relu = layer.relu and "no-relu" not in self.m and not (
                net.compiled and "compiled-no-relu" in self.m)
            h = np.maximum(z, 0) if relu else z
        return h, trace

    def materialize(self, state, x):
        self._forward(state, x)
        return state

    def forward(self, state, x):
        out = self._forward(state, x)[0]
        dtype = state.layers[0].params["bias"].data.dtype
        return (out[:1] if "output-drops-batch" in self.m else out).astype(dtype), state

    def backward_sum(self, state, x):
        """Backpropagation through dense layers (the only ones the scenarios train)."""
        out, trace = self._forward(state, x)
        for _, p in state.unique():
            p.grad = np.zeros(p.shape) if p.data is not None else None
        g = np.ones_like(out)
        for layer, (h, z) in reversed(list(zip(state.steps, trace))):
            if layer.relu and "no-relu" not in self.m:
                g = g * (z > 0)
            w, b = layer.params["weight"], layer.params["bias"]
            if "grad-overwrite" in self.m:
                w.grad, b.grad = g.T @ h, g.sum(0)
            else:
                w.grad += g.T @ h
                b.grad += g.sum(0)
            g = g @ w.data
        return {pid: p.grad.astype(np.float32) for pid, p in state.ids().items()
                if p.grad is not None}

    # -- persistence --------------------------------------------------------
    def save(self, state, directory):
        path = os.path.join(directory, "net.npz")
        arrays = {}
        for pid, p in state.unique():
            if p.data is None and "save-skips-deferred" in self.m:
                continue
            if p.data is None and "save-deferred-writes-zeros" not in self.m:
                self._raise_uninitialized(p)
            arrays[pid] = p.data if p.data is not None else np.zeros(0, np.float32)
        with open(path, "wb") as f:
            np.savez(f, **arrays)
        return path

    def load(self, state, path):
        if "load-unpickles" in self.m:
            import pickle
            with open(path, "rb") as f:
                pickle.load(f)  # deliberately unsafe: the mutation under test
        if "load-needs-forward" in self.m and any(None in p.shape for _, p in state.unique()):
            raise NotInitializedError("cannot load into a network that has not run")
        with np.load(path, allow_pickle=False) as arrays:
            for pid, p in state.unique():
                p.data = arrays[pid].astype(np.float32) + ("load-off-by-one" in self.m)
                p.shape = list(p.data.shape)
        state.loaded = True
        return state

    # -- around lazy initialization ---------------------------------------------
    def make_optimizer(self, state, kind, lr):
        """MXNet ``gluon.Trainer(net.collect_params(), kind)``: holds the Parameter
        objects, whatever their state; optimizer state is made at the first step."""
        params = [p for _, p in state.unique()]
        needs_values = "optimizer-needs-values" in self.m or (
            kind == "adagrad" and "adagrad-needs-values" in self.m)
        if needs_values and any(p.data is None for p in params):
            self._raise_uninitialized(next(p for p in params if p.data is None))
        if "optimizer-binds-values" in self.m:
            params = [Param(p.name, p.shape, p.role) for p in params]
        return {"kind": kind, "lr": lr, "params": params, "state": {}}

    def train_step(self, state, opt, x):
        self.backward_sum(state, x)
        for p in opt["params"]:
            if p.grad_req == "null" or (p.data is None and "trainer-skips-deferred" in self.m):
                continue
            if p.data is None or p.grad is None:
                self._raise_uninitialized(p)
            g = p.grad
            if opt["kind"] == "adagrad":  # MXNet AdaGrad: eps 1e-7
                h = opt["state"].setdefault(id(p), np.zeros_like(g))
                h += g * g
                step = opt["lr"] * g / (np.sqrt(h) + 1e-7)
            else:
                step = opt["lr"] * g
            p.data = (p.data - step).astype(p.data.dtype)
        return state, opt

    def freeze(self, state, target, way="layer"):
        """MXNet: ``layer.collect_params().setattr("grad_req", "null")`` (``layer``)
        or ``p.grad_req = "null"`` per parameter (``parameter``): the same flag, set
        before or after the shapes are known."""
        if way not in ("layer", "parameter"):
            raise Unsupported(f"freeze/{way}", "MXNet freezes by grad_req")
        for p in state.layers[target].params.values():
            if p.data is None and "freeze-needs-values" in self.m:
                self._raise_uninitialized(p)
            if way == "parameter" and "parameter-freeze-ignored" in self.m:
                continue
            p.grad_req = "null"
        return state

    def copy(self, state, how):
        import copy
        import pickle
        if "copy-shares-params" in self.m:
            return Net(state.tree)
        deferred = [p for _, p in state.unique() if p.data is None]
        if deferred and "copy-refuses-deferred" in self.m:
            self._raise_uninitialized(deferred[0])
        if how == "pickle":
            return pickle.loads(pickle.dumps(state))
        return copy.deepcopy(state)

    def output_shape(self, state, input_shape):
        """MXNet: the network called on a Symbol, then ``infer_shape``; the
        Parameters are not touched."""
        shape = tuple(input_shape)
        if "shape-inference-materializes" in self.m:
            self._prepare(state, np.zeros(shape, np.float32))
            return self._forward(state, np.zeros(shape, np.float32))[0].shape
        for step in state.steps:
            if step.kind == "flatten":
                shape = (shape[0], int(np.prod(shape[1:])))
            elif step.kind == "dense":
                shape = (shape[0], step.units)
            elif step.kind == "conv":
                shape = (shape[0], step.units, *conv_sides(shape[2:], step.kernel, step.stride))
        if "shape-inference-fixes-shapes" in self.m:
            self._prepare_shapes(state, input_shape)
        return shape[1:] if "shape-inference-drops-batch" in self.m else shape

    def _prepare_shapes(self, net, input_shape):
        shape = tuple(input_shape)
        for step in net.steps:
            shape = (shape[0], int(np.prod(shape[1:]))) if step.kind == "flatten" else \
                step.infer(shape)

    def count_params(self, state):
        """MXNet: ``sum(p.data().size for p in net.collect_params().values())``."""
        total = 0
        for _, p in (state.ids().items() if "count-shared-twice" in self.m else state.unique()):
            if p.data is None:
                if "count-unknown-as-zero" in self.m:
                    continue
                self._raise_uninitialized(p)
            total += p.data.size
        return total

    def build_abstract(self, arch, input_shape):
        """MXNet: every layer's ``in_units`` declared and no ``initialize()``: every
        shape known, no value, ``data()`` refused."""
        net = self.build(arch, input_shape=input_shape)
        for _, p in net.unique():
            if "abstract-float64" in self.m:
                p.dtype = np.float64
        return self.initialize(net) if "abstract-allocates" in self.m else net

    def materialize_abstract(self, state):
        """MXNet ``initialize()``: every known shape is drawn now (a Table's buffer is
        what its construction computes); an unknown one stays deferred."""
        if "materialise-other-stream" in self.m:
            self.rng = np.random.default_rng(self.rng.integers(2 ** 31) + 1)
        if "abstract-lazy-draws" in self.m:
            for _, p in state.unique():
                p.shape = [d or 1 for d in p.shape]
        state = self.initialize(state)
        if "materialise-wide" in self.m:
            for _, p in state.unique():
                if p.role == "weight" and p.data is not None:
                    p.data = p.data * 2
        if "materialise-unties" in self.m:
            for layer in state.layers:
                layer.params = {r: copy.copy(p) for r, p in layer.params.items()}
        if "materialise-partial" in self.m:
            state.layers[-1].params["weight"].data = None
        if "materialise-skips-table" in self.m:
            for layer in state.layers:
                if layer.kind == "table":
                    layer.params["table"].data = np.zeros(layer.params["table"].shape,
                                                          np.float32)
        return state

    def tie(self, state, src, dst):
        """The reference ties one parameter: ``dst``'s layer uses ``src``'s Parameter
        (what MXNet 1.9.1 refuses: capability parameter_tie there is False)."""
        (i, role), (j, role_b) = (pid.split(".") for pid in (src, dst))
        if "tie-ignored" in self.m:
            return state
        state.layers[int(j)].params[role_b] = state.layers[int(i)].params[role]
        return state

    def shard_init(self, arch, input_shape, seed):
        """The semantics: a sharded initialization is the whole initialization, each
        device holding a block of rows (``shards-redraw``: each block drawn anew from
        the same seed, as if it were the whole)."""
        def whole():
            self.seed(seed)
            net = self.initialize(self.build(arch, input_shape=input_shape))
            return {pid: p.data.copy() for pid, p in net.ids().items() if pid.endswith("weight")}
        full = whole()
        shards = {pid: np.split(w, 2, axis=int("shards-by-column" in self.m))
                  for pid, w in full.items()}
        if "shards-redraw" in self.m:
            again = whole()
            shards = {pid: [again[pid][:len(w) // 2]] * 2 for pid, w in full.items()}
        return {"whole": full, "shards": shards}

    def memory_bytes(self, state):
        """The bytes of the parameters that hold a value (``data()`` exists)."""
        return sum(p.data.nbytes for _, p in state.unique() if p.data is not None)

    def build_eager(self, arch):
        """MXNet: Parameters made with ``allow_deferred_init=False``."""
        net = self.build(arch)
        for layer in net.layers:
            for p in layer.params.values():
                p.allow_deferred = False
        if "eager-partial-infers" in self.m:
            width = None
            for node, layer in zip(leaves(arch), net.layers):
                if node.in_units is not None:
                    width = node.units
                elif width is not None:
                    layer.params["weight"].shape[1] = width
                    width = node.units
        return net

    def compile(self, state):
        """MXNet ``hybridize()``: a flag on the network; shapes are inferred at the
        first call."""
        if "compile-needs-shapes" in self.m and any(None in p.shape for _, p in state.unique()):
            raise DeferredInitializationError("cannot hybridize before shapes are known")
        state.compiled = True
        return state

    def cast(self, state, dtype):
        """MXNet ``Block.cast(dtype)``: present values and future initializations."""
        for _, p in state.unique():
            if p.data is not None:
                p.data = p.data.astype(dtype)
            elif "cast-ignores-deferred" in self.m:
                continue
            p.dtype = np.dtype(dtype)
        return state

    def doc_probe(self, claim):
        if claim not in DOC_ANSWERS:
            raise Unsupported("doc_probe", f"no documented answer for claim {claim!r}")
        answer = DOC_ANSWERS[claim]
        return f"not {answer}" if "docs-wrong" in self.m else answer


ADAPTER = ReferenceAdapter
