"""nested-blocks on Keras 3: the nested Sequential builds every layer at the first
call, but before data it has no weights, so no shape can be read."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402


def block1():
    return keras.Sequential([keras.layers.Dense(32, activation="relu"),
                             keras.layers.Dense(16, activation="relu")])


model = keras.Sequential([keras.Sequential([block1() for _ in range(4)]), keras.layers.Dense(10)])
print("observed: weights before data:", model.weights)
print("spec expects: 9 weights shaped (32, ?), (16, ?), ..., (10, ?)")
model(keras.random.uniform((2, 20)))
print("kernels after the first call (in, out):", [tuple(w.shape) for w in model.weights if w.path.endswith("kernel")])
print("weight tensors:", len(model.weights), "scalars:", model.count_params())
