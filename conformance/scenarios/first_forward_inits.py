"""first-forward-inits: the first data infers every shape and draws each weight
once, in layer order; each bias, whose shape is known, is drawn before data, and
exactly once by the end of the first data."""
from adapters.interface import Init
from conformance.scenarios.common import MLP, draws, inputs, shapes


def run(fw, rec):
    w, b, x = Init.recording(), Init.recording(), inputs()
    made = rec.step("build + initialize",
                    lambda: fw.initialize(fw.build(MLP, weight_init=w, bias_init=b)))
    rec.record("weight-draws-before-data", draws(w), needs=made)
    rec.record("bias-draws-before-data", draws(b), needs=made)
    n = len(w.log)
    state = rec.step("materialize", lambda: fw.materialize(made.value, x), needs=made)
    rec.record("weight-draws", draws(w, since=n), needs=state)
    rec.record("bias-draws", draws(b), needs=state)
    rec.call("shapes-after", lambda: shapes(fw, state.value), needs=state)
    rec.call("output-shape", lambda: fw.forward(state.value, x)[0].shape, needs=state)
