"""Keras 3 on PyTorch: model.compile(jit_compile=True) wraps the predict step in
torch.compile, and predict_on_batch (unlike evaluate/fit) does not build the model
first; a never-run Sequential then builds inside the compiled region, where
Sequential.build inserts a new InputLayer, and TorchDynamo fails on it:
InternalTorchDynamoError "AttributeError: 'InputLayer' object has no attribute
'_buffers'" (compile-before-init/first-data). Compiled after the first data, the
same model runs."""
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
net.compile(jit_compile=True)
try:
    net.predict_on_batch(x)
    observed = {"0.weight": list(net.layers[0].kernel.shape)[::-1],
                "1.weight": list(net.layers[1].kernel.shape)[::-1]}
except Exception as exc:  # noqa: BLE001 - torch._dynamo.exc.InternalTorchDynamoError
    print("#", type(exc).__name__, str(exc).splitlines()[0])
    observed = "raises:other"
print("OBSERVED compile-before-init/first-data", json.dumps(observed))
