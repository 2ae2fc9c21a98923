"""Keras 3 adapter (TensorFlow backend): ``keras.layers.Dense``, ``Sequential``, ``Input``.

Keras creates no weight until a layer is built (first call, or an ``Input``
shape), so before that a parameter is ``missing``. Keras has no initialize()
step: a layer's initializer lives in its ``kernel_initializer`` attribute, read
by ``Dense.build()``. ``initialize`` therefore sets that attribute on layers not
built yet (``init=None``: nothing to do) and is ``Unsupported`` once weights exist
(Keras 3 has no API to re-initialize a built layer). Keras stores a kernel as
(in, out); shapes and values cross the interface transposed to (out, in).
"""
from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from adapters.interface import Adapter, Init, MissingParameter, Unsupported  # noqa: E402

ROLES = {"weight": "kernel", "bias": "bias"}


def _ref(shape):
    """Keras layout -> reference layout (a 2-D kernel is transposed)."""
    return tuple(reversed(shape)) if len(shape) == 2 else tuple(shape)


class _Recording(keras.initializers.Initializer):
    """A user-defined Keras initializer that logs every call."""

    def __init__(self, log, pid, rng):
        self.log, self.pid, self.rng = log, pid, rng

    def __call__(self, shape, dtype=None):
        self.log.append((self.pid, _ref(shape)))
        return keras.ops.convert_to_tensor(self.rng.uniform(-0.5, 0.5, shape), dtype=dtype)


class Net:
    """A Sequential model plus its parameterised layers in forward order."""

    def __init__(self, layers, inputs=None):
        self.layers = layers
        self.model = keras.Sequential(([keras.Input((inputs,))] if inputs else []) + layers)


class KerasAdapter(Adapter):
    name = "tf"
    unsupported = {"initialize": "no API to re-initialize built weights"}

    def __init__(self):
        self.rng = np.random.default_rng(0)

    def framework_version(self):
        return keras.__version__

    def seed(self, n):
        keras.utils.set_random_seed(n)
        self.rng = np.random.default_rng(n)

    def build_mlp(self, in_units=None):
        return Net([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)],
                   in_units)

    def build_tied(self):
        shared = keras.layers.Dense(8, activation="relu")  # tied by reusing the layer
        return Net([keras.layers.Dense(8, activation="relu"), shared, shared,
                    keras.layers.Dense(10)])

    def _params(self, net):
        return {f"{i}.{role}": getattr(layer, attr) for i, layer in enumerate(net.layers)
                if layer.built for role, attr in ROLES.items()}

    def _param(self, net, pid):
        try:
            return self._params(net)[pid]
        except KeyError:
            raise MissingParameter(f"no parameter {pid!r}: Keras creates weights when "
                                   "a layer is built") from None

    def param_ids(self, net):
        return list(self._params(net))

    def param_shape(self, net, pid):
        return _ref(tuple(self._param(net, pid).shape))

    def native_name(self, net, pid):
        return self._param(net, pid).path

    def read_param(self, net, pid):
        return _ref_value(keras.ops.convert_to_numpy(self._param(net, pid)))

    def write_param(self, net, pid, value):
        self._param(net, pid).assign(_ref_value(np.asarray(value)))

    def _native_init(self, init, pid):
        return {"recording": lambda: _Recording(init.log, pid, self.rng),
                "default": lambda: keras.initializers.GlorotUniform(),
                "constant": lambda: keras.initializers.Constant(init.value),
                "normal": lambda: keras.initializers.RandomNormal(stddev=init.value),
                "uniform": lambda: keras.initializers.RandomUniform(-init.value, init.value),
                "xavier": lambda: keras.initializers.GlorotUniform()}[init.kind]()

    def initialize(self, net, init=None, force=False):
        if init is None and not force:
            return []
        if any(layer.built for layer in net.layers):
            raise Unsupported("Keras 3 has no API to re-initialize built weights; "
                              "initializers are fixed before build (kernel_initializer=)")
        init = init or Init()
        for i, layer in enumerate(net.layers):
            layer.kernel_initializer = self._native_init(init, f"{i}.weight")
        return []

    def forward(self, net, x):
        return keras.ops.convert_to_numpy(net.model(x, training=False))

    def backward_sum(self, net, x):
        import tensorflow as tf  # the backend's own autodiff

        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(net.model(x, training=True))
        params = self._params(net)
        unique = list({id(v): v for v in params.values()}.values())
        grads = dict(zip(map(id, unique), tape.gradient(loss, unique)))
        return {pid: _ref_value(grads[id(v)].numpy()) for pid, v in params.items()}

    def same_object(self, net, pid_a, pid_b):
        return self._param(net, pid_a) is self._param(net, pid_b)

    def classify_error(self, exc):
        text = str(exc)
        if isinstance(exc, MissingParameter) or "must build the layer" in text:
            return "missing"
        if isinstance(exc, ValueError) and "incompatible with the layer" in text:
            return "shape-mismatch"
        return "other"


def _ref_value(value):
    return value.T.copy() if value.ndim == 2 else value


ADAPTER = KerasAdapter
