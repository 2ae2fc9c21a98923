"""Keras adapter: ``keras.Sequential`` of ``keras.layers``, for four systems.

One module serves four systems, chosen by the process environment before Keras is
imported (``adapters.ENVIRONMENT`` sets it for ``--framework``); what differs is
explicit and small:

* ``tf``: Keras 3, ``KERAS_BACKEND=tensorflow`` -- the common path;
* ``keras-jax``: Keras 3 on JAX -- gradients by ``stateless_call`` + ``jax.grad``;
* ``keras-torch``: Keras 3 on PyTorch -- gradients by ``torch.autograd.grad``;
* ``tf-keras``: Keras 2, d2l's ``tf.keras`` (``TF_USE_LEGACY_KERAS=1``, the tf-keras
  package) -- no ``keras.ops`` (arrays via TensorFlow), a variable's path is its
  ``name``, its dtype a ``tf.DType``.

Keras creates no weight before a layer is built (its first call, ``Layer.build``,
or a ``keras.Input`` at the head of a ``Sequential``, which builds every layer at
construction): before that a parameter does not exist (``missing``). Keras has no
initialize step: each layer takes its initializers at construction
(``kernel_initializer=``/``bias_initializer=``, a ``keras.initializers`` object or
a user ``keras.initializers.Initializer`` subclass), and ``build()`` reads them.
Re-initializing a built weight is ``Variable.assign(initializer(shape, dtype))``;
before build it is setting the attribute ``build()`` reads. A single layer declares
its input size by being built on it (``Layer.build((None, in_units))``), the next
layer staying lazy. Keras ties by reusing a layer object.

A layer the forward never calls (``Dense(unused=True)``) is an attribute of a
subclassed model (``_Chain``) that its ``call`` skips. Once ``model.compile()`` has
been called (``compile``), ``materialize``/``forward`` run the compiled predict
function (``predict_on_batch``) instead of the eager call.

Keras stores kernels as (in, out) / (kh, kw, in, out) and images as NHWC (the
default ``image_data_format``): shapes and values cross the interface in the
reference layout, ``forward`` takes NCHW and transposes.
"""
from __future__ import annotations

import copy as copy_module
import io
import os
import pickle
import re

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
KERAS_2 = os.environ.get("TF_USE_LEGACY_KERAS", "").lower() in ("1", "true")

import numpy as np  # noqa: E402

if KERAS_2:  # what d2l's TensorFlow tab calls tf.keras: Keras 2, the tf-keras package
    import tensorflow as tf
    import tf_keras

    keras = tf.keras
    VERSION = tf_keras.__version__
else:
    import keras

    VERSION = keras.__version__
BACKEND = keras.backend.backend()
SYSTEM = "tf-keras" if KERAS_2 else {"tensorflow": "tf", "jax": "keras-jax",
                                     "torch": "keras-torch"}.get(BACKEND, f"keras-{BACKEND}")

from adapters.interface import (GROUPS, Adapter, BatchNorm, Call, Conv2D,  # noqa: E402
                                Dense, Flatten, Group, MissingParameter, Table, Unsupported,
                                dispatch_claim, leaves, listing, render_layers)

TO_REF = {2: (1, 0), 4: (3, 2, 0, 1)}    # Keras axis order -> reference axis order
FROM_REF = {2: (1, 0), 4: (2, 3, 1, 0)}


class TableLayer(keras.layers.Layer):
    """Arch ``Table``: a non-trainable weight holding ``arange(units)``, made in
    ``build`` the Keras way (``add_weight`` with a ``Constant`` initializer)."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.table = self.add_weight(
            name="table", shape=(self.units,), trainable=False,
            initializer=keras.initializers.Constant(np.arange(self.units, dtype="float32")))

    def call(self, x):
        return x + self.table


PARAM_LAYERS = (keras.layers.Dense, keras.layers.Conv2D, keras.layers.BatchNormalization,
                TableLayer)


def _roles(layer):
    """role -> Keras attribute name, in the reference's order."""
    if isinstance(layer, TableLayer):
        return {"table": "table"}
    if isinstance(layer, keras.layers.BatchNormalization):
        return {"gamma": "gamma", "beta": "beta"}
    return {"weight": "kernel", "bias": "bias"}


