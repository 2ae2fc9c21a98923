"""MXNet 1.9 Gluon adapter: ``gluon.nn``, ``Block.initialize``, ``mxnet.init``.

The reference semantics come from this framework, so the mapping is direct and
stateful (every step returns the same network): ``build`` passes initializers as
``weight_initializer=`` / ``bias_initializer=`` and declared input sizes as
``in_units``; ``initialize`` is ``Block.initialize(init)``; ``materialize`` and
``forward`` call the network; ``reinitialize`` is ``initialize(init,
force_reinit=True)`` on the network, a layer, or one ``Parameter`` (where an
explicit ``init`` wins over the parameter's own). Reads are ``Parameter.data()``,
writes ``set_data``.

Two systems: ``mxnet`` (legacy mode: NDArray, an unknown dimension is 0) and
``mxnet-np`` (``npx.set_np()``, as d2l's MXNet tab runs it: ``mxnet.numpy``
arrays, an unknown dimension is -1); both report an unknown dimension as ``None``.
What differs is the array module (``nd`` or ``mx.np``) the adapter builds arrays
with. Each documentation claim is probed in the mode the env runs.

Around lazy initialization (the optional groups), what a Gluon user writes: ``gluon.Trainer`` over
``collect_params()`` stepped with ``trainer.step(1)`` after ``autograd.record`` and
``backward``; ``grad_req = "null"`` to freeze; ``copy.deepcopy`` / ``pickle`` of the
Block; the network called on ``mx.sym.var`` then ``infer_shape`` for shapes without
data; ``hybridize()``; ``Block.cast``. A layer the forward never calls (``Dense(unused=
True)``) is a registered child of a custom Block next to the Sequential body it runs.
"""
from __future__ import annotations

import copy
import os
import pickle
import re

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, nd, npx
from mxnet.gluon import nn
from mxnet.gluon.parameter import DeferredInitializationError

from adapters.interface import (CAPABILITIES, NO_VALUE_KINDS, Adapter, BatchNorm, Call, Conv2D,
                                Dense, Flatten, Group, MissingParameter, Table, Unsupported,
                                dispatch_claim, leaves, listing, render_layers)

ROLES = ("weight", "bias", "gamma", "beta", "table")


def _user_init(init, pid_of, numpy_mode=False):
    """The seeds' way to write an initializer: subclass and override _init_weight;
    ``pid_of(name)`` names the parameter MXNet hands it (an ``mx.np`` array in
    numpy mode: d2l's MyInit uses ``np.random.uniform`` and ``np.abs``)."""
    def uniform(low, high, shape):
        if numpy_mode:
            return mx.np.random.uniform(low, high, size=shape)
        return nd.random.uniform(low=low, high=high, shape=shape)

    class UserInit(mx.init.Initializer):
        def _init_weight(self, name, arr):
            init.log.append(Call(pid_of(str(name)), tuple(arr.shape)))
            if init.kind == "recording":
                arr[:] = uniform(-0.5, 0.5, arr.shape)
            else:  # the seeds' MyInit, verbatim
                arr[:] = uniform(-10, 10, arr.shape)
                arr *= (mx.np.abs(arr) if numpy_mode else arr.abs()) >= 5

    return UserInit()


