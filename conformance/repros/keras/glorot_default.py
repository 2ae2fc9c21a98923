"""Keras Dense's default kernel initializer is glorot_uniform:
U(-sqrt(6 / (fan_in + fan_out)), +...) = U(-0.147, 0.147) for 20 -> 256."""
import json
import os

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402

SEED = int(os.environ.get("LAZYINIT_SEED", "20240101"))  # the suite sets its seed

to_numpy = getattr(getattr(keras, "ops", None), "convert_to_numpy", np.asarray)

keras.utils.set_random_seed(SEED)  # the suite's seed
net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
net(np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32))
w = to_numpy(net.layers[0].kernel).astype(np.float64)
# [max |w|, std]; U(-0.07, 0.07) would give [0.07, 0.0404]
print("OBSERVED default-init/weight-distribution",
      json.dumps([float(np.abs(w).max()), float(w.std())]))
