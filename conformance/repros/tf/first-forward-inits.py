"""first-forward-inits on Keras 3: the first call builds each layer and runs its
kernel_initializer once per kernel, in layer order."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

calls = []


class Recording(keras.initializers.Initializer):
    def __call__(self, shape, dtype=None):
        calls.append(tuple(shape))
        return keras.random.uniform(shape, -0.5, 0.5, dtype=dtype)


model = keras.Sequential([keras.layers.Dense(256, activation="relu", kernel_initializer=Recording()),
                          keras.layers.Dense(10, kernel_initializer=Recording())])
print("calls before data:", calls)
print("output shape:", tuple(model(keras.random.uniform((2, 20))).shape))
print("kernel initializer calls (Keras layout in, out):", calls)
