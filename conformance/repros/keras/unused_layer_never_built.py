"""Keras builds a layer -- creates its variables -- only when it is called (or built
explicitly): a layer a subclassed model holds but its call() never uses is still
unbuilt after the first data and has no weights at all, rather than parameters
waiting for a value (unused-param/unused-layer). Saving the model then writes the
used layers' weights only, count_params() counts them only, and a training step runs
over them (unused-param/save, count, train-step)."""
import json
import os
import tempfile

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402


class Chain(keras.Model):
    def __init__(self):
        super().__init__()
        self.steps = [keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)]
        self.unused = [keras.layers.Dense(7)]  # tracked by the model, never called

    def call(self, x, training=False):
        for step in self.steps:
            x = step(x, training=training)
        return x


net = Chain()
net(np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32), training=False)
layer = net.unused[0]
print("# unused layer built:", layer.built, "weights:", len(layer.weights),
      "model weights:", len(net.weights))
print("OBSERVED unused-param/unused-layer", json.dumps("absent" if not layer.weights else "declared"))

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "net.weights.h5")
    net.save_weights(path)  # the unbuilt layer has nothing to write, and nothing refuses
    import h5py

    with h5py.File(path, "r") as f:
        arrays = []
        f.visititems(lambda name, obj: arrays.append(name) if hasattr(obj, "shape") else None)
    print("# arrays written:", len(arrays), sorted(arrays))
    print("OBSERVED unused-param/save", json.dumps("saved"))
print("OBSERVED unused-param/count", json.dumps(int(net.count_params())))  # 20*256+256+256*10+10

x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
net.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
net.train_on_batch(x, np.zeros((2, 10), np.float32))  # over the built layers' variables
print("# after a step, unused layer built:", layer.built)
print("OBSERVED unused-param/train-step", json.dumps("stepped"))
