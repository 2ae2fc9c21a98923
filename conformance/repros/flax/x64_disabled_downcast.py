"""flax: with jax_enable_x64 off (JAX's default), a float64 input is silently converted
to float32 (jnp.asarray canonicalizes float64 to float32): init and apply accept it and
return a float32 output, no error (dtype/float64-forward)."""
import json

import jax
import flax.linen as nn
import numpy as np

print("# jax_enable_x64 =", jax.config.jax_enable_x64)
model = nn.Sequential([nn.Dense(256), nn.relu, nn.Dense(10)])
x64 = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32).astype("float64")
try:
    variables = model.init(jax.random.key(0), x64)
    y = model.apply(variables, x64)
    observed = f"output {np.asarray(y).dtype}"
except Exception as exc:  # noqa: BLE001
    observed = f"raises:{type(exc).__name__}"
print("OBSERVED dtype/float64-forward", json.dumps(observed))
