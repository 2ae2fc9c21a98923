"""partial-spec: input units for the first layer only: it initializes at once,
the second layer stays deferred until the first forward."""
from adapters.interface import Init
from conformance.scenarios.common import calls, inputs, shapes


def run(fw, rec):
    net, init = fw.build_mlp(in_units=20, first_only=True), Init.recording()
    rec.call("shapes-before-data", lambda: shapes(fw, net, ["0.weight", "1.weight"]))
    at_init = rec.call("calls-at-initialize", lambda: fw.initialize(net, init),
                       then=lambda _: calls(init.log))
    rec.call("first-readable", lambda: fw.read_param(net, "0.weight").shape)
    rec.call("second-deferred", lambda: fw.read_param(net, "1.weight").shape, needs=at_init)
    n = len(init.log)
    fwd = rec.step("forward", lambda: fw.forward(net, inputs()))
    rec.record("forward-calls", calls(init.log, since=n), needs=[at_init, fwd])
