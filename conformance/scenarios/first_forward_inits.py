"""first-forward-inits: the first forward infers every shape and runs the
registered initializer once per parameter, in layer order."""
from adapters.interface import Init
from conformance.scenarios.common import calls, inputs, shapes


def run(fw, rec):
    net, init = fw.build_mlp(), Init.recording()
    registered = rec.step("initialize(recording)", lambda: fw.initialize(net, init))
    rec.record("calls-before-forward", calls(init.log), needs=registered)
    before = len(init.log)
    fwd = rec.call("output-shape", lambda: fw.forward(net, inputs()), then=lambda y: y.shape)
    rec.call("shapes-after-forward", lambda: shapes(fw, net), needs=fwd)
    rec.record("weight-calls", calls(init.log, "weight", before), needs=[registered, fwd])
    rec.record("bias-calls", calls(init.log, "bias"), needs=[registered, fwd])
