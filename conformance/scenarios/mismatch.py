"""mismatch: a declared input shape (20) that disagrees with the data (30 features):
where the error surfaces, its kind, and the state the network is left in."""
from conformance.scenarios.common import MLP, inputs, readable


def run(fw, rec):
    built = rec.step("build", lambda: fw.build(MLP, input_shape=(20,)), requires=["model_input"])
    if not built.ok:
        for check in rec.wanted:
            rec.record(check, None, needs=built)
        return
    state, failed, ran = built.value, None, [built]
    for name, fn in (("initialize", fw.initialize),
                     ("materialize", lambda s: fw.materialize(s, inputs(features=30)))):
        step = rec.step(name, lambda fn=fn: fn(state))
        ran.append(step)
        if not step.ok:
            failed = step
            break
        state = step.value
    rec.record("error-at", failed.check if failed else "none", via=ran)
    rec.record("error-kind", failed.value if failed else "no error",
               message=failed.why if failed else "", via=ran)
    rec.call("readable-after-failure", lambda: readable(fw, state))
    rec.call("first-weight-shape-after", lambda: fw.param_shape(state, "0.weight"))
