"""Model.load_weights raises ValueError on a model that has not been built yet, so the
load fails before any input is seen -- whatever width the first input then has
(save-load/load-into-never-run, load-into-lazy/other-width)."""
import json
import os
import tempfile

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402

to_numpy = getattr(getattr(keras, "ops", None), "convert_to_numpy", np.asarray)


def mlp():
    return keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])


source = mlp()
source(np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32))
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "net.weights.h5")
    source.save_weights(path)
    observed = {}
    for check, width, done in (("save-load/load-into-never-run", None, "loaded"),
                               ("load-into-lazy/other-width", 12, "ran")):
        try:
            net = mlp()
            net.load_weights(path)
            if width:  # the loaded network's first input, of another width
                net(np.random.default_rng(0).uniform(0, 1, (2, width)).astype(np.float32))
            observed[check] = done
        except ValueError as exc:  # "...into a model that has not yet been built..."
            print("#", str(exc).splitlines()[0])
            observed[check] = ("raises:no-value" if "not yet been built" in str(exc)
                               else "raises:other")
for check, value in observed.items():
    print("OBSERVED", check, json.dumps(value))
