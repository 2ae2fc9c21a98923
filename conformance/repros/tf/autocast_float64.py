"""Keras layers autocast floating inputs to their compute dtype (float32): a float64
first input builds float32 weights and returns a float32 output, no error."""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import numpy as np  # noqa: E402

net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
x64 = np.random.default_rng(0).uniform(0, 1, (2, 20))  # float64
net(x64, training=False)
y = keras.ops.convert_to_numpy(net(x64, training=False))
print("OBSERVED dtype/float64-forward", json.dumps(f"output {y.dtype}"))
