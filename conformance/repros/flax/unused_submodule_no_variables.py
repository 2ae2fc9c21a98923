"""flax: linen creates a submodule's variables when the submodule is called during
init (nn.Dense.__call__ calls self.param): a registered layer that __call__ never uses
gets no parameters at all -- it is absent from the variables, not a parameter waiting
for a value (unused-param/unused-layer). Serializing the variables then writes the used
layers' arrays only, their count is the used layers' sizes, and an optax step runs over
them (unused-param/save, count, train-step)."""
import json

import jax
import optax
from flax import serialization
import flax.linen as nn
import numpy as np


class Net(nn.Module):
    def setup(self):
        self.layers = [nn.Dense(256), nn.Dense(10), nn.Dense(7)]   # layers_2: never called

    def __call__(self, x):
        return self.layers[1](nn.relu(self.layers[0](x)))


x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
params = Net().init(jax.random.key(0), x)["params"]
print("#", sorted(params))                   # ['layers_0', 'layers_1']
state = "absent" if "layers_2" not in params else "materialized"
print("OBSERVED unused-param/unused-layer", json.dumps(state))

variables = {"params": params}
data = serialization.to_bytes(variables)  # what a checkpoint of the variables holds
restored = serialization.msgpack_restore(data)["params"]
print("# serialized:", len(data), "bytes, layers", sorted(restored))
print("OBSERVED unused-param/save", json.dumps("saved"))
print("OBSERVED unused-param/count",
      json.dumps(int(sum(np.size(leaf) for leaf in jax.tree.leaves(variables)))))

tx = optax.sgd(0.1)
grads = jax.grad(lambda p: Net().apply({"params": p}, x).sum())(params)
updates, _ = tx.update(grads, tx.init(params), params)
params = optax.apply_updates(params, updates)
print("OBSERVED unused-param/train-step", json.dumps("stepped"))
