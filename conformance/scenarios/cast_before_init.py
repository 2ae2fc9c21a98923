"""cast-before-init: a network cast to another float type before the first data
materializes its parameters in that type and computes in it, as when cast after."""
from conformance.scenarios.common import MLP, inputs, ready


def cast_first(fw, dtype):
    x = inputs().astype(dtype)
    state = fw.materialize(fw.cast(fw.initialize(fw.build(MLP)), dtype), x)
    y, state = fw.forward(state, x)
    return {"weight": fw.param_dtype(state, "0.weight"), "output": y.dtype.name}


def run(fw, rec):
    rec.call("float64-before-data", lambda: cast_first(fw, "float64"))

    def cast_late():
        x = inputs().astype("float64")
        state = fw.cast(ready(fw, MLP, inputs()), "float64")
        y, state = fw.forward(state, x)
        return {"weight": fw.param_dtype(state, "0.weight"), "output": y.dtype.name}

    rec.call("float64-after-data", cast_late)
