"""unused-param: a registered layer the forward never calls keeps its parameters
deferred after the first data; saving, counting and a training step then refuse
rather than skip or invent them. Save, count and step are observed whatever the
unused layer's state is (a framework that never created its parameters shows what
each operation then does), so each check judges its own operation."""
import tempfile

from conformance.scenarios.common import UNUSED, inputs, param_state


def run(fw, rec):
    x = inputs()
    net = rec.step("first data", lambda: fw.materialize(fw.initialize(fw.build(UNUSED)), x))
    rec.call("unused-layer", lambda: param_state(fw, net.value, "2.weight"), needs=net)

    def save():
        with tempfile.TemporaryDirectory() as tmp:
            fw.save(net.value, tmp)
        return "saved"

    rec.call("save", save, needs=net)
    rec.call("count", lambda: fw.count_params(net.value), needs=net)

    def step():
        opt = fw.make_optimizer(net.value, "sgd", 0.1)
        fw.train_step(net.value, opt, x)
        return "stepped"

    rec.call("train-step", step, needs=net)
