"""mismatch on Keras 3: a 30-feature batch into a model declared with Input((20,))
fails at the first call; every weight already exists (the whole model was built)."""
import os
import re

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(256, activation="relu"),
                          keras.layers.Dense(10)])
try:
    model(keras.random.uniform((2, 30)))
except ValueError as exc:
    lines = [line for line in str(exc).splitlines() if line.strip()]  # [0]: Keras's call context
    print("call -> ValueError:", re.sub(r"\x1b\[[0-9;]*m", "", lines[1 if len(lines) > 1 else 0])[:100])
print("observed: weights readable after the failure:",
      [(w.path, tuple(w.shape)) for w in model.weights])
print("spec expects: the first weight and bias plus the second bias; the second weight deferred")
