"""Keras layers autocast floating inputs to their compute dtype (float32): a float64
first input builds float32 weights and returns a float32 output, no error."""
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
x64 = np.random.default_rng(0).uniform(0, 1, (2, 20))  # float64
net(x64, training=False)
y = to_numpy(net(x64, training=False))
print("OBSERVED dtype/float64-forward", json.dumps(f"output {y.dtype}"))
