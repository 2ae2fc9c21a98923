"""per-param-override: re-initialize layer 1 with Constant(42) and the first
layer's weight with Xavier, forced; nothing else changes."""
import numpy as np

from adapters.interface import Init
from conformance.scenarios.common import inputs, snapshot, summary


def run(fw, rec):
    net = fw.build_mlp()
    ready = rec.step("initialize + forward", lambda: (fw.initialize(net), fw.forward(net, inputs())))
    before = snapshot(fw, net) if ready.ok else {}
    xavier = rec.step("xavier on 0.weight",
                      lambda: fw.initialize(net, Init("xavier"), force=True, target="0.weight"),
                      needs=ready)
    const = rec.step("constant 42 on layer 1",
                     lambda: fw.initialize(net, Init("constant", 42.0), force=True, target=1),
                     needs=ready)
    rec.call("layer1-weight", lambda: summary(fw.read_param(net, "1.weight")), needs=const)
    rec.call("layer1-bias", lambda: summary(fw.read_param(net, "1.bias")), needs=const)

    def xavier_stats():
        w = fw.read_param(net, "0.weight").astype(np.float64)
        return [float(np.abs(w).max()), float(w.std())]

    rec.call("layer0-weight-xavier", xavier_stats, needs=xavier)
    rec.call("layer0-bias-unchanged",
             lambda: bool(np.array_equal(before["0.bias"], fw.read_param(net, "0.bias"))),
             needs=[xavier, const])
