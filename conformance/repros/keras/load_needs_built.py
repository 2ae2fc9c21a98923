"""Model.load_weights raises ValueError on a model that has not been built yet, so the
load fails before any input is seen -- whatever width the first input then has
(save-load/load-into-never-run; load-into-lazy/first-forward, whose load step it is:
the suite names the step that raised)."""
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
    for check, at in (("save-load/load-into-never-run", ""),
                      ("load-into-lazy/first-forward", " at load into a never-run network")):
        try:
            mlp().load_weights(path)
            observed[check] = "loaded"
        except ValueError as exc:  # "...into a model that has not yet been built..."
            print("#", str(exc).splitlines()[0])
            observed[check] = ("raises:no-value" if "not yet been built" in str(exc)
                               else "raises:other") + at
for check, value in observed.items():
    print("OBSERVED", check, json.dumps(value))
