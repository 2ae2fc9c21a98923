"""Keras 3 on JAX with jax_enable_x64 off (JAX's default): a float64 dtype policy set
before the first data makes variables that report dtype float64 (Keras keeps the
requested name) while JAX creates their arrays as float32, and the model computes and
returns float32 (cast-before-init/float64-before-data)."""
import json
import os

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402

import jax  # noqa: E402

print("# jax_enable_x64 =", jax.config.jax_enable_x64)
x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype("float64")
net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
for layer in [net] + net.layers:  # before any data
    layer.dtype_policy = "float64"
y = keras.ops.convert_to_numpy(net(x, training=False))
kernel = net.layers[0].kernel
print("# kernel array dtype:", kernel.value.dtype)
print("OBSERVED cast-before-init/float64-before-data",
      json.dumps({"weight": kernel.dtype, "output": y.dtype.name}))
