"""haiku: hk.transform_with_state turns the forward into a pair of pure functions and
holds no parameters; they exist only as the value init(rng, sample) returns. Before that
there is no parameter to list (unknown-dims/param-ids), and an init that fails -- one
hk.Linear called on 20 features, then on 4: "'linear/w' with retrieved shape (20, 8) does
not match" -- returns nothing, so no parameter exists whose shape could be read
(shared-shape-conflict/shared-shape-after). A user's bias initializer therefore draws
nothing before init on the first data (first-forward-inits/bias-draws-before-data)."""
import json

import haiku as hk
import jax
import numpy as np

if __name__ == "__main__":
    def forward(x):
        return hk.Sequential([hk.Linear(256), jax.nn.relu, hk.Linear(10)])(x)

    net = hk.transform_with_state(forward)
    print("#", type(net).__name__, net._fields)             # ('init', 'apply'): functions only
    print("OBSERVED unknown-dims/param-ids", json.dumps([]))  # nothing holds a parameter

    def conflict(x):
        shared = hk.Linear(8)                                  # one module, called twice
        return shared(hk.Linear(4)(jax.nn.relu(shared(x))))

    x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
    try:
        params, state = hk.transform_with_state(conflict).init(jax.random.key(0), x)
        shape = list(params["linear"]["w"].shape[::-1])
    except ValueError as exc:  # 'linear/w' with retrieved shape (20, 8) does not match ...
        print("#", type(exc).__name__, str(exc)[:100])
        shape = "raises:no-value"                              # init returned nothing
    print("OBSERVED shared-shape-conflict/shared-shape-after", json.dumps({"0.weight": shape}))

    drawn = []

    def logged(tag):
        """A user-defined Haiku initializer: (shape, dtype) -> array."""
        def init(shape, dtype):
            drawn.append([f"{tag}.bias", list(shape)])
            return jax.random.uniform(hk.next_rng_key(), shape, dtype, -0.5, 0.5)
        return init

    def biased(x):
        return hk.Sequential([hk.Linear(256, b_init=logged(0)), jax.nn.relu,
                              hk.Linear(10, b_init=logged(1))])(x)

    net = hk.transform_with_state(biased)
    print("OBSERVED first-forward-inits/bias-draws-before-data", json.dumps(drawn))
    net.init(jax.random.key(0), x)
    print("# after the first data:", drawn)
