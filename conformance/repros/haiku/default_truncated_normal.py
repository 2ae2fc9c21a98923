"""haiku: hk.Linear's default w_init (w_init=None) is TruncatedNormal(stddev=1 /
sqrt(fan_in)), made inside __call__: for 20 inputs stddev 0.224, truncated at two
standard deviations (|w| < 2 / sqrt(20) = 0.447), std about 0.88 * 0.224 = 0.197 -- not
MXNet's U(-0.07, 0.07) (default-init/weight-distribution)."""
import json
import os

import haiku as hk
import jax
import numpy as np

if __name__ == "__main__":
    SEED = int(os.environ.get("LAZYINIT_SEED", "20240101"))  # the suite sets its seed
    _, key = jax.random.split(jax.random.key(SEED))  # the suite's seed, one split per init

    def forward(x):
        return hk.Sequential([hk.Linear(256), jax.nn.relu, hk.Linear(10)])(x)

    x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
    params, _ = hk.transform_with_state(forward).init(key, x)
    w = np.asarray(params["linear"]["w"]).T.copy().astype(np.float64)   # (out, in)
    print("# bound 2/sqrt(20) =", 2 / np.sqrt(20))
    print("OBSERVED default-init/weight-distribution", json.dumps([float(np.abs(w).max()),
                                                                    float(w.std())]))
