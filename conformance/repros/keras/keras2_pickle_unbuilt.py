"""Keras 2 (tf-keras): Model.__reduce__ pickles a built model through a SavedModel,
but an unbuilt one as a plain Python object (super().__reduce__()), whose state holds
weak references, so pickling a network that has seen no data fails: TypeError
"cannot pickle 'weakref.ReferenceType' object" (copy-before-init/pickle). deepcopy has
its own unbuilt path and succeeds; Keras 3 pickles unbuilt models."""
import json
import os
import pickle

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402

net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
try:
    pickle.loads(pickle.dumps(net))
    observed = "copied"
except TypeError as exc:
    print("#", exc)
    observed = "raises:other"
print("OBSERVED copy-before-init/pickle", json.dumps(observed))