def _ref_shape(shape):
    shape = tuple(shape)
    return tuple(shape[i] for i in TO_REF[len(shape)]) if len(shape) in TO_REF else shape


def _ref_value(value):
    return value.transpose(TO_REF[value.ndim]).copy() if value.ndim in TO_REF else value


def _native_value(value):
    return value.transpose(FROM_REF[value.ndim]) if value.ndim in FROM_REF else value


def _numpy(tensor) -> np.ndarray:
    """A backend tensor or variable as a numpy array (Keras 2 has no ``keras.ops``)."""
    return np.asarray(tensor) if KERAS_2 else keras.ops.convert_to_numpy(tensor)


def _tensor(data, dtype):
    return (tf.convert_to_tensor(data, dtype=dtype) if KERAS_2
            else keras.ops.convert_to_tensor(data, dtype=dtype))


def _dtype_name(var) -> str:
    """Keras 3 variables carry the dtype name, Keras 2 (tf.Variable) a tf.DType."""
    return getattr(var.dtype, "name", None) or str(var.dtype)


def _gradients(model, x, variables) -> list:
    """d sum(model(x)) / d v for each of ``variables``, with the backend's own
    autodiff (Keras 3 has no backend-neutral gradient API)."""
    if BACKEND == "jax":
        import jax

        trainable, rest = model.trainable_variables, model.non_trainable_variables

        def total(values):
            y, _ = model.stateless_call(values, [v.value for v in rest], x, training=True)
            return jax.numpy.sum(y)

        grads = dict(zip(map(id, trainable), jax.grad(total)([v.value for v in trainable])))
        return [grads.get(id(v)) for v in variables]
    if BACKEND == "torch":
        import torch

        loss = model(x, training=True).sum()
        return list(torch.autograd.grad(loss, [v.value for v in variables], allow_unused=True))
    import tensorflow as tf_

    with tf_.GradientTape() as tape:
        loss = tf_.reduce_sum(model(x, training=True))
    return tape.gradient(loss, variables)


class _UserInit(keras.initializers.Initializer):
    """A user-defined initializer through Keras's extension point
    (``keras.initializers.Initializer``): the seeds' MyInit or a recording one."""

    def __init__(self, init, pid, rng):
        self.init, self.pid, self.rng = init, pid, rng

    def __call__(self, shape, dtype=None):
        self.init.log.append(Call(self.pid, _ref_shape(shape), drew=True))
        if self.init.kind == "recording":
            data = self.rng.uniform(-0.5, 0.5, shape)
        else:
            data = self.rng.uniform(-10, 10, shape)
            data = data * (np.abs(data) >= 5)
        return _tensor(data, dtype or "float32")


class _Chain(keras.Model):
    """A subclassed model calling its layers in order: Keras 2's way to apply one
    layer twice, lazily (Keras 2's Sequential removes a repeated layer instance --
    d2l's TensorFlow tab: "tf.keras ... removes the duplicate layer automatically"),
    and every Keras's way to hold a layer the forward never calls (``unused``: an
    attribute of the model, tracked as its layer, never called)."""

    def __init__(self, steps, unused=()):
        super().__init__()
        self.steps = list(steps)
        self.unused = list(unused)

    def call(self, x, training=False):
        for step in self.steps:
            x = step(x, training=training)
        return x


def _children(layer) -> list:
    """A container's layers in call order, a reused layer at each use, then the
    layers it holds but never calls (``_Chain.unused``, last as in the arch)."""
    if isinstance(layer, _Chain):
        return list(layer.steps) + list(layer.unused)
    return layer.layers


def _walk(layer):
    """The parameterised layers in forward order (a reused layer at each use), the
    never-called ones last."""
    for child in _children(layer):
        if isinstance(child, (keras.Sequential, _Chain)):
            yield from _walk(child)
        elif isinstance(child, PARAM_LAYERS):
            yield child


