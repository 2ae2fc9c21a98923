"""in-units-immediate: with the model's input shape declared, every shape is known
at once, weights are drawn before data and the first data draws nothing."""
from adapters.interface import Init
from conformance.scenarios.common import MLP, draws, inputs, shapes

WEIGHTS = ("0.weight", "1.weight")


def run(fw, rec):
    init = Init.recording()
    built = rec.step("build(input_shape)", lambda: fw.build(MLP, input_shape=(20,), weight_init=init),
                     requires=["model_input"])
    rec.call("shapes-before-data", lambda: shapes(fw, built.value), needs=built)
    made = rec.step("initialize", lambda: fw.initialize(built.value), needs=built)
    rec.record("weight-draws-before-data", draws(init, "weight"), needs=made)
    rec.call("readable-before-data",
             lambda: {p: fw.read_param(made.value, p).shape for p in WEIGHTS}, needs=made)
    n = len(init.log)
    first = rec.step("first data", lambda: fw.materialize(made.value, inputs()), needs=made)
    rec.record("draws-at-first-data", draws(init, since=n), needs=first)
    rec.call("output-shape", lambda: fw.forward(first.value, inputs())[0].shape, needs=first)
