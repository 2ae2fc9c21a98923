"""flax: a linen module definition holds no variables; they exist only as the value
module.init(key, sample) returns. Before that there is no parameter to list
(unknown-dims/param-ids), and an init that fails -- one Dense used on 20 features, then
on 4: ScopeParamShapeError -- returns nothing, so afterwards the definition still holds
no parameter whose shape could be read (shared-shape-conflict/shared-shape-after). A
user's bias initializer therefore draws nothing before init on the first data
(first-forward-inits/bias-draws-before-data)."""
import json

import jax
import flax.linen as nn
import numpy as np
from flax import errors

model = nn.Sequential([nn.Dense(256), nn.relu, nn.Dense(10)])
try:
    model.variables
    ids = "has variables"
except ValueError as exc:  # Can't access variables on unbound modules
    print("#", type(exc).__name__, exc)
    ids = []
print("OBSERVED unknown-dims/param-ids", json.dumps(ids))

shared = nn.Dense(8)                                   # one layer, used twice
conflict = nn.Sequential([shared, nn.Dense(4), shared])
x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
try:
    conflict.init(jax.random.key(0), x)
except errors.ScopeParamShapeError as exc:             # (20, 8) exists, (4, 8) asked
    print("#", type(exc).__name__, str(exc)[:120])
try:
    shape = list(conflict.variables["params"]["layers_0"]["kernel"].shape[::-1])
except ValueError as exc:  # Can't access variables on unbound modules
    print("#", type(exc).__name__, exc)
    shape = "raises:no-value"
print("OBSERVED shared-shape-conflict/shared-shape-after", json.dumps({"0.weight": shape}))


drawn = []


def logged(tag):
    """A user-defined initializer (Flax's (key, shape, dtype) extension point)."""
    def init(key, shape, dtype=jax.numpy.float32):
        drawn.append([f"{tag}.bias", list(shape)])
        return jax.random.uniform(key, shape, dtype, -0.5, 0.5)
    return init


biased = nn.Sequential([nn.Dense(256, bias_init=logged(0)), nn.relu,
                        nn.Dense(10, bias_init=logged(1))])
print("OBSERVED first-forward-inits/bias-draws-before-data", json.dumps(drawn))
biased.init(jax.random.key(0), x)
print("# after the first data:", drawn)
