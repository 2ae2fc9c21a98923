"""default-init: weights ~ U(-0.07, 0.07) and biases 0 under the default
initializer, checked statistically on the 256 x 20 = 5120 first-layer weights."""
import numpy as np

from conformance.scenarios.common import inputs, summary


def run(fw, rec):
    net = fw.build_mlp()
    ready = rec.step("initialize + forward", lambda: (fw.initialize(net), fw.forward(net, inputs())))
    w = rec.step("read 0.weight", lambda: fw.read_param(net, "0.weight").astype(np.float64),
                 needs=ready)
    rec.record("weight-max-abs", float(np.abs(w.value).max()) if w.ok else None, needs=w)
    rec.record("weight-within-bound", bool(np.abs(w.value).max() <= 0.07 + 1e-7) if w.ok
               else None, needs=w)
    rec.record("weight-mean", float(w.value.mean()) if w.ok else None, needs=w)
    rec.record("weight-std", float(w.value.std()) if w.ok else None, needs=w)
    rec.call("bias-values", lambda: [summary(fw.read_param(net, p)) for p in ("0.bias", "1.bias")],
             needs=ready)
