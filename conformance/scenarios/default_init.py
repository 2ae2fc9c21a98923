"""default-init: weights ~ U(-0.07, 0.07) and biases 0 under the default
initializer, checked statistically on the 256 x 20 = 5120 first-layer weights."""
import numpy as np

from conformance.scenarios.common import inputs, summary


def run(fw, rec):
    net = fw.build_mlp()
    ready = rec.step("initialize + forward", lambda: (fw.initialize(net), fw.forward(net, inputs())))
    w = rec.step("read 0.weight", lambda: fw.read_param(net, "0.weight").astype(np.float64),
                 needs=ready)
    stats = {"weight-max-abs": lambda v: float(np.abs(v).max()),
             "weight-within-bound": lambda v: bool(np.abs(v).max() <= 0.07 + 1e-7),
             "weight-mean": lambda v: float(v.mean()),
             "weight-std": lambda v: float(v.std())}
    for check, stat in stats.items():
        rec.call(check, lambda stat=stat: stat(w.value), needs=w)
    rec.call("bias-values", lambda: [summary(fw.read_param(net, p)) for p in ("0.bias", "1.bias")],
             needs=ready)
