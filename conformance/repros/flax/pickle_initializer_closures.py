"""flax: a linen module definition holds its initializers, and JAX's are closures --
nn.Dense's default kernel_init is lecun_normal() = variance_scaling(...), which returns
the local function variance_scaling.<locals>.init -- so pickling the definition fails
("Can't pickle local object"; CPython 3.11 and 3.12 raise it as AttributeError,
3.14 as PicklingError). copy.deepcopy of the definition works (it copies functions by
reference), and so does pickling the variables init returns (copy-before-init/pickle)."""
import copy
import json
import pickle

import jax
import flax.linen as nn
import numpy as np

model = nn.Sequential([nn.Dense(256), nn.relu, nn.Dense(10)])
print("# kernel_init:", model.layers[0].kernel_init.__qualname__)  # variance_scaling.<locals>.init
print("# deepcopy:", type(copy.deepcopy(model)).__name__)          # works
try:
    pickle.loads(pickle.dumps(model))
    observed = "copied"
except (pickle.PicklingError, AttributeError) as exc:
    print("#", type(exc).__name__, exc)     # Can't pickle local object 'variance_scaling...'
    observed = "raises:other"               # not a shape, dtype or missing-value error
x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
variables = pickle.loads(pickle.dumps(model.init(jax.random.key(0), x)))  # arrays pickle fine
print("# pickled variables:", jax.tree.map(np.shape, variables["params"]["layers_0"]))
print("OBSERVED copy-before-init/pickle", json.dumps(observed))
