"""haiku: module names are unique within one transformed function, not across
processes: each init/apply starts a fresh frame whose name counters start at zero, so
two identical networks name their parameters alike (linear/w, linear_1/w ...)
(naming/distinct-across-networks)."""
import json

import haiku as hk
import jax
import numpy as np

if __name__ == "__main__":
    def forward(x):
        return hk.Sequential([hk.Linear(256), jax.nn.relu, hk.Linear(10)])(x)

    x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
    names = []
    for _ in range(2):                                   # two networks, built alike
        params, _ = hk.transform_with_state(forward).init(jax.random.key(0), x)
        names.append({f"{m}/{n}" for m, n, _ in hk.data_structures.traverse(params)})
    print("#", sorted(names[0]))
    print("OBSERVED naming/distinct-across-networks", json.dumps(not names[0] & names[1]))
