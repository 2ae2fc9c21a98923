"""Keras creates a layer's variables only when the layer is built (first call,
Layer.build, or a keras.Input): a freshly constructed network has no weights
(unknown-dims/param-ids), so a user's bias initializer draws nothing before the first
data (first-forward-inits/bias-draws-before-data)."""
import json
import os

import numpy as np

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras

net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
names = [v.name for layer in net.layers for v in layer.weights]
print("OBSERVED unknown-dims/param-ids", json.dumps(names))


drawn = []


class Logged(keras.initializers.Initializer):
    """A user-defined initializer (Keras's extension point): logs each draw."""

    def __init__(self, tag):
        self.tag = tag

    def __call__(self, shape, dtype=None):
        drawn.append([f"{self.tag}.bias", list(shape)])
        return keras.initializers.RandomUniform(-0.5, 0.5)(shape, dtype=dtype)


logged = keras.Sequential([keras.layers.Dense(256, activation="relu", bias_initializer=Logged(0)),
                           keras.layers.Dense(10, bias_initializer=Logged(1))])
print("OBSERVED first-forward-inits/bias-draws-before-data", json.dumps(drawn))
logged(np.random.default_rng(0).uniform(0, 1, (2, 20)).astype("float32"))
print("# after the first data:", drawn)
