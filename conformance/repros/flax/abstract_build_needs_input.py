"""Flax: there is no abstract build of a network whose input size is unknown. Linen
makes no variable before init(key, x); jax.eval_shape(model.init, key) has no input to
trace with and fails, and nnx.eval_shape needs a constructor whose nnx.Linear layers
all have in_features. So both lazy-on-abstract checks are unsupported."""
import json

import flax.linen as nn
import jax

model = nn.Sequential([nn.Dense(256), nn.relu, nn.Dense(10)])
for check in ("no-value-after-materialise", "first-data-infers"):
    try:
        jax.eval_shape(model.init, jax.random.key(0))
        observed = "abstract"
    except TypeError as exc:  # init's input argument is missing
        print("#", type(exc).__name__, str(exc)[:90])
        observed = None       # unsupported: nothing abstract to materialise
    print(f"OBSERVED lazy-on-abstract/{check}", json.dumps(observed))
