"""conv-lazy: Conv2D(16, 3) -> BatchNorm -> Dense(10) with unknown channels; every
shape is inferred from an image batch (2, 3, 32, 32)."""
import numpy as np

from conformance.scenarios.common import shapes

IDS = ["0.weight", "1.gamma", "1.beta", "2.weight"]


def run(fw, rec):
    net = fw.build_conv()
    rec.call("layout", fw.layout)
    rec.call("conv-weight-before-data", lambda: fw.param_shape(net, "0.weight"))
    x = np.random.default_rng(0).uniform(0, 1, (2, 3, 32, 32)).astype(np.float32)
    fwd = rec.call("output-shape", lambda: (fw.initialize(net), fw.forward(net, x))[1],
                   then=lambda y: y.shape)
    rec.call("shapes-after-forward", lambda: shapes(fw, net, IDS), needs=fwd)
