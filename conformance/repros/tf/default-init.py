"""default-init on Keras 3: Dense's default kernel_initializer is GlorotUniform,
bound sqrt(6 / (20 + 256)) = 0.1474, not U(-0.07, 0.07); biases are zeros."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

keras.utils.set_random_seed(0)
model = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
model(keras.random.uniform((2, 20)))
w = keras.ops.convert_to_numpy(model.layers[0].kernel).astype("float64")
print("observed:", type(model.layers[0].kernel_initializer).__name__,
      "max |w| = %.4f, std = %.4f" % (abs(w).max(), w.std()))
print("spec expects: max |w| ~ 0.07, std ~ 0.0404")
print("biases all 0:", [bool((keras.ops.convert_to_numpy(layer.bias) == 0).all()) for layer in model.layers])