def _all_layers(layer):
    """``layer`` and every layer inside it, each once (containers included)."""
    seen, todo = set(), [layer]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, (keras.Sequential, _Chain)):
            todo += _children(current)


def _compiled(model) -> bool:
    """Whether ``model.compile()`` has been called: the framework's own flag
    (Keras 3 ``Model.compiled``, Keras 2 ``Model._is_compiled``)."""
    # Keras 2 has no public flag: its private one read without a default, so a release
    # that lacks it is the adapter's AttributeError, never "not compiled"
    return bool(model._is_compiled if KERAS_2 else getattr(model, "compiled", False))


def _is_image(model):
    return any(isinstance(layer, keras.layers.Conv2D) for layer in _walk(model))


class KerasAdapter(Adapter):
    name = SYSTEM
    capabilities = {
        "params_before_data": "none",       # Layer.build creates the variables
        "init_step": "none",                # initializers are given at construction
        "model_wide_initializer": False,    # no API takes one initializer for a model
        "per_layer_input": True,            # Layer.build((None, in_units)) on one layer
        "model_input": True,                # keras.Input builds every layer at once
        "mutable_in_place": True,           # Variable.assign / assign_add
        "name_selection": "none",           # no regex selection of variables
        # Keras 3 Variable.trainable has a setter that trainable_variables honours;
        # Keras 2's tf.Variable.trainable is fixed at creation (no setter)
        "trainable_flag": not KERAS_2,
        # Keras 3 ties by reusing a layer (Dense.kernel is a read-only property); in
        # Keras 2 kernel is a plain attribute: b.kernel = a.kernel ties (probed)
        "parameter_tie": KERAS_2,
        "deferred_input": True,             # Dense(units) is built on its first input
    }
    #: Keras 2 has no abstract build (no StatelessScope; tf.Variable allocates at
    #: creation): the group abstract-build is Keras 3's only
    #: a sharded initializer: Keras 3 on JAX (keras.distribution) and Keras 2 (DTensor);
    #: the tensorflow backend's Variable has no layout hook, the torch backend no
    #: distribution_lib
    groups = tuple(g for g in GROUPS if not (KERAS_2 and g == "abstract-build")
                   and not (g == "sharded" and not KERAS_2 and BACKEND != "jax"))

    def __init__(self):
        self.rng = np.random.default_rng(0)

    # -- identity --------------------------------------------------------------
    def framework_version(self):
        return VERSION

    def framework_config(self):
        return {"backend": BACKEND, "image_data_format": keras.backend.image_data_format()}

    def seed(self, n):
        keras.utils.set_random_seed(n)
        self.rng = np.random.default_rng(n)

    def layout(self):
        return "NHWC" if keras.backend.image_data_format() == "channels_last" else "NCHW"

    # -- initializers ----------------------------------------------------------
    def _native_init(self, init, pid, role):
        """A fresh Keras initializer for ``init`` (fresh: an unseeded Keras
        initializer instance repeats its values when called again)."""
        if init.user_defined:
            return _UserInit(init, pid, self.rng)
        kind = init.kind
        if kind == "default":  # Keras's own default for the role (Dense/Conv2D)
            kind = "zeros" if role in ("bias", "beta") else "ones" if role == "gamma" else "glorot"
        if kind == "zeros":
            return keras.initializers.Zeros()
        if kind == "ones":
            return keras.initializers.Ones()
        if kind == "constant":
            return keras.initializers.Constant(init.value)
        if kind == "normal":
            return keras.initializers.RandomNormal(stddev=init.value)
        if kind == "uniform":
            return keras.initializers.RandomUniform(-init.value, init.value)
        if kind in ("xavier", "glorot"):  # MXNet Xavier() = uniform, fan avg, magnitude 3
            return keras.initializers.GlorotUniform()
        raise Unsupported(f"initializer/{init.kind}", "no Keras initializer for this kind")

    # -- construction ----------------------------------------------------------
    def build(self, arch, input_shape=None, weight_init=None, bias_init=None):
        head = None
        if input_shape is not None:
            shape = tuple(input_shape)
            if len(shape) == 3 and self.layout() == "NHWC":
                shape = (shape[1], shape[2], shape[0])
            head = shape
        return self._construct(arch, head, weight_init, bias_init)

    def _construct(self, arch, head, weight_init=None, bias_init=None):
        """The network of ``arch``; ``head``: the shape of a ``keras.Input`` put first
        (Keras layout, without the batch axis), or ``None``."""
        shared, counter, unused = {}, [0], []

        def inits(pid_layer):
            kwargs = {}
            if weight_init is not None:
                kwargs["kernel_initializer"] = self._native_init(
                    weight_init, f"{pid_layer}.weight", "weight")
            if bias_init is not None:
                kwargs["bias_initializer"] = self._native_init(
                    bias_init, f"{pid_layer}.bias", "bias")
            return kwargs

        def make(node, top):
            if isinstance(node, Group):
                return keras.Sequential([make(n, False) for n in node.layers])
            if isinstance(node, Flatten):
                return keras.layers.Flatten()
            index = counter[0]
            counter[0] += 1
            if isinstance(node, BatchNorm):
                return keras.layers.BatchNormalization()
            if isinstance(node, Table):
                return TableLayer(node.units)
            if isinstance(node, Conv2D):
                return keras.layers.Conv2D(node.channels, node.kernel, strides=node.stride,
                                           **inits(index))
            if node.unused and not top:
                raise Unsupported("build/unused-in-group", "a Keras Sequential calls every "
                                  "layer it holds; only a subclassed model holds one it "
                                  "never calls")
            if node.share and node.share in shared:
                return shared[node.share]  # Keras ties by reusing the layer
            layer = keras.layers.Dense(node.units, activation="relu" if node.relu else None,
                                       **inits(index))
            if node.in_units is not None:  # this layer alone is built on its input size
                layer.build((None, node.in_units))
            if node.share:
                shared[node.share] = layer
            return layer

        layers = []
        for node in arch:
            layer = make(node, True)
            (unused if isinstance(node, Dense) and node.unused else layers).append(layer)
        tied = KERAS_2 and any(leaf.share for leaf in leaves(arch) if isinstance(leaf, Dense))
        if unused or tied:
            if head is not None and tied:
                raise Unsupported("build/input_shape+share", "Keras 2 applies a layer twice "
                                  "only in a subclassed or functional model, not after an "
                                  "Input in a Sequential")
            model = _Chain(layers, unused)
            if head is not None:  # a subclassed model is built on a declared shape
                model.build((None, *head))
            return model
        if head is not None:
            layers = [keras.Input(head)] + layers
        return keras.Sequential(layers)

    def initialize(self, model, init=None):
        if init is not None:
            raise Unsupported("initialize/model-wide", "Keras has no initialize step and no "
                              "model-wide initializer: each layer takes kernel_initializer= "
                              "at construction")
        return model

    def materialize(self, state, x):
        # the seeds' way: the first call builds every layer (Sequential.build(shape)
        # would skip the input's own dtype/shape handling the checks measure); a
        # compiled model's first call is its compiled predict function
        self._call(state, self._input(state, x))
        return state

    @staticmethod
    def _call(model, x):
        """Inference: ``predict_on_batch`` (the predict function ``compile`` set up,
        XLA / torch.compile with ``jit_compile``) once the model is compiled, else
        the eager call."""
        if _compiled(model):
            return np.asarray(model.predict_on_batch(x))
        return _numpy(model(x, training=False))

    def _input(self, model, x):
        x = np.asarray(x)
        if x.ndim == 4 and _is_image(model) and self.layout() == "NHWC":
            return x.transpose(0, 2, 3, 1)
        return x

    def forward(self, state, x):
        return self._call(state, self._input(state, x)), state

    def backward_sum(self, state, x):
        params = self._params(state)
        unique = list({id(v): v for v in params.values()}.values())
        grads = dict(zip(map(id, unique), _gradients(state, self._input(state, x), unique)))
        return {pid: _ref_value(np.zeros(v.shape, np.float32) if grads[id(v)] is None
                                else _numpy(grads[id(v)]))
                for pid, v in params.items()}

    def reinitialize(self, state, init, target=None):
        layers = list(enumerate(_walk(state)))
        if isinstance(target, str):
            index, role = target.split(".")
            todo = [(int(index), layers[int(index)][1], role, True)]
        else:
            chosen = layers if target is None else [layers[target]]
            seen, todo = set(), []
            for i, layer in chosen:
                if id(layer) in seen:
                    continue
                seen.add(id(layer))
                todo += [(i, layer, role, role == "weight") for role in _roles(layer)]
        for i, layer, role, requested in todo:
            attr = _roles(layer)[role]
            pid = f"{i}.{role}"
            if requested:
                initializer = self._native_init(init, pid, role)
            else:  # routing: a bias (gamma, beta) keeps its own initializer
                initializer = getattr(layer, f"{attr}_initializer")
            if layer.built:
                var = getattr(layer, attr)
                var.assign(initializer(var.shape, var.dtype))
            elif requested:  # the attribute build() reads
                setattr(layer, f"{attr}_initializer", initializer)
        return state

    # -- observation -----------------------------------------------------------
    def _params(self, model):
        return {f"{i}.{role}": getattr(layer, attr) for i, layer in enumerate(_walk(model))
                if layer.built for role, attr in _roles(layer).items()}

    def _param(self, model, pid):
        params = self._params(model)
        if pid not in params:
            raise MissingParameter(f"no parameter {pid!r}: Keras creates weights when a "
                                   "layer is built")
        return params[pid]

    def param_ids(self, state):
        return list(self._params(state))

    def param_shape(self, state, pid):
        return _ref_shape(self._param(state, pid).shape)

    def param_dtype(self, state, pid):
        return _dtype_name(self._param(state, pid))

    def read_param(self, state, pid):
        return _ref_value(_numpy(self._param(state, pid)))

    def write_param(self, state, pid, value):
        self._param(state, pid).assign(_native_value(np.asarray(value, np.float32)))
        return state

    def inplace_add(self, state, pid, delta):
        var = self._param(state, pid)
        var.assign_add(np.full(var.shape, delta, np.float32))

    def same_parameter(self, state, pid_a, pid_b):
        return self._param(state, pid_a) is self._param(state, pid_b)

    def native_name(self, state, pid):
        var = self._param(state, pid)
        return var.name if KERAS_2 else var.path

    def role_name(self, role):
        return {"weight": "kernel"}.get(role, role)

    def nested_lookup(self, state, path, role):
        layer = state
        for i in path:
            layer = [c for c in _children(layer)
                     if isinstance(c, (keras.Sequential, _Chain, *PARAM_LAYERS))][i]
        if not layer.built:
            raise MissingParameter(f"no parameter at {path}: Keras creates weights when "
                                   "a layer is built")
        var = getattr(layer, _roles(layer)[role])
        return next(pid for pid, v in self._params(state).items() if v is var)

    def select_params(self, state, pattern):
        raise Unsupported("select_params/regex", "Keras has no regular-expression selection of "
                          "variables (model.weights, get_layer(name) only; LayoutMap and "
                          "exclude_from_weight_decay match paths for other purposes)")

    # -- persistence -----------------------------------------------------------
    def save(self, state, directory):
        """``model.save_weights`` in the format the version documents: Keras 3's
        ``.weights.h5``; Keras 2's HDF5 (``.h5``; its docstring names 'tf' and 'h5'
        -- its ``.weights.h5`` route, Keras 3's format, skips the unbuilt-model check
        that both documented formats make)."""
        path = os.path.join(directory, "net.h5" if KERAS_2 else "net.weights.h5")
        state.save_weights(path)
        return path

    def load(self, state, path):
        state.load_weights(path)  # HDF5 arrays: never unpickles
        return state

    # -- around lazy initialization: the optional GROUPS -------------------------
    def make_optimizer(self, state, kind, lr):
        """A Keras optimizer (``SGD``: momentum 0 by default; ``Adagrad`` with its
        defaults) built over ``model.trainable_variables`` as they are now -- an
        empty list before the first data. Keras 2 (tf.keras) has its own optimizer
        classes with the same names and ``build(var_list)``."""
        classes = {"sgd": keras.optimizers.SGD, "adagrad": keras.optimizers.Adagrad}
        if kind not in classes:
            raise Unsupported(f"make_optimizer/{kind}", "only sgd and adagrad are asked for")
        optimizer = classes[kind](learning_rate=lr)
        optimizer.build(state.trainable_variables)
        return optimizer

    def train_step(self, state, opt, x):
        """Gradients of ``sum(model(x, training=True))`` by the backend's autodiff,
        then the optimizer's update over ``model.trainable_variables``:
        ``apply_gradients`` (TensorFlow, torch, Keras 2); on JAX the stateless path
        of Keras's guide "Writing a training loop from scratch in JAX"
        (``stateless_call`` + ``jax.grad``, ``optimizer.stateless_apply``, then
        ``Variable.assign`` of the new values to the model and the optimizer)."""
        x = self._input(state, x)
        if not state.built:  # the first forward, where the variables come from
            state(x, training=False)
        variables = state.trainable_variables
        grads = _gradients(state, x, variables)
        if BACKEND == "jax" and not KERAS_2:
            values, opt_values = opt.stateless_apply(
                [v.value for v in opt.variables], grads, [v.value for v in variables])
            for var, value in zip(variables, values):
                var.assign(value)
            for var, value in zip(opt.variables, opt_values):
                var.assign(value)
        else:
            opt.apply_gradients(zip(grads, variables))
        return state, opt

    def freeze(self, state, target, way="layer"):
        """``layer``: ``layer.trainable = False`` on the ``target``-th parameterised
        layer. ``parameter``: ``variable.trainable = False`` on each of its
        ``layer.weights`` (Keras 3; ``trainable_variables`` honours it). An unbuilt
        layer has no variables to flag: Keras's fact, reported as missing, never
        skipped. Keras 2: Unsupported (``tf.Variable.trainable`` has no setter)."""
        layer = list(_walk(state))[target]
        if way == "layer":
            layer.trainable = False
        elif way == "parameter":
            if KERAS_2:
                raise Unsupported("freeze/parameter", "Keras 2 variables are tf.Variable, "
                                  "whose trainable is fixed at creation (no setter; "
                                  "add_weight(trainable=) only while building); the only "
                                  "native freeze is layer.trainable")
            if not layer.weights:
                raise MissingParameter(f"{layer.name} has no variables before it is built")
            for variable in layer.weights:
                variable.trainable = False
        else:
            raise Unsupported(f"freeze/{way}", "Keras freezes by layer.trainable or "
                              "Variable.trainable")
        return state

    def copy(self, state, how):
        """``copy.deepcopy(model)`` or ``pickle.loads(pickle.dumps(model))``: Keras 3
        models pickle through their own ``__reduce__`` (a ``.keras`` archive in
        memory), Keras 2 models through theirs (a SavedModel once built, the plain
        object before)."""
        if how == "deepcopy":
            return copy_module.deepcopy(state)
        if how == "pickle":
            # pickle.dumps, with pickle's pure-Python pickler (the same protocol):
            # an object that cannot be reduced then fails inside the pickling (the C
            # pickler would report Keras's unpicklable member from this file's frame)
            buffer = io.BytesIO()
            pickle._Pickler(buffer, pickle.DEFAULT_PROTOCOL).dump(state)
            return pickle.loads(buffer.getvalue())
        raise Unsupported(f"copy/{how}", "only deepcopy and pickle are asked for")

    def output_shape(self, state, input_shape):
        """``model.compute_output_shape(shape)`` (Keras layout; NCHW <-> NHWC for
        images)."""
        shape = tuple(input_shape)
        image = len(shape) == 4 and self.layout() == "NHWC"
        if image:
            shape = (shape[0], shape[2], shape[3], shape[1])
        out = state.compute_output_shape(shape)
        out = tuple(None if d is None else int(d)
                    for d in (out.as_list() if hasattr(out, "as_list") else out))
        if image and len(out) == 4:
            out = (out[0], out[3], out[1], out[2])
        return out

    def count_params(self, state):
        """``model.count_params()``."""
        return int(state.count_params())

    def build_abstract(self, arch, input_shape):
        """``build(arch, input_shape)`` under ``keras.StatelessScope(
        initialize_variables=False)``: Keras 3 creates every variable with its shape
        and dtype and defers its value (the variable holds none)."""
        with keras.StatelessScope(initialize_variables=False):
            return self.build(arch, input_shape=input_shape)

    def materialize_abstract(self, state):
        """Leave a ``keras.StatelessScope()`` (``initialize_variables=True``): on exit
        Keras initializes every variable whose initialization was deferred."""
        with keras.StatelessScope():
            pass
        return state

    def shard_init(self, arch, input_shape, seed):
        """Keras 3 on JAX: ``ModelParallel`` with a ``LayoutMap``; Keras 2: a DTensor
        ``LayoutMap`` on 2 logical CPUs; in a child process
        (``adapters/keras_sharded.py``)."""
        from adapters.keras_sharded import shard_init
        return shard_init(arch, input_shape, seed)

    def tie(self, state, src, dst):
        """Keras 2: ``b.kernel = a.kernel`` (a plain attribute, tracked as b's weight)."""
        if not KERAS_2:
            raise Unsupported("tie", "Keras 3 ties by reusing a layer; Dense.kernel is a "
                              "property without a setter and add_weight makes a new "
                              "variable, so no public API makes one variable two layers' "
                              "kernel")
        layer = list(_walk(state))[int(dst.split(".")[0])]
        setattr(layer, _roles(layer)[dst.split(".")[1]], self._param(state, src))
        return state

    def memory_bytes(self, state):
        """Bytes of the variables that hold a value: a Keras 3 Variable keeps it in
        ``_value``, ``None`` while its initialization is deferred."""
        return int(sum(np.prod(v.shape) * np.dtype(v.dtype).itemsize for v in state.weights
                       if getattr(v, "_value", None) is not None))

    def build_eager(self, arch):
        """The arch after a ``keras.Input`` whose feature dim is unknown
        (``shape=(None,)``; ``(None, None, None)`` for images): Keras builds every
        layer when an Input heads a Sequential, so a layer that needs the unknown
        dim refuses at construction."""
        image = any(isinstance(leaf, Conv2D) for leaf in leaves(arch))
        return self._construct(arch, (None, None, None) if image else (None,))

    def compile(self, state):
        """``model.compile(jit_compile=True)``: the predict function it sets up is
        XLA-compiled (TensorFlow, JAX) or ``torch.compile``d (torch); ``materialize``
        and ``forward`` then run it (``predict_on_batch``) as the model is
        ``compiled``."""
        state.compile(jit_compile=True)
        return state

    def cast(self, state, dtype):
        """Keras 3: the ``dtype_policy`` setter on the model and each of its layers
        (variables made later take the policy's variable dtype; existing variables
        keep theirs, computations use the compute dtype). Keras 2 has no setter."""
        if KERAS_2:
            raise Unsupported(f"cast/{dtype}", "Keras 2 (tf.keras) takes a layer's dtype only at "
                              "construction (Layer(dtype=...)); Layer.dtype_policy is "
                              "read-only (the setter _set_dtype_policy is private); "
                              "tf.keras.mixed_precision.set_global_policy reaches only "
                              "layers constructed later; Model has no cast/astype/to; "
                              "tf.keras.models.clone_model(clone_function=) builds a new "
                              "model instead of casting this one")
        for layer in _all_layers(state):
            layer.dtype_policy = dtype
        return state

    # -- reports (optional, Adapter.source) -------------------------------------
    def source(self, arch, input_shape):
        """``build``'s layers as code: ``keras.layers.Dense(units, activation=)``
        (``.build((None, in_units))`` where a layer declares its input), ``Conv2D``,
        ``BatchNormalization``, ``Flatten``, images channels-last; a tied layer is one
        layer object used twice, in Keras 2 in a subclassed model (its Sequential
        drops a repeated layer)."""
        def layer(node):
            if isinstance(node, Flatten):
                return "keras.layers.Flatten()", [], ""
            if isinstance(node, BatchNorm):
                return "keras.layers.BatchNormalization()", [], ""
            if isinstance(node, Conv2D):
                stride = f", strides={node.stride}" if node.stride != 1 else ""
                return f"keras.layers.Conv2D({node.channels}, {node.kernel}{stride})", [], ""
            relu = ', activation="relu"' if node.relu else ""
            build = f"{{}}.build((None, {node.in_units}))" if node.in_units is not None else ""
            return f"keras.layers.Dense({node.units}{relu})", [], build

        rendered = render_layers(arch, layer)
        if rendered is None:
            return None
        setup, items = rendered
        shape = tuple(input_shape)
        if len(shape) == 4 and self.layout() == "NHWC":
            shape = (shape[0], shape[2], shape[3], shape[1])
        head = ["import numpy as np", "import tf_keras as keras" if KERAS_2 else
                f"import keras  # KERAS_BACKEND={keras.backend.backend()}", ""]
        if KERAS_2 and any(leaf.share for leaf in arch if isinstance(leaf, Dense)):
            head += ["", "class Chain(keras.Model):  # Keras 2's Sequential drops a repeated "
                     "layer", "    def __init__(self, steps):", "        super().__init__()",
                     "        self.steps = steps", "",
                     "    def call(self, x, training=False):", "        for step in self.steps:",
                     "            x = step(x, training=training)",
                     "        return x", "", ""]
            net = listing("net = Chain([", items, "])")
        else:
            net = listing("net = keras.Sequential([", items, "])")
        return "\n".join([*head, *setup, net,
                          f'x = np.random.uniform(size={shape}).astype("float32")',
                          "y = net(x, training=False)"])

    # -- errors and documentation claims ----------------------------------------
    def classify_error(self, exc):
        # a variable's repr in a message (``<Variable path=..., dtype=float32, ...>``,
        # ``<tf.Variable ... dtype=float32 ...>``) says nothing about the error's kind
        text = re.sub(r"<(?:tf\.)?Variable\b[^>]*>", "<Variable>", str(exc))
        if isinstance(exc, MissingParameter):
            return "missing"
        if any(m in text for m in ("has not yet been built", "isn't built",
                                   "have not yet been created")):
            return "not-initialized"
        if isinstance(exc, ValueError) and ("incompatible with the layer" in text
                                            or "shape of the target variable" in text):
            return "shape-mismatch"
        if "dtype" in text.lower() and isinstance(exc, (TypeError, ValueError)):
            return "dtype-mismatch"
        return "other"

    def doc_probe(self, claim):
        return dispatch_claim(self, claim, "tf")

    def _mlp(self):
        return keras.Sequential([keras.layers.Dense(256, activation="relu"),
                                 keras.layers.Dense(10)])

    def _claim_tf_layer_weights_empty(self):
        return [layer.get_weights() for layer in self._mlp().layers]

    def _claim_tf_get_weights_raises(self):
        try:
            return f"returned {self._mlp().get_weights()!r}"
        except Exception:  # noqa: BLE001 - the claim is that it raises
            return "raises"

    def _claim_tf_weight_shapes_after_forward(self):
        net = self._mlp()
        net(np.random.default_rng(0).uniform(size=(2, 20)).astype(np.float32))
        return [list(w.shape) for w in net.get_weights()]


ADAPTER = KerasAdapter
