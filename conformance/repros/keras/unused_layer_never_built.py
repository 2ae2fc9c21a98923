"""Keras builds a layer -- creates its variables -- only when it is called (or built
explicitly): a layer a subclassed model holds but its call() never uses is still
unbuilt after the first data and has no weights at all, rather than parameters
waiting for a value (unused-param/unused-layer)."""
import json
import os

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402


class Chain(keras.Model):
    def __init__(self):
        super().__init__()
        self.steps = [keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)]
        self.unused = [keras.layers.Dense(7)]  # tracked by the model, never called

    def call(self, x, training=False):
        for step in self.steps:
            x = step(x, training=training)
        return x


net = Chain()
net(np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32), training=False)
layer = net.unused[0]
print("# unused layer built:", layer.built, "weights:", len(layer.weights),
      "model weights:", len(net.weights))
print("OBSERVED unused-param/unused-layer", json.dumps("absent" if not layer.weights else "declared"))
