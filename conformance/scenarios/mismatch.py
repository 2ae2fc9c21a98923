"""mismatch: declared input units (20) that disagree with the data (30 features):
where the error surfaces, its kind, and the state the network is left in."""
from conformance.scenarios.common import inputs, readable


def run(fw, rec):
    net = None
    stages = (("construction", lambda: fw.build_mlp(in_units=20, first_only=True)),
              ("initialize", lambda: fw.initialize(net)),
              ("forward", lambda: fw.forward(net, inputs(features=30))))
    failed = None
    for name, fn in stages:
        step = rec.step(name, fn)
        if not step.ok:
            failed = step
            break
        if name == "construction":
            net = step.value
    rec.record("error-at", failed.check if failed else "none")
    rec.record("error-kind", failed.value if failed else "no error",
               message=failed.why if failed else "")
    if net is not None:
        rec.call("readable-after-failure", lambda: readable(fw, net))
        rec.call("first-weight-shape-after", lambda: fw.param_shape(net, "0.weight"))
