"""compile-before-init: the framework's compile step applied before the first data
leaves initialization deferred; the compiled network materializes with the right
shapes and computes with its own parameters, as when compiled after the data."""
import numpy as np

from conformance.scenarios.common import MLP, MLP_PIDS as PIDS, inputs, mlp_by_hand, ready, shapes


def correct(fw, state, x) -> bool:
    y, state = fw.forward(state, x)
    want = mlp_by_hand({p: fw.read_param(state, p) for p in PIDS}, x)
    return bool(np.allclose(y, want, rtol=1e-4, atol=1e-5))


def run(fw, rec):
    x = inputs()
    net = rec.step("build + initialize", lambda: fw.initialize(fw.build(MLP)))
    compiled = rec.call("compile-before-data", lambda: fw.compile(net.value),
                        then=lambda _: "compiled", needs=net)
    state = rec.call("first-data", lambda: fw.materialize(compiled.value, x),
                     then=lambda s: shapes(fw, s, ["0.weight", "1.weight"]), needs=compiled)
    rec.call("output-correct", lambda: correct(fw, state.value, x), needs=state)
    rec.call("compile-after-data", lambda: correct(fw, fw.compile(ready(fw, MLP, x)), x))
