"""freeze-before-init: a layer marked non-trainable before its shape is known stays
frozen once materialized: a training step leaves it and updates the others, as when it
is frozen after the first data -- measured for each native way of freezing
(``freeze(way=)``): the layer's own call, and each parameter's own flag."""
import numpy as np

from conformance.scenarios.common import MLP, inputs, ready

LAYERS = {"0": ("0.weight", "0.bias"), "1": ("1.weight", "1.bias")}


def changed(fw, state, x) -> dict:
    """One SGD step: ``{layer: whether its parameters changed}``."""
    before = {p: fw.read_param(state, p) for ps in LAYERS.values() for p in ps}
    state, _ = fw.train_step(state, fw.make_optimizer(state, "sgd", 0.1), x)
    return {layer: any(not np.array_equal(before[p], fw.read_param(state, p)) for p in ps)
            for layer, ps in LAYERS.items()}


#: way -> the ids of its checks (freeze before data, step after it, step after a late one)
WAYS = {"layer": ("freeze-before-data", "step-after-early-freeze", "step-after-late-freeze"),
        "parameter": ("parameter-freeze-before-data", "step-after-early-parameter-freeze",
                      "step-after-late-parameter-freeze")}


def run(fw, rec):
    x = inputs()
    for way, (before, early, late_id) in WAYS.items():
        net = rec.step("build + initialize", lambda: fw.initialize(fw.build(MLP)))
        frozen = rec.call(before, lambda: fw.freeze(net.value, 0, way),
                          then=lambda _: "frozen", needs=net)
        state = rec.step("first data", lambda: fw.materialize(frozen.value, x), needs=frozen)
        rec.call(early, lambda: changed(fw, state.value, x), needs=state)

        def late(way=way):
            return changed(fw, fw.freeze(ready(fw, MLP, x), 0, way), x)

        rec.call(late_id, late, needs=net)
