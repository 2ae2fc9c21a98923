"""conv-lazy: Conv2D(16, 3) -> BatchNorm -> Flatten -> Dense(10) with unknown
channels; every shape is inferred from an image batch (2, 3, 32, 32)."""
from conformance.scenarios.common import CONV, images, shapes

IDS = ["0.weight", "1.gamma", "1.beta", "2.weight"]


def run(fw, rec):
    model = fw.build(CONV)
    rec.call("layout", fw.layout)
    rec.call("conv-weight-before-data", lambda: fw.param_shape(model, "0.weight"))
    x = images()
    state = rec.step("first data", lambda: fw.materialize(fw.initialize(model), x))
    rec.call("output-shape", lambda: fw.forward(state.value, x)[0].shape, needs=state)
    rec.call("shapes-after-data", lambda: shapes(fw, state.value, IDS), needs=state)
