"""flax: nn.Dense contracts only the last axis of its input (lax.dot_general over
inputs.ndim - 1) and does not flatten the others: a (2, 4, 5) input gives (2, 4, 10)
(varying-input/extra-axes-output)."""
import json

import jax
import flax.linen as nn
import numpy as np

model = nn.Sequential([nn.Dense(256), nn.relu, nn.Dense(10)])
x3 = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32).reshape(2, 4, 5)
variables = model.init(jax.random.key(0), x3)
print("# first kernel", variables["params"]["layers_0"]["kernel"].shape)   # (5, 256)
y = model.apply(variables, x3)
print("OBSERVED varying-input/extra-axes-output", json.dumps(list(y.shape)))
