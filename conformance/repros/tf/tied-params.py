"""tied-params on Keras 3: a reused layer ties its weights, but before data the
layer has none, so the tie cannot be observed (MXNet: shared Parameter objects)."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

shared = keras.layers.Dense(8, activation="relu")
model = keras.Sequential([keras.layers.Dense(8, activation="relu"), shared, shared,
                          keras.layers.Dense(10)])
print("shared weights before data:", shared.weights)
model(keras.random.uniform((2, 20)))
print("after the first call:", [(w.path, tuple(w.shape)) for w in shared.weights])
