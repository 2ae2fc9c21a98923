"""haiku: hk.Linear contracts only the last axis of its input (w has shape
[inputs.shape[-1], output_size], out = jnp.dot(inputs, w)) and does not flatten the
others: a (2, 4, 5) input gives a (2, 4, 10) output (varying-input/extra-axes-output)."""
import json

import haiku as hk
import jax
import numpy as np

if __name__ == "__main__":
    def forward(x):
        return hk.Sequential([hk.Linear(256), jax.nn.relu, hk.Linear(10)])(x)

    net = hk.transform_with_state(forward)
    x3 = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32).reshape(2, 4, 5)
    params, state = net.init(jax.random.key(0), x3)
    print("# linear/w:", params["linear"]["w"].shape)       # (5, 256)
    y, _ = net.apply(params, state, None, x3)
    print("OBSERVED varying-input/extra-axes-output", json.dumps(list(y.shape)))
