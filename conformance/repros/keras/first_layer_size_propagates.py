"""Keras propagates shapes through a Sequential: when the first Dense is built on its
input size (20) the layers after it are built at construction on that layer's output
width (256), even behind keras.Input(shape=(None,)), so declaring only the first
layer's size leaves nothing undetermined and nothing is refused (MXNet: the second
layer still refuses at initialize())."""
import json
import os

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402

x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
first = keras.layers.Dense(256, activation="relu")
first.build((None, 20))  # only this layer declares its input size
try:
    net = keras.Sequential([keras.Input(shape=(None,)), first, keras.layers.Dense(10)])
    print("# built at construction:", [tuple(int(d) for d in v.shape) for v in net.weights])
    net(x)
    observed = "not refused"
except ValueError as exc:
    observed = "build: raises:other"
print("OBSERVED eager-required/partial-refused", json.dumps(observed))
