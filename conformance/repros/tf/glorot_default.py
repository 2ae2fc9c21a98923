"""Keras Dense's default kernel initializer is glorot_uniform:
U(-sqrt(6 / (fan_in + fan_out)), +...) = U(-0.147, 0.147) for 20 -> 256."""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import numpy as np  # noqa: E402

keras.utils.set_random_seed(20240101)  # the suite's seed
net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
net(np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32))
w = keras.ops.convert_to_numpy(net.layers[0].kernel).astype(np.float64)
# [max |w|, std]; U(-0.07, 0.07) would give [0.07, 0.0404]
print("OBSERVED default-init/weight-distribution",
      json.dumps([float(np.abs(w).max()), float(w.std())]))
