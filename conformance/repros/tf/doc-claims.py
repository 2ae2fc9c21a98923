"""doc-claims on Keras 3: the seed's claims about TensorFlow/Keras; net.get_weights()
before data returns [] instead of raising."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
print("layer weights before data:", [layer.get_weights() for layer in net.layers], "| spec expects: [[], []]")
try:
    print("observed: net.get_weights() before data returned", net.get_weights())
except Exception as exc:  # noqa: BLE001
    print("observed: net.get_weights() before data raises", type(exc).__name__)
print("spec expects: raises")
net(keras.random.uniform((2, 20)))
print("shapes after forward:", [w.shape for w in net.get_weights()],
      "| spec expects: [(20, 256), (256,), (256, 10), (10,)]")
