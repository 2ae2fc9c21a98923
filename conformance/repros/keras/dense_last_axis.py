"""Keras Dense acts on the last axis of a rank > 2 input instead of flattening it."""
import json
import os

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402

to_numpy = getattr(getattr(keras, "ops", None), "convert_to_numpy", np.asarray)

net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
x = np.random.default_rng(0).uniform(0, 1, (2, 4, 5)).astype(np.float32)
net(x)  # first data builds the layers
print("OBSERVED varying-input/extra-axes-output", json.dumps(list(net(x).shape)))
