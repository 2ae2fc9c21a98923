"""A Sequential headed by keras.Input(shape=(None,)) -- an unknown feature size -- is
built at construction (Sequential builds every layer on the Input), and Dense then
cannot create a kernel of shape (None, 256): ValueError "Shapes used to initialize
variables must be fully-defined" (Keras 3) / "The last dimension of the inputs to a
Dense layer should be defined. Found None" (Keras 2). The network is refused when it
is constructed, not at an initialize step (MXNet: initialize())."""
import json
import os

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402

x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
try:
    net = keras.Sequential([keras.Input(shape=(None,)),
                            keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
except ValueError as exc:  # raised by the constructor: no error kind of its own
    print("#", str(exc).splitlines()[0])
    observed = "build: raises:other"
else:
    net(x)
    observed = "not refused"
print("OBSERVED eager-required/refused", json.dumps(observed))
