"""Keras creates a layer's variables only when the layer is built (first call,
Layer.build, or a keras.Input): a freshly constructed network has no weights."""
import json
import os

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras

net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
names = [v.name for layer in net.layers for v in layer.weights]
print("OBSERVED unknown-dims/param-ids", json.dumps(names))
