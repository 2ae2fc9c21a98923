"""flax: linen creates a submodule's variables when the submodule is called during
init (nn.Dense.__call__ calls self.param): a registered layer that __call__ never uses
gets no parameters at all -- it is absent from the variables, not a parameter waiting
for a value (unused-param/unused-layer)."""
import json

import jax
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
