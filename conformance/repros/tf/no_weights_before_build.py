"""Keras creates a layer's variables only when the layer is built (first call,
Layer.build, or a keras.Input): a freshly constructed network has no weights."""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
print("OBSERVED unknown-dims/param-ids", json.dumps([v.path for v in net.weights]))
