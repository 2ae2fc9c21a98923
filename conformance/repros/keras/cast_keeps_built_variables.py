"""Keras 3: setting dtype_policy = "float64" on a built model and its layers changes
only their compute dtype: the variables the first (float32) data created stay float32
(Keras has no cast of existing variables), and with compute dtype == variable dtype no
autocast scope converts them, so Dense multiplies a float64 input by a float32 kernel.
Keras's type promotion gives float64 on TensorFlow but forces 64-bit results to 32 bits
on the other backends: float32 on JAX and PyTorch (cast-before-init/float64-after-data)."""
import json
import os

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402

x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
net(x, training=False)  # float32 data first: float32 variables
for layer in [net] + net.layers:
    layer.dtype_policy = "float64"
y = keras.ops.convert_to_numpy(net(x.astype("float64"), training=False))
kernel = net.layers[0].kernel
print("# backend:", keras.backend.backend(), "compute dtype:", net.layers[0].compute_dtype)
print("OBSERVED cast-before-init/float64-after-data",
      json.dumps({"weight": kernel.dtype, "output": y.dtype.name}))
