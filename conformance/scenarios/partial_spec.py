"""partial-spec: input units for the first layer only: it is drawn at the initialize
step, the second layer stays deferred until the first data."""
from adapters.interface import Init
from conformance.scenarios.common import PARTIAL, draws, inputs

PER_LAYER = ["per_layer_input"]


def run(fw, rec):
    init = Init.recording()
    built = rec.step("build", lambda: fw.build(PARTIAL, weight_init=init), requires=PER_LAYER)
    rec.call("first-shape-before-data", lambda: fw.param_shape(built.value, "0.weight"), needs=built)
    rec.call("second-shape-before-data", lambda: fw.param_shape(built.value, "1.weight"),
             needs=built)
    made = rec.step("initialize", lambda: fw.initialize(built.value), needs=built)
    rec.record("draws-before-data", draws(init), needs=made)
    rec.call("first-readable", lambda: fw.read_param(made.value, "0.weight").shape, needs=made)
    rec.call("second-no-value", lambda: fw.read_param(made.value, "1.weight").shape, needs=made)
    n = len(init.log)
    first = rec.step("first data", lambda: fw.materialize(made.value, inputs()), needs=made)
    rec.record("draws-at-first-data", draws(init, since=n), needs=first)
