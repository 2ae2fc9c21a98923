"""unused-param: a registered layer the forward never calls keeps its parameters
deferred after the first data; saving, counting and a training step then refuse
rather than skip or invent them."""
import tempfile

from conformance.scenarios.common import UNUSED, inputs, param_state, premise


def run(fw, rec):
    x = inputs()
    net = rec.step("first data", lambda: fw.materialize(fw.initialize(fw.build(UNUSED)), x))
    state = rec.call("unused-layer", lambda: param_state(fw, net.value, "2.weight"),
                     needs=net)
    deferred = premise(state, state.value in ("declared", "shape-known"),
                       f"2.weight is {state.value}, not a parameter waiting for a value")

    def save():
        with tempfile.TemporaryDirectory() as tmp:
            fw.save(net.value, tmp)
        return "saved"

    rec.call("save", save, needs=deferred)
    rec.call("count", lambda: fw.count_params(net.value), needs=deferred)

    def step():
        opt = fw.make_optimizer(net.value, "sgd", 0.1)
        fw.train_step(net.value, opt, x)
        return "stepped"

    rec.call("train-step", step, needs=deferred)
