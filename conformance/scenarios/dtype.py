"""dtype: a float64 input into a float32 deferred network is rejected, not cast
or promoted; parameters are float32."""
from conformance.scenarios.common import inputs


def run(fw, rec):
    net = fw.build_mlp()
    ready = rec.step("initialize", lambda: fw.initialize(net))
    rec.call("bias-dtype-before-data", lambda: fw.param_dtype(net, "0.bias"), needs=ready)
    rec.call("float64-forward", lambda: fw.forward(net, inputs().astype("float64")),
             then=lambda y: f"output {y.dtype}", needs=ready)
    rec.call("weight-dtype-after", lambda: fw.param_dtype(net, "0.weight"), needs=ready)
    rec.call("float32-forward-after", lambda: fw.forward(net, inputs()).shape, needs=ready)
