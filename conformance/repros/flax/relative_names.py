"""flax: parameter names are paths relative to the root module (submodules are named by
attachment: layers_0, layers_2), so two identical networks use the same names
(naming/distinct-across-networks)."""
import json

import jax
import flax.linen as nn
import numpy as np
from flax import traverse_util

x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
names = []
for seed in (1, 2):
    model = nn.Sequential([nn.Dense(256), nn.relu, nn.Dense(10)])
    params = model.init(jax.random.key(seed), x)["params"]
    names.append(set(traverse_util.flatten_dict(params, sep="/")))
print("#", sorted(names[0]))
print("OBSERVED naming/distinct-across-networks", json.dumps(not names[0] & names[1]))
