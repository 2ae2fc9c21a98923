"""Keras Dense acts on the last axis of a rank > 2 input instead of flattening it."""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import numpy as np  # noqa: E402

net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
x = np.random.default_rng(0).uniform(0, 1, (2, 4, 5)).astype(np.float32)
net(x)  # first data builds the layers
print("OBSERVED varying-input/extra-axes-output", json.dumps(list(net(x).shape)))
