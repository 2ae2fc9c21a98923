"""flax: nn.Dense's default kernel_init is lecun_normal() = variance_scaling(1, fan_in,
truncated_normal): std ~ 1/sqrt(20) = 0.224, truncated at 2 sigma of the underlying
normal (max ~ 0.51), not MXNet's U(-0.07, 0.07) (default-init/weight-distribution)."""
import json
import os

import jax
import flax.linen as nn
import numpy as np

SEED = int(os.environ.get("LAZYINIT_SEED", "20240101"))  # the suite sets its seed

_, key = jax.random.split(jax.random.key(SEED))  # the suite's seed, one split per init
model = nn.Sequential([nn.Dense(256), nn.relu, nn.Dense(10)])
x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
variables = model.init(key, x)
w = np.asarray(variables["params"]["layers_0"]["kernel"]).transpose(1, 0).copy()  # (out, in)
w = w.astype(np.float64)
print("OBSERVED default-init/weight-distribution", json.dumps([float(np.abs(w).max()),
                                                                float(w.std())]))
