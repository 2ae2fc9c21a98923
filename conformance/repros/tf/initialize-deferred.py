"""initialize-deferred on Keras 3: setting an initializer before data builds nothing;
the parameters still do not exist (MXNet: they exist with an unknown dim)."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

model = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
for layer in model.layers:  # the Keras way to choose an initializer before build
    layer.kernel_initializer = keras.initializers.RandomNormal(stddev=0.01)
print("weights after choosing an initializer:", model.weights)
print("built:", [layer.built for layer in model.layers])
model(keras.random.uniform((2, 20)))
print("after the first call:", [(w.path, tuple(w.shape)) for w in model.weights])
