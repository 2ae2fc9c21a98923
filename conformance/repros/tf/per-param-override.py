"""per-param-override on Keras 3: a built layer cannot be re-initialized; a new
initializer set on layer 1 afterwards changes nothing (MXNet: force_reinit)."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import numpy as np  # noqa: E402

model = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
model(keras.random.uniform((2, 20)))
layer = model.layers[1]
print("observed: re-initialize method:",
      [m for m in ("reset_parameters", "reinitialize", "initialize") if hasattr(layer, m)])
layer.kernel_initializer = keras.initializers.Constant(42.0)
model(keras.random.uniform((2, 20)))
print("observed: after kernel_initializer = Constant(42): weight all 42:",
      bool(np.all(keras.ops.convert_to_numpy(layer.kernel) == 42)))
print("spec expects: weight all 42, its bias all 0; Xavier on the first weight alone")
