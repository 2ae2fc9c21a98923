"""nested-blocks: the seeds' nested "Rube Goldberg" network: every deferred
parameter is inferred at the first data; nested access works."""
import numpy as np

from conformance.scenarios.common import NESTED, inputs, shapes

WEIGHTS = [f"{i}.weight" for i in range(9)]


def run(fw, rec):
    model = fw.build(NESTED)
    rec.call("weights-before-data", lambda: shapes(fw, model, WEIGHTS))
    state = rec.step("first data", lambda: fw.materialize(fw.initialize(model), inputs()))
    rec.call("output-shape", lambda: fw.forward(state.value, inputs())[0].shape, needs=state)
    rec.call("weights-after-data", lambda: shapes(fw, state.value, WEIGHTS), needs=state)
    rec.call("param-tensors", lambda: len(fw.param_ids(state.value)), needs=state)
    rec.call("param-count", lambda: int(sum(np.prod(fw.param_shape(state.value, p))
                                            for p in fw.param_ids(state.value))), needs=state)
    rec.call("nested-access", lambda: fw.nested_lookup(state.value, (0, 1, 0), "bias"),
             needs=state)
