"""haiku: the network hk.transform_with_state returns is a namedtuple of two local
functions (transform_with_state.<locals>.init_fn and apply_fn), so pickling it fails
("Can't pickle local object"; CPython 3.11 and 3.12 raise it as AttributeError,
3.14 as PicklingError). copy.deepcopy of it works (it copies functions by reference), and so does
pickling the params and state init returns (copy-before-init/pickle)."""
import copy
import json
import pickle

import haiku as hk
import jax
import numpy as np

if __name__ == "__main__":
    def forward(x):
        return hk.Sequential([hk.Linear(256), jax.nn.relu, hk.Linear(10)])(x)

    net = hk.transform_with_state(forward)
    print("# init:", net.init.__qualname__)           # transform_with_state.<locals>.init_fn
    print("# deepcopy:", type(copy.deepcopy(net)).__name__)   # works
    try:
        pickle.loads(pickle.dumps(net))
        observed = "copied"
    except (pickle.PicklingError, AttributeError) as exc:
        print("#", type(exc).__name__, exc)   # Can't pickle local object '...init_fn'
        observed = "raises:other"             # not a shape, dtype or missing-value error
    x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
    params, state = pickle.loads(pickle.dumps(net.init(jax.random.key(0), x)))  # arrays do
    print("# pickled params:", jax.tree.map(np.shape, params["linear"]))
    print("OBSERVED copy-before-init/pickle", json.dumps(observed))
