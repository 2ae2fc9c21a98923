"""per-param-override: re-initialize layer 1 with Constant(42) and the first
weight alone with Xavier; nothing else changes."""
import numpy as np

from adapters.interface import Init
from conformance.scenarios.common import MLP, ready, summary


def run(fw, rec):
    shaped = rec.step("first data", lambda: ready(fw, MLP))
    const = rec.step("constant 42 on layer 1",
                     lambda: fw.reinitialize(shaped.value, Init("constant", 42.0), target=1),
                     needs=shaped)
    rec.call("layer1-weight", lambda: summary(fw.read_param(const.value, "1.weight")), needs=const)
    rec.call("layer1-bias-untouched",
             lambda: summary(fw.read_param(const.value, "1.bias")) == "all 42", needs=const)
    before = fw.read_param(const.value, "0.bias") if const.ok else None
    xavier = rec.step("xavier on 0.weight",
                      lambda: fw.reinitialize(const.value, Init("xavier"), target="0.weight"),
                      needs=const)

    def xavier_stats():
        w = fw.read_param(xavier.value, "0.weight").astype(np.float64)
        return [float(np.abs(w).max()), float(w.std())]

    rec.call("layer0-weight-xavier", xavier_stats, needs=xavier)
    rec.call("layer0-bias-unchanged",
             lambda: bool(np.array_equal(before, fw.read_param(xavier.value, "0.bias"))),
             needs=xavier)
