"""in-units-immediate on Keras 3: with an Input shape the layers are built at
construction, with their own initializer; none can be chosen afterwards."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(256, activation="relu"),
                          keras.layers.Dense(10)])
print("built at construction:", [(w.path, tuple(w.shape)) for w in model.weights])
print("initializer already used:", type(model.layers[0].kernel_initializer).__name__)
