"""save-load on Keras 3: neither saving nor loading works before the model is built
(ValueError); loading does not build a never-run model (MXNet: it fills the shapes)."""
import os
import tempfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402


def mlp():
    return keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])


def attempt(label, fn):
    try:
        fn()
        print("observed:", label, "-> ok")
    except ValueError as exc:
        print("observed:", label, "-> ValueError:", str(exc).splitlines()[0][:70])


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "net.weights.h5")
    attempt("save before data", lambda: mlp().save_weights(path))
    print("spec expects: a deferred-initialization error")
    net = mlp()
    net(keras.random.uniform((2, 20)))
    net.save_weights(path)
    attempt("load into a never-run model", lambda: mlp().load_weights(path))
    print("spec expects: loaded, shapes (20, 256), (256, 10) filled without a call")
