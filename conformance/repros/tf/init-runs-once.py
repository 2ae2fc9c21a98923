"""init-runs-once on Keras 3: later calls never run the initializer again."""
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
model(keras.random.uniform((2, 20)))
n = len(calls)
model(keras.random.uniform((5, 20)))
print("initializer calls after the first call:", calls[n:])