class TableBlock(nn.HybridBlock):
    """Arch ``Table``: a constant computed when the block is constructed
    (``arange``), the Gluon way: ``params.get_constant`` (not trained)."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            arange = mx.np.arange if mx.util.is_np_array() else nd.arange
            self.table = self.params.get_constant("table", arange(units))

    def hybrid_forward(self, F, x, table):
        return x + table.reshape((1, -1))


class WithUnused(nn.Block):
    """A network with layers it never calls: the Sequential ``body`` its forward runs,
    and ``unused``, a Sequential of layers registered as its children (their
    Parameters are the network's: ``collect_params``, ``initialize``, ``save``)."""

    def __init__(self, body, unused):
        super().__init__()
        self.body, self.unused = body, unused

    def forward(self, x):
        return self.body(x)


class EagerDense(nn.HybridBlock):
    """A dense layer the Gluon custom-layer way (``self.params.get`` in a
    HybridBlock), its Parameters refusing deferral (``allow_deferred_init=False``,
    the default of ``gluon.Parameter``; ``nn.Dense`` passes True and has no argument
    for it). An unknown input size is ``in_units=0``, as ``nn.Dense`` spells it."""

    def __init__(self, units, activation=None, in_units=0, weight_initializer=None,
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self._units, self._activation = units, activation
        with self.name_scope():
            self.weight = self.params.get("weight", shape=(units, in_units),
                                          init=weight_initializer, allow_deferred_init=False)
            self.bias = self.params.get("bias", shape=(units,), init=bias_initializer,
                                        allow_deferred_init=False)

    def hybrid_forward(self, F, x, weight, bias):
        numpy_mode = mx.util.is_np_array()
        fc = F.npx.fully_connected if numpy_mode else F.FullyConnected
        y = fc(x, weight, bias, num_hidden=self._units, flatten=True)
        if self._activation:
            y = (F.npx.activation if numpy_mode else F.Activation)(y, act_type=self._activation)
        return y


def _children(block):
    """The blocks ``path`` indices count: a Sequential's items; the body's, then
    the unused layers', of a WithUnused network."""
    if isinstance(block, WithUnused):
        return _children(block.body) + _children(block.unused)
    return [block[i] for i in range(len(block))]


def _layers(block):
    """Parameterised blocks in arch order, descending into Sequential (the unused
    layers of a WithUnused network last)."""
    if isinstance(block, WithUnused):
        return _layers(block.body) + _layers(block.unused)
    if isinstance(block, nn.Sequential):
        return [leaf for i in range(len(block)) for leaf in _layers(block[i])]
    return [block] if any(isinstance(getattr(block, r, None), mx.gluon.Parameter)
                          for r in ROLES) else []


def _dense_only(arch):
    return all(isinstance(n, (Dense, Table)) or (isinstance(n, Group) and _dense_only(n.layers))
               for n in arch)


class MXNetAdapter(Adapter):
    name = "mxnet"
    capabilities = {**{cap: spec[1] for cap, spec in CAPABILITIES.items()},
                    # Gluon 1.x shares whole blocks (params= at construction): setting
                    # one block's Parameter attribute to another's asserts
                    "parameter_tie": False}
    numpy_mode = False

    def _array(self, x, dtype=None):
        """An array of this mode: ``nd.array`` (legacy) or ``mx.np.array``."""
        return (mx.np if self.numpy_mode else nd).array(x, dtype=dtype)

    def framework_version(self):
        return mx.__version__

    def framework_config(self):
        return {"numpy_shape": bool(mx.util.is_np_shape()),
                "numpy_array": bool(mx.util.is_np_array())}

    def seed(self, n):
        mx.random.seed(n)

    # -- lifecycle -------------------------------------------------------------
    def build(self, arch, input_shape=None, weight_init=None, bias_init=None):
        if input_shape is not None and not _dense_only(arch):
            raise Unsupported("build/input_shape", "Gluon declares input sizes per layer "
                              "(in_units, in_channels); only Dense stacks are mapped")
        return self._build(arch, input_shape, weight_init, bias_init, nn.Dense)

    def _build(self, arch, input_shape, weight_init, bias_init, dense):
        """``arch`` as an ``nn.Sequential`` of ``dense(units, ...)`` layers (a
        WithUnused network when it has unused layers)."""
        arch = tuple(arch)
        used = len(arch)
        while used and isinstance(arch[used - 1], Dense) and arch[used - 1].unused:
            used -= 1
        if any(node.unused for node in leaves(arch[:used]) if isinstance(node, Dense)):
            raise Unsupported("build/unused", "unused layers are registered after the "
                              "body the forward runs: write them last, at the top level")
        width = int(np.prod(input_shape)) if input_shape is not None else None
        shared, counter = {}, iter(range(10 ** 6))

        def native(init, index, role):
            return self._native(init, lambda _name: f"{index}.{role}") if init else None

        def make(node):
            nonlocal width
            if isinstance(node, Group):
                seq = nn.Sequential()
                seq.add(*[make(n) for n in node.layers])
                return seq
            if isinstance(node, Flatten):
                return nn.Flatten()
            if isinstance(node, BatchNorm):
                next(counter)
                return nn.BatchNorm()
            if isinstance(node, Table):
                next(counter)
                return TableBlock(node.units)
            i = next(counter)
            inits = {"weight_initializer": native(weight_init, i, "weight"),
                     "bias_initializer": native(bias_init, i, "bias") or "zeros"}
            if isinstance(node, Conv2D):
                return nn.Conv2D(node.channels, kernel_size=node.kernel, strides=node.stride,
                                 **inits)
            if node.unused:  # not on the data path: only its own in_units
                in_units = node.in_units or 0
            else:
                in_units = node.in_units or width or 0
                width = node.units if width else None
            act = "relu" if node.relu else None
            if node.share in shared:  # the seeds' way: params=shared.params; Gluon asserts
                first, inits = shared[node.share]  # the same initializers as the first use
                return dense(node.units, act, in_units=in_units, params=first.params, **inits)
            layer = dense(node.units, act, in_units=in_units, **inits)
            if node.share:
                shared[node.share] = (layer, inits)
            return layer

        net = nn.Sequential()
        net.add(*[make(n) for n in arch[:used]])
        if used == len(arch):
            return net
        unused = nn.Sequential()
        unused.add(*[make(n) for n in arch[used:]])
        return WithUnused(net, unused)

    def initialize(self, model, init=None):
        if init is None:
            model.initialize()
        else:
            model.initialize(self._native(init, self._pid_by_name(model)))
        return model

    def materialize(self, state, x):
        state(self._array(x, x.dtype))
        return state

    def forward(self, state, x):
        return state(self._array(x, x.dtype)).asnumpy(), state

    def backward_sum(self, state, x):
        with autograd.record():
            out = state(self._array(x, x.dtype))
        out.backward()
        return {pid: p.grad().asnumpy() for pid, p in self._params(state).items()}

    def reinitialize(self, state, init, target=None):
        if target is None:
            state.initialize(self._native(init, self._pid_by_name(state)), force_reinit=True)
        elif isinstance(target, int):
            _layers(state)[target].initialize(self._native(init, self._pid_by_name(state)),
                                              force_reinit=True)
        else:
            self._param(state, target).initialize(
                init=self._native(init, lambda _name: target), force_reinit=True)
        return state

    def _native(self, init, pid_of):
        if init.user_defined:
            return _user_init(init, pid_of, self.numpy_mode)
        return {"default": lambda: mx.init.Uniform(), "zeros": lambda: mx.init.Zero(),
                "constant": lambda: mx.init.Constant(init.value),
                "normal": lambda: mx.init.Normal(init.value),
                "uniform": lambda: mx.init.Uniform(init.value),
                "xavier": lambda: mx.init.Xavier()}[init.kind]()

    # -- observation -----------------------------------------------------------
    def _params(self, net):
        return {f"{i}.{role}": getattr(layer, role) for i, layer in enumerate(_layers(net))
                for role in ROLES if isinstance(getattr(layer, role, None), mx.gluon.Parameter)}

    def _pid_by_name(self, net):
        names = {p.name: pid for pid, p in reversed(list(self._params(net).items()))}
        return lambda name: names.get(name, name)

    def _param(self, net, pid):
        try:
            return self._params(net)[pid]
        except KeyError:
            raise MissingParameter(f"no parameter {pid!r}") from None

    def _pid_of(self, net, param):
        return next(pid for pid, p in self._params(net).items() if p is param)

    def param_ids(self, state):
        return list(self._params(state))

    def param_shape(self, state, pid):
        return tuple(None if d in (0, -1) else d for d in self._param(state, pid).shape)

    def param_dtype(self, state, pid):
        return np.dtype(self._param(state, pid).dtype).name

    def read_param(self, state, pid):
        return self._param(state, pid).data().asnumpy()

    def write_param(self, state, pid, value):
        self._param(state, pid).set_data(self._array(value))
        return state

    def inplace_add(self, state, pid, delta):
        self._param(state, pid).data()[:] += delta

    def same_parameter(self, state, pid_a, pid_b):
        return self._param(state, pid_a) is self._param(state, pid_b)

    def native_name(self, state, pid):
        return self._param(state, pid).name

    def role_name(self, role):
        return role

    def nested_lookup(self, state, path, role):
        block = state
        for i in path:
            block = _children(block)[i]
        return self._pid_of(state, getattr(block, role))

    def select_params(self, state, pattern):
        return [self._pid_of(state, p) for p in state.collect_params(pattern).values()]

    def layout(self):
        return "NCHW"

    # -- persistence -----------------------------------------------------------
    def save(self, state, directory):
        path = os.path.join(directory, "net.params")
        state.save_parameters(path)
        return path

    def load(self, state, path):
        state.load_parameters(path)  # MXNet's own NDArray format: no pickle
        return state

    # -- around lazy initialization: the optional GROUPS -------------------------
    def make_optimizer(self, state, kind, lr):
        """``gluon.Trainer(net.collect_params(), kind, {"learning_rate": lr})``; MXNet's
        SGD has no momentum and no weight decay unless asked (said explicitly here)."""
        options = {"sgd": {"learning_rate": lr, "momentum": 0.0, "wd": 0.0},
                   "adagrad": {"learning_rate": lr}}
        if kind not in options:
            raise Unsupported(f"make_optimizer/{kind}", "only sgd and adagrad are mapped")
        return gluon.Trainer(state.collect_params(), kind, options[kind])

    def train_step(self, state, opt, x):
        """``autograd.record()`` + ``backward()`` of the output (head gradient ones:
        the gradient of its sum) + ``trainer.step(1)`` (rescale 1: w - lr * grad)."""
        with autograd.record():
            out = state(self._array(x, x.dtype))
        out.backward()
        opt.step(1)
        return state, opt

    def freeze(self, state, target, way="layer"):
        """``layer``: ``layer.collect_params().setattr("grad_req", "null")`` (the
        layer's own call); ``parameter``: ``p.grad_req = "null"`` on each of its
        parameters. Both before or after the shapes are known (MXNet's docstring)."""
        params = _layers(state)[target].collect_params()
        if way == "layer":
            params.setattr("grad_req", "null")
        elif way == "parameter":
            for p in params.values():
                p.grad_req = "null"
        else:
            raise Unsupported(f"freeze/{way}", "MXNet freezes by grad_req: the layer's "
                              "collect_params().setattr or each Parameter's grad_req")
        return state

    def copy(self, state, how):
        if how == "deepcopy":
            return copy.deepcopy(state)
        if how == "pickle":
            return pickle.loads(pickle.dumps(state))
        raise Unsupported(f"copy/{how}", "only deepcopy and pickle are mapped")

    def output_shape(self, state, input_shape):
        """The network called on ``mx.sym.var("data")`` (``as_np_ndarray()`` in numpy
        mode), then ``Symbol.infer_shape(data=input_shape)``; ``None`` where MXNet
        cannot decide the output shape (it warns and returns None)."""
        data = mx.sym.var("data")
        if self.numpy_mode:
            data = data.as_np_ndarray()
        _, out_shapes, _ = state(data).infer_shape(data=tuple(input_shape))
        return None if out_shapes is None else tuple(out_shapes[0])

    def count_params(self, state):
        """``sum(p.data().size for p in net.collect_params().values())``: Gluon has
        no count of its own; ``data()`` raises while a parameter has no value."""
        return int(sum(p.data().size for p in state.collect_params().values()))

    def build_eager(self, arch):
        if not _dense_only(arch):
            raise Unsupported("build_eager/layers", "nn.Conv2D and nn.BatchNorm create "
                              "their Parameters with allow_deferred_init=True and take no "
                              "argument to refuse deferral; only Dense stacks are mapped "
                              "(to a custom HybridBlock with allow_deferred_init=False)")
        return self._build(arch, None, None, None, EagerDense)

    def build_abstract(self, arch, input_shape):
        """Every layer's ``in_units`` declared (``build(input_shape=)``) and no
        ``initialize()``: Gluon knows every shape and has allocated nothing; ``data()``
        refuses ("has not been initialized")."""
        return self.build(arch, input_shape=input_shape)

    def tie(self, state, src, dst):
        raise Unsupported("tie", "Gluon 1.x shares parameters per block (params= at "
                          "construction); Block.__setattr__ asserts \"Overriding Parameter "
                          "attribute is not allowed\", and a shared ParameterDict of one "
                          "Parameter clashes by name in collect_params")

    def materialize_abstract(self, state):
        """``initialize()``: Gluon draws every value whose shape is declared now; one
        still unknown (a lazy abstract build) stays deferred to the first data."""
        return self.initialize(state)

    def memory_bytes(self, state):
        """Bytes of the Parameters whose ``data()`` exists (a Parameter never
        initialized raises there: it has allocated nothing)."""
        total = 0
        for p in state.collect_params().values():
            try:
                data = p.data()
            except Exception as exc:  # noqa: BLE001 - the framework's "no value yet"
                if self.classify_error(exc) not in NO_VALUE_KINDS:
                    raise
                continue
            total += data.size * np.dtype(data.dtype).itemsize
        return int(total)

    def compile(self, state):
        state.hybridize()
        return state

    def cast(self, state, dtype):
        state.cast(dtype)
        return state

    # -- reports (optional, Adapter.source) ---------------------------------------
    def source(self, arch, input_shape):
        """``build``'s blocks as code: ``nn.Dense(units, activation, in_units=)``,
        ``nn.Conv2D``, ``nn.BatchNorm``, ``nn.Flatten``; a tied layer's later use is a
        new block given the first one's ``params`` (the seeds' way)."""
        def layer(node):
            if isinstance(node, (Flatten, BatchNorm)):
                return f"nn.{type(node).__name__}()", [], ""
            if isinstance(node, Conv2D):
                stride = f", strides={node.stride}" if node.stride != 1 else ""
                return f"nn.Conv2D({node.channels}, kernel_size={node.kernel}{stride})", [], ""
            extra = "".join([', activation="relu"'] * node.relu +
                            [f", in_units={node.in_units}"] * (node.in_units is not None))
            return f"nn.Dense({node.units}{extra})", [], ""

        rendered = render_layers(arch, layer,
                                 reuse=lambda name, make: f"{make[:-1]}, params={name}.params)")
        if rendered is None:
            return None
        setup, items = rendered
        if mx.util.is_np_array():
            head = ["from mxnet import np, npx", "from mxnet.gluon import nn", "",
                    "npx.set_np()"]
            x = f"x = np.random.uniform(size={tuple(input_shape)})"
        else:
            head = ["from mxnet import nd", "from mxnet.gluon import nn", ""]
            x = f"x = nd.random.uniform(shape={tuple(input_shape)})"
        return "\n".join([*head, *setup, "net = nn.Sequential()",
                          listing("net.add(", items, ")"), "net.initialize()", x,
                          "y = net(x)"])

    # -- errors and documentation claims ------------------------------------------
    def classify_error(self, exc):
        text = str(exc)
        if isinstance(exc, DeferredInitializationError):
            return "deferred-init"
        if isinstance(exc, MissingParameter):
            return "missing"
        if isinstance(exc, (RuntimeError, AssertionError)) and "has not been initialized" in text:
            return "not-initialized"
        if isinstance(exc, mx.base.MXNetError):
            if "->dtype() ==" in text:  # "Check failed: outputs[i]->dtype() == out_types[i]
                return "dtype-mismatch"  # (1 vs. 0) : 0-th output has invalid shape..."
            if "shape" in text.lower():  # "Shape inconsistent, Provided = [256,20], ..."
                return "shape-mismatch"
            if "expected float" in text or "dtype" in text.lower():
                return "dtype-mismatch"
        return "other"

    def doc_probe(self, claim):
        return dispatch_claim(self, claim, "MXNet")

    def _mlp(self, in_units=0):
        net = nn.Sequential()
        net.add(nn.Dense(256, activation="relu", in_units=in_units), nn.Dense(10))
        return net

    # claims of the Gluon tutorials (legacy mode)
    def _claim_mxnet_unknown_dim_shown_as_none(self):
        return re.search(r"Dense\((\S+) -> 256", str(self._mlp())).group(1)

    def _claim_mxnet_data_before_initialize_raises(self):
        try:
            self._mlp()[0].weight.data()
        except Exception as exc:  # noqa: BLE001 - the claim is about the class
            return type(exc).__name__
        return "no error"

    def _claim_mxnet_default_init(self):
        net = self._mlp()
        net.initialize()
        net(self._array(np.ones((2, 20), np.float32)))
        return [float(np.abs(net[0].weight.data().asnumpy()).max()) <= 0.07,
                bool((net[0].bias.data().asnumpy() == 0).all())]

    def _claim_mxnet_constant_one_sets_all(self):
        net = self._mlp(in_units=20)
        net[1]._in_units = 256
        net.initialize(mx.init.Constant(1))
        net(self._array(np.ones((2, 20), np.float32)))
        return all(bool((p.data().asnumpy() == 1).all()) for p in self._params(net).values())

    def _claim_mxnet_grad_zero_before_backward(self):
        net = self._mlp(in_units=20)
        net.initialize()
        return bool((net[0].weight.grad().asnumpy() == 0).all())

    # claims of d2l's MXNet tab (written for numpy mode: npx.set_np())
    def _claim_mxnet_unknown_dim_is_minus_one(self):
        return self._mlp()[0].weight.shape[1]

    def _claim_mxnet_initialize_changes_nothing(self):
        net = self._mlp()
        before = str(net.collect_params())
        net.initialize()
        return str(net.collect_params()) == before

    def _claim_mxnet_initialize_initializes_nothing(self):
        """The parameters whose ``data()`` returns a value after ``initialize()``
        without data (logical ids); the others raise DeferredInitializationError."""
        net = self._mlp()
        net.initialize()
        held = []
        for i, layer in enumerate((net[0], net[1])):
            for role in ("weight", "bias"):
                try:
                    getattr(layer, role).data()
                except mx.gluon.parameter.DeferredInitializationError:
                    continue
                held.append(f"{i}.{role}")
        return held

    def _claim_mxnet_listing_after_forward(self):
        net = self._mlp()
        net.initialize()
        net(self._array(np.ones((2, 20), np.float32)))
        return re.sub(r"^Parameter \S+ ", "", str(net[0].weight))


class MXNetNumpyAdapter(MXNetAdapter):
    """MXNet 1.9 in numpy mode, as d2l's MXNet tab runs it (``npx.set_np()``)."""

    name = "mxnet-np"
    numpy_mode = True

    def __init__(self):
        npx.set_np()


ADAPTER = MXNetAdapter
