"""Keras 3 adapter (TensorFlow backend): ``keras.layers.Dense``, ``Sequential``, ``Input``.

Keras creates no weight until a layer is built (first call, or an ``Input``
shape), so before that a parameter is ``missing``. Keras has no initialize()
step: a layer's initializer lives in its ``kernel_initializer`` attribute, read
by ``build()``. ``initialize`` therefore sets that attribute on layers not built
yet (``init=None``: nothing to do) and is ``Unsupported`` once weights exist
(Keras 3 has no API to re-initialize a built layer). Keras can declare only the
model's input (``keras.Input``), which builds every layer at once. Keras stores
kernels as (in, out) / (kh, kw, in, out) and images as NHWC: shapes and values
cross the interface in the reference layout, ``forward`` takes NCHW.
"""
from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from adapters.interface import Adapter, Init, MissingParameter, Unsupported, dispatch_claim  # noqa: E402

ROLES = {"weight": "kernel", "bias": "bias", "gamma": "gamma", "beta": "beta"}
TO_REF = {2: (1, 0), 4: (3, 2, 0, 1)}    # Keras axis order -> reference axis order
FROM_REF = {2: (1, 0), 4: (2, 3, 1, 0)}


def _ref_shape(shape):
    shape = tuple(shape)
    return tuple(shape[i] for i in TO_REF[len(shape)]) if len(shape) in TO_REF else shape


def _ref_value(value):
    return value.transpose(TO_REF[value.ndim]).copy() if value.ndim in TO_REF else value


def _native_value(value):
    return value.transpose(FROM_REF[value.ndim]) if value.ndim in FROM_REF else value


class _UserInit(keras.initializers.Initializer):
    """A user-defined Keras initializer (the seeds' MyInit, or a recording one)."""

    def __init__(self, init, pid, rng):
        self.init, self.pid, self.rng = init, pid, rng

    def __call__(self, shape, dtype=None):
        self.init.log.append((self.pid, _ref_shape(shape)))
        if self.init.kind == "recording":
            data = self.rng.uniform(-0.5, 0.5, shape)
        else:
            data = self.rng.uniform(-10, 10, shape)
            data *= np.abs(data) >= 5
        return keras.ops.convert_to_tensor(data, dtype=dtype)


class Net:
    """A Sequential model; ``image`` marks a conv net fed NCHW by the harness."""

    def __init__(self, layers, inputs=None, image=False):
        self.model = keras.Sequential(([keras.Input((inputs,))] if inputs else []) + layers)
        self.image = image


def _layers(layer):
    if isinstance(layer, keras.Sequential):
        return [leaf for child in layer.layers for leaf in _layers(child)]
    return [layer] if any(hasattr(layer, a) for a in ("kernel_initializer", "gamma_initializer")) else []


def _dense(units, relu=False):
    return keras.layers.Dense(units, activation="relu" if relu else None)


