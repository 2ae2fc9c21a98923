"""flax: the eager Flax API, nnx.Linear(in_features, out_features, rngs=...), draws its
kernel in the constructor (kernel_init(key, (in_features, out_features), ...)), so every
layer needs its in_features: with None (an unknown size) JAX refuses the shape at
construction -- "TypeError: Shapes must be 1D sequences of concrete values of integer
type, got (None, 256)" -- and declaring only the first layer's size fails the same way at
the second layer. MXNet refuses at initialize() instead
(eager-required/refused, eager-required/partial-refused)."""
import json

from flax import nnx


def refusal(in_sizes, units=(256, 10)):
    rngs = nnx.Rngs(params=0)
    try:
        layers = []
        for n_in, n_out in zip(in_sizes, units):
            layers += [nnx.Linear(n_in, n_out, rngs=rngs), nnx.relu]
        nnx.Sequential(*layers[:-1])
    except TypeError as exc:
        print("#", type(exc).__name__, exc)
        return "build: raises:other"   # not a shape-mismatch between layers: no shape at all
    return "not refused"


print("OBSERVED eager-required/refused", json.dumps(refusal((None, None))))
print("OBSERVED eager-required/partial-refused", json.dumps(refusal((20, None))))
