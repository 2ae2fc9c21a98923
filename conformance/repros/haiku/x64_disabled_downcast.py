"""haiku: with jax_enable_x64 off (JAX's default) JAX has no float64. A float64 input is
silently converted to float32: init and apply accept it and return a float32 output, no
error (dtype/float64-forward). Parameters asked for in float64 -- a jmp policy with
param_dtype float64 pushed with hk.mixed_precision.push_policy before init, or
policy.cast_to_param (astype) of the params after it -- are float32 too, with only a
UserWarning "Explicitly requested dtype float64 ... will be truncated to dtype float32"
(cast-before-init/float64-before-data, cast-before-init/float64-after-data)."""
import json
import warnings

import haiku as hk
import jax
import jmp
import numpy as np

if __name__ == "__main__":
    print("# jax_enable_x64 =", jax.config.jax_enable_x64)

    class Net(hk.Module):
        def __call__(self, x):
            return hk.Linear(10)(jax.nn.relu(hk.Linear(256)(x)))

    def plain(x):
        return Net()(x)

    x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
    x64 = x.astype("float64")
    net = hk.transform_with_state(plain)
    try:
        params, state = net.init(jax.random.key(0), x64)
        y, _ = net.apply(params, state, None, x64)
        observed = f"output {np.asarray(y).dtype}"
    except Exception as exc:  # noqa: BLE001
        observed = f"raises:{type(exc).__name__}"
    print("OBSERVED dtype/float64-forward", json.dumps(observed))

    policy = jmp.Policy(param_dtype=np.float64, compute_dtype=np.float64,
                        output_dtype=np.float64)

    def cast(x):
        with hk.mixed_precision.push_policy(Net, policy):
            return Net()(x)

    def dtypes(params, y):
        return {"weight": str(params["net/linear"]["w"].dtype),
                "output": str(np.asarray(y).dtype)}

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        early = hk.transform_with_state(cast)                 # the policy before any data
        params, state = early.init(jax.random.key(0), x64)
        y, _ = early.apply(params, state, None, x64)
        print("OBSERVED cast-before-init/float64-before-data", json.dumps(dtypes(params, y)))
        params, state = net.init(jax.random.key(0), x)        # float32 data first
        params = policy.cast_to_param(params)
        y, _ = early.apply(params, state, None, x64)
        print("OBSERVED cast-before-init/float64-after-data", json.dumps(dtypes(params, y)))
    print("#", len(caught), "warnings, e.g.", str(caught[0].message)[:110] if caught else None)
