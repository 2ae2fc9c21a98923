"""Keras 2 (tf-keras) has no cast of a model: a layer's dtype is fixed at construction
(Layer(dtype=...)), Layer.dtype_policy is a read-only property (setting it raises
AttributeError), and Model has no cast/astype/to, before or after the first data. The
suite records both checks as unsupported, with no observation (cast-before-init)."""
import json
import os

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402

x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
for check, data_first in (("float64-before-data", False), ("float64-after-data", True)):
    net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
    if data_first:
        net(x)
    print("# Model has cast/astype/to:", [hasattr(net, m) for m in ("cast", "astype", "to")])
    try:
        net.layers[0].dtype_policy = "float64"
        observed = "cast"
    except AttributeError as exc:  # read-only property
        print("#", exc)
        observed = None            # unsupported: no cast to observe
    print(f"OBSERVED cast-before-init/{check}", json.dumps(observed))
