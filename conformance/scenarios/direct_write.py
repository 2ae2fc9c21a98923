"""direct-write: a parameter's data is live: in-place edits and writes are seen
by the next forward; writing before initialization fails clearly."""
import numpy as np

from adapters.interface import Init
from conformance.scenarios.common import inputs, summary


def run(fw, rec):
    net, x = fw.build_mlp(), inputs()
    ready = rec.step("initialize + forward", lambda: (fw.initialize(net), fw.forward(net, x)))

    def inplace():
        y1 = fw.forward(net, x)
        fw.inplace_add(net, "1.bias", 1.0)
        return bool(np.abs(fw.forward(net, x) - (y1 + 1)).max() <= 1e-5)

    rec.call("inplace-seen", inplace, needs=ready)

    def overwrite():
        fw.write_param(net, "1.weight", np.zeros((10, 256), np.float32))
        fw.write_param(net, "1.bias", np.full(10, 5.0, np.float32))
        return summary(fw.forward(net, x))

    rec.call("write-seen", overwrite, needs=ready)
    fresh = fw.build_mlp()
    rec.call("write-before-initialize",
             lambda: fw.write_param(fresh, "0.weight", np.ones((256, 20), np.float32)),
             then=lambda _: "accepted")
    deferred = fw.build_mlp()
    registered = rec.step("initialize", lambda: fw.initialize(deferred, Init("uniform", 0.5)))

    def write_while_deferred():
        fw.write_param(deferred, "0.weight", np.ones((256, 20), np.float32))
        fw.forward(deferred, x)
        return "prefills" if summary(fw.read_param(deferred, "0.weight")) == "all 1" else "ignored"

    rec.call("write-while-deferred", write_while_deferred, needs=registered)
