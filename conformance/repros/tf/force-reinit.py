"""force-reinit on Keras 3: a built layer cannot be re-initialized; setting a new
initializer afterwards changes nothing (MXNet: initialize(force_reinit=True))."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import numpy as np  # noqa: E402

model = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
model(keras.random.uniform((2, 20)))
before = keras.ops.convert_to_numpy(model.layers[0].kernel)
model.layers[0].kernel_initializer = keras.initializers.Constant(1.0)
model(keras.random.uniform((2, 20)))
after = keras.ops.convert_to_numpy(model.layers[0].kernel)
print("Dense has a re-initialize method:",
      any(hasattr(model.layers[0], m) for m in ("reset_parameters", "reinitialize", "initialize")))
print("values changed by the new initializer:", not np.array_equal(before, after))
