"""flax: every un-jitted module.apply calls each parameter's initializer again,
abstractly -- Scope.param validates the stored shape with
jax.eval_shape(lambda: init_fn(random.key(0), ...)) -- so a recording initializer
sees traced calls that draw nothing (init-runs-once/abstract-calls-after-first)."""
import json

import jax
import flax.linen as nn
import numpy as np

calls = []


def recording(key, shape, dtype=jax.numpy.float32):
    calls.append(not isinstance(key, jax.core.Tracer))   # True: drew real values
    return jax.random.uniform(key, shape, dtype, -0.5, 0.5)


model = nn.Sequential([nn.Dense(256, kernel_init=recording, bias_init=recording), nn.relu,
                       nn.Dense(10, kernel_init=recording, bias_init=recording)])
x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
variables = model.init(jax.random.key(0), x)          # 4 concrete calls
y, variables = model.apply(variables, x, mutable=True)  # the first forward
n = len(calls)
_, variables = model.apply(variables, x, mutable=True)
x5 = np.random.default_rng(1).uniform(0, 1, (5, 20)).astype(np.float32)
model.apply(variables, x5, mutable=True)
later = calls[n:]
print("# later calls:", len(later), "of which drew values:", sum(later))
print("OBSERVED init-runs-once/abstract-calls-after-first", json.dumps(sum(not c for c in later)))
