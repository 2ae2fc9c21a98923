"""direct-write: edits of a parameter's value are seen by the next forward; a write
before initialization fails clearly; one while deferred pre-fills (MXNet)."""
import numpy as np

from conformance.scenarios.common import MLP, inputs, ready, summary

ONES = np.ones((256, 20), np.float32)


def run(fw, rec):
    x = inputs()
    state = rec.step("first data", lambda: ready(fw, MLP, x))

    def inplace():
        y1, s = fw.forward(state.value, x)
        fw.inplace_add(s, "1.bias", 1.0)
        return bool(np.abs(fw.forward(s, x)[0] - (y1 + 1)).max() <= 1e-5)

    rec.call("inplace-seen", inplace, needs=state)

    def overwrite():
        s = fw.write_param(state.value, "1.weight", np.zeros((10, 256), np.float32))
        s = fw.write_param(s, "1.bias", np.full(10, 5.0, np.float32))
        return summary(fw.forward(s, x)[0])

    rec.call("write-seen", overwrite, needs=state)
    rec.call("write-before-initialize", lambda: fw.write_param(fw.build(MLP), "0.weight", ONES),
             then=lambda _: "accepted")
    made = rec.step("build + initialize", lambda: fw.initialize(fw.build(MLP)),
                    requires=["init_step=deferred"])

    def write_while_deferred():
        s = fw.materialize(fw.write_param(made.value, "0.weight", ONES), x)
        return "prefills" if summary(fw.read_param(s, "0.weight")) == "all 1" else "ignored"

    rec.call("write-while-deferred", write_while_deferred, needs=made)
