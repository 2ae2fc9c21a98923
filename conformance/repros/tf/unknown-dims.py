"""unknown-dims on Keras 3: before data a Dense layer has no weights at all."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

model = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
print("weights before data:", model.weights)  # MXNet: 4 parameters, weight shape (256, 0)
try:
    print(model.layers[0].kernel.shape)
except AttributeError as exc:
    print("layers[0].kernel -> AttributeError:", str(exc).splitlines()[0][:80])
