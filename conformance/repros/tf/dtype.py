"""dtype on Keras 3: before data there is no bias to have a dtype, and a float64
input is silently cast: the output is float32 (spec: a dtype error)."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import numpy as np  # noqa: E402

model = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
try:
    print("observed: bias dtype before data:", model.layers[0].bias.dtype)
except AttributeError as exc:
    print("observed: bias before data -> AttributeError:", str(exc).splitlines()[0][:60])
print("spec expects: float32")
out = model(np.random.default_rng(0).uniform(size=(2, 20)))  # float64
print("observed: float64 first input -> output", out.dtype.name, "| spec expects: a dtype error")
print("kernel dtype after:", model.layers[0].kernel.dtype)
