"""default-init: weights ~ U(-0.07, 0.07) and biases 0 under the default
initializer, checked statistically on the 256 x 20 = 5120 first-layer weights."""
import numpy as np

from conformance.scenarios.common import MLP, ready, summary


def run(fw, rec):
    state = rec.step("first data", lambda: ready(fw, MLP))

    def distribution():
        w = fw.read_param(state.value, "0.weight").astype(np.float64)
        return [float(np.abs(w).max()), float(w.std())]

    rec.call("weight-distribution", distribution, needs=state)
    rec.call("bias-values",
             lambda: [summary(fw.read_param(state.value, p)) for p in ("0.bias", "1.bias")],
             needs=state)
