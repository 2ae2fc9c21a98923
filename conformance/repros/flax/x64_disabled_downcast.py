"""flax: with jax_enable_x64 off (JAX's default) JAX has no float64. A float64 input is
silently converted to float32 (jnp.asarray canonicalizes float64 to float32): init and
apply accept it and return a float32 output, no error (dtype/float64-forward). Parameters
asked for in float64 -- the layers' param_dtype=float64 before init (linen's way to cast
a definition), or astype(float64) on the variables after it -- are float32 too, with only
a UserWarning "Explicitly requested dtype float64 ... will be truncated to dtype float32"
(cast-before-init/float64-before-data, cast-before-init/float64-after-data)."""
import json
import warnings

import jax
import flax.linen as nn
import numpy as np

print("# jax_enable_x64 =", jax.config.jax_enable_x64)
model = nn.Sequential([nn.Dense(256), nn.relu, nn.Dense(10)])
x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
x64 = x.astype("float64")
try:
    variables = model.init(jax.random.key(0), x64)
    y = model.apply(variables, x64)
    observed = f"output {np.asarray(y).dtype}"
except Exception as exc:  # noqa: BLE001
    observed = f"raises:{type(exc).__name__}"
print("OBSERVED dtype/float64-forward", json.dumps(observed))


def cast(seq, dtype):
    """linen has no cast of a module: clone its layers with param_dtype."""
    return seq.clone(layers=[m.clone(param_dtype=dtype) if isinstance(m, nn.Dense) else m
                             for m in seq.layers])


def dtypes(variables, y):
    return {"weight": str(variables["params"]["layers_0"]["kernel"].dtype),
            "output": str(np.asarray(y).dtype)}


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    early = cast(model, "float64")                       # before any data
    v = early.init(jax.random.key(0), x64)
    print("OBSERVED cast-before-init/float64-before-data", json.dumps(dtypes(v, early.apply(v, x64))))
    v = model.init(jax.random.key(0), x)                 # float32 data first
    late = cast(model, "float64")
    v = jax.tree.map(lambda a: a.astype("float64"), v)
    print("OBSERVED cast-before-init/float64-after-data", json.dumps(dtypes(v, late.apply(v, x64))))
print("#", len(caught), "warnings, e.g.", str(caught[0].message)[:110] if caught else None)
