"""direct-write on Keras 3: before the first call a layer has no kernel to write
(AttributeError), also after choosing an initializer; after it writes are live."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import numpy as np  # noqa: E402

model = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
for label in ("fresh", "after kernel_initializer set"):
    try:
        model.layers[0].kernel.assign(np.ones((20, 256), "float32"))
        print("observed: write,", label, "-> accepted")
    except AttributeError as exc:
        print("observed: write,", label, "-> AttributeError:", str(exc).splitlines()[0][:70])
    model.layers[0].kernel_initializer = keras.initializers.RandomUniform(-0.5, 0.5)
print("spec expects: a not-initialized error, then a deferred-initialization error")
model(keras.random.uniform((2, 20)))
model.layers[1].kernel.assign(np.zeros((256, 10), "float32"))
model.layers[1].bias.assign(np.full(10, 5.0, "float32"))
print("after the first call writes are live, output:", np.unique(model(keras.random.uniform((2, 20)))))