class KerasAdapter(Adapter):
    name = "tf"
    unsupported = {"initialize": "no API to re-initialize built weights",
                   "select_params": "no regular-expression parameter selection"}

    def __init__(self):
        self.rng = np.random.default_rng(0)

    def framework_version(self):
        return keras.__version__

    def seed(self, n):
        keras.utils.set_random_seed(n)
        self.rng = np.random.default_rng(n)

    def build_mlp(self, in_units=None, first_only=False):
        return Net([_dense(256, True), _dense(10)], in_units)

    def build_tied(self):
        shared = _dense(8, True)  # Keras ties by reusing the layer
        return Net([_dense(8, True), shared, shared, _dense(10)])

    def build_nested(self):
        def block1():
            return keras.Sequential([_dense(32, True), _dense(16, True)])

        return Net([keras.Sequential([block1() for _ in range(4)]), _dense(10)])

    def build_conv(self):
        return Net([keras.layers.Conv2D(16, 3), keras.layers.BatchNormalization(),
                    keras.layers.Flatten(), _dense(10)], image=True)

    def layout(self):
        return "NHWC" if keras.config.image_data_format() == "channels_last" else "NCHW"

    def _params(self, net):
        return {f"{i}.{role}": getattr(layer, attr) for i, layer in enumerate(_layers(net.model))
                if layer.built for role, attr in ROLES.items()
                if isinstance(getattr(layer, attr, None), keras.Variable)}

    def _param(self, net, pid):
        try:
            return self._params(net)[pid]
        except KeyError:
            raise MissingParameter(f"no parameter {pid!r}: Keras creates weights when "
                                   "a layer is built") from None

    def param_ids(self, net):
        return list(self._params(net))

    def param_shape(self, net, pid):
        return _ref_shape(self._param(net, pid).shape)

    def param_dtype(self, net, pid):
        return str(self._param(net, pid).dtype)

    def native_name(self, net, pid):
        return self._param(net, pid).path

    def nested_lookup(self, net, path, role):
        layer = net.model
        for i in path:
            layer = layer.layers[i]
        var = getattr(layer, ROLES[role])
        return next(pid for pid, v in self._params(net).items() if v is var)

    def select_params(self, net, pattern):
        raise Unsupported("Keras has no regular-expression weight selection; "
                          "filtering model.weights by .path is user code")

    def read_param(self, net, pid):
        return _ref_value(keras.ops.convert_to_numpy(self._param(net, pid)))

    def write_param(self, net, pid, value):
        self._param(net, pid).assign(_native_value(np.asarray(value)))

    def inplace_add(self, net, pid, delta):
        self._param(net, pid).assign_add(np.full(self._param(net, pid).shape, delta,
                                                 np.float32))

    def _native_init(self, init, pid):
        if init.kind in ("recording", "seed-custom"):
            return _UserInit(init, pid, self.rng)
        return {"default": lambda: keras.initializers.GlorotUniform(),
                "constant": lambda: keras.initializers.Constant(init.value),
                "normal": lambda: keras.initializers.RandomNormal(stddev=init.value),
                "uniform": lambda: keras.initializers.RandomUniform(-init.value, init.value),
                "xavier": lambda: keras.initializers.GlorotUniform()}[init.kind]()

    def initialize(self, net, init=None, force=False, target=None):
        if init is None and not force:
            return []
        layers = list(enumerate(_layers(net.model)))
        if target is not None:
            index = target if isinstance(target, int) else int(target.split(".")[0])
            layers = [layers[index]]
        if any(layer.built for _, layer in layers):
            raise Unsupported("Keras 3 has no API to re-initialize built weights; "
                              "initializers are fixed before build (kernel_initializer=)")
        for i, layer in layers:
            if hasattr(layer, "kernel_initializer"):
                layer.kernel_initializer = self._native_init(init or Init(), f"{i}.weight")
        return []

    def _input(self, net, x):
        return x.transpose(0, 2, 3, 1) if net.image and self.layout() == "NHWC" else x

    def forward(self, net, x):
        return keras.ops.convert_to_numpy(net.model(self._input(net, x), training=False))

    def backward_sum(self, net, x):
        import tensorflow as tf  # the backend's own autodiff

        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(net.model(self._input(net, x), training=True))
        params = self._params(net)
        unique = list({id(v): v for v in params.values()}.values())
        grads = dict(zip(map(id, unique), tape.gradient(loss, unique)))
        return {pid: _ref_value(grads[id(v)].numpy()) for pid, v in params.items()}

    def same_object(self, net, pid_a, pid_b):
        return self._param(net, pid_a) is self._param(net, pid_b)

    def save(self, net, directory):
        path = os.path.join(directory, "net.weights.h5")
        net.model.save_weights(path)
        return path

    def load(self, net, path):
        net.model.load_weights(path)  # HDF5 arrays: no pickle

    def doc_probe(self, claim):
        return dispatch_claim(self, claim, "Keras/TensorFlow")

    def _claim_tf_layer_weights_empty(self):
        net = self.build_mlp().model
        return [layer.get_weights() for layer in net.layers]

    def _claim_tf_get_weights_raises(self):
        try:
            return f"returned {self.build_mlp().model.get_weights()!r}"
        except Exception as exc:  # noqa: BLE001 - the claim is that it raises
            return f"raises {type(exc).__name__}"

    def _claim_tf_weight_shapes_after_forward(self):
        net = self.build_mlp().model
        net(np.random.default_rng(0).uniform(size=(2, 20)).astype(np.float32))
        return [list(w.shape) for w in net.get_weights()]

    def classify_error(self, exc):
        text = str(exc)
        if isinstance(exc, MissingParameter) or "must build the layer" in text:
            return "missing"
        if "has not yet been built" in text:
            return "not-initialized"
        if isinstance(exc, ValueError) and "incompatible with the layer" in text:
            return "shape-mismatch"
        if "dtype" in text.lower():
            return "dtype-mismatch"
        return "other"


ADAPTER = KerasAdapter
