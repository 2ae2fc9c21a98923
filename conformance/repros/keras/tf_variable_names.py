"""Keras 2 names a variable with its TensorFlow tensor name: the layer scope, the
role, then the output index (``dense/kernel:0``); Keras 3's path ends with the role
(``sequential/dense/kernel``)."""
import json
import os

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402

net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
net(np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32))
names = [getattr(v, "path", None) or v.name for v in net.weights]
print("names:", names)
roles = ["kernel", "bias"] * 2
print("OBSERVED naming/role-suffix",
      json.dumps(all(n.endswith(r) for n, r in zip(names, roles))))
