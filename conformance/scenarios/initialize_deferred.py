"""initialize-deferred: initialize() before data calls no initializer; reads still raise."""
from adapters.interface import Init
from conformance.scenarios.common import calls, inputs, shapes


def run(fw, rec):
    net, init = fw.build_mlp(), Init.recording()
    step = rec.attempt("initialize-accepted", lambda: fw.initialize(net, init))
    rec.record("calls-at-initialize", calls(init.log), needs=step)
    rec.call("shapes-still-unknown", lambda: shapes(fw, net, ["0.weight", "1.weight"]))
    rec.call("read-raises", lambda: fw.read_param(net, "0.weight"),
             then=lambda v: f"returned a value of shape {list(v.shape)}", needs=step)
    fwd = rec.step("forward", lambda: fw.forward(net, inputs()))
    rec.record("registered-init-used", calls(init.log, "weight") != [], needs=[step, fwd])
