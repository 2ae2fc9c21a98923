"""in-units-immediate: with every input dim given, initialization happens at
initialize() (or construction) and the first forward calls no initializer."""
from adapters.interface import Init
from conformance.scenarios.common import calls, inputs, shapes

WEIGHTS = ("0.weight", "1.weight")


def run(fw, rec):
    net, init = fw.build_mlp(in_units=20), Init.recording()
    rec.call("shapes-before-data", lambda: shapes(fw, net))
    at_init = rec.call("calls-at-initialize", lambda: fw.initialize(net, init),
                       then=lambda _: calls(init.log))
    rec.call("readable-before-forward",
             lambda: {p: fw.read_param(net, p).shape for p in WEIGHTS})
    n = len(init.log)
    fwd = rec.call("output-shape", lambda: fw.forward(net, inputs()), then=lambda y: y.shape)
    rec.record("forward-calls", calls(init.log, since=n), needs=[at_init, fwd])
