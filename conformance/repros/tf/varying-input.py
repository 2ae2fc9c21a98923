"""varying-input on Keras 3: Dense acts on the last axis only, so a (2, 4, 5) first
input gives a (5, 256) kernel and a (2, 4, 10) output (MXNet flattens)."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

model = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
out = model(keras.random.uniform((2, 4, 5)))
print("observed: output shape:", tuple(out.shape),
      "first kernel shape (in, out):", tuple(model.layers[0].kernel.shape))
print("spec expects: output shape (2, 10), first kernel shape (20, 256)")
