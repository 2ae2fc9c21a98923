"""haiku: a module creates its parameters when it is called (hk.Linear.__call__ calls
hk.get_parameter), so a module made in the network but never called gets no parameters
at all: it is absent from the params init returns, not a parameter waiting for a value
(unused-param/unused-layer). Saving the params then writes the called modules' arrays
only, their size is the called modules' only (7946 for the MLP), and an optax step runs
over the params that exist (unused-param/save, count, train-step)."""
import io
import json

import haiku as hk
import jax
import numpy as np
import optax


class Net(hk.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.layers = [hk.Linear(256), hk.Linear(10), hk.Linear(7)]   # the third: never called

    def __call__(self, x):
        return self.layers[1](jax.nn.relu(self.layers[0](x)))


if __name__ == "__main__":
    net = hk.transform_with_state(lambda x: Net()(x))
    x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
    params, state = net.init(jax.random.key(0), x)
    print("#", sorted(params))           # ['net/~/linear', 'net/~/linear_1']
    print("OBSERVED unused-param/unused-layer",
          json.dumps("absent" if "net/~/linear_2" not in params else "materialized"))

    buffer = io.BytesIO()                # the params as a Haiku user saves them
    np.savez(buffer, **{f"{m}/{n}": np.asarray(v)
                        for m, n, v in hk.data_structures.traverse(params)})
    print("# saved:", len(buffer.getvalue()), "bytes")
    print("OBSERVED unused-param/save", json.dumps("saved"))
    print("OBSERVED unused-param/count", json.dumps(int(
        hk.data_structures.tree_size(params) + hk.data_structures.tree_size(state))))

    tx = optax.sgd(0.1)
    grads = jax.grad(lambda p: net.apply(p, state, None, x)[0].sum())(params)
    updates, _ = tx.update(grads, tx.init(params), params)
    params = optax.apply_updates(params, updates)
    print("OBSERVED unused-param/train-step", json.dumps("stepped"))
