"""nested-blocks: the seeds' nested "Rube Goldberg" network: every deferred
parameter is inferred at the first forward; nested access works."""
import numpy as np

from conformance.scenarios.common import inputs, shapes

WEIGHTS = [f"{i}.weight" for i in range(9)]


def run(fw, rec):
    net = fw.build_nested()
    rec.call("weights-before-data", lambda: shapes(fw, net, WEIGHTS))
    fwd = rec.call("output-shape", lambda: (fw.initialize(net), fw.forward(net, inputs()))[1],
                   then=lambda y: y.shape)
    rec.call("weights-after-forward", lambda: shapes(fw, net, WEIGHTS), needs=fwd)
    rec.call("param-tensors", lambda: len(fw.param_ids(net)), needs=fwd)
    rec.call("param-count", lambda: int(sum(np.prod(fw.param_shape(net, p))
                                            for p in fw.param_ids(net))), needs=fwd)
    rec.call("nested-access", lambda: fw.nested_lookup(net, (0, 1, 0), "bias"), needs=fwd)
