"""shape-without-init: the framework's shape inference gives the output shape of a
network that has seen no data without materializing it, fixing no shape: the first
data may still have another width."""
from conformance.scenarios.common import CONV, MLP, inputs, readable, shapes


def run(fw, rec):
    net = rec.step("build + initialize", lambda: fw.initialize(fw.build(MLP)))
    before = rec.step("readable before", lambda: readable(fw, net.value), needs=net)
    inferred = rec.call("output-shape", lambda: fw.output_shape(net.value, (2, 20)),
                        needs=before)
    rec.call("nothing-materialized", lambda: readable(fw, net.value) == before.value,
             needs=inferred)
    rec.call("weight-shape-after", lambda: shapes(fw, net.value, ["0.weight"]),
             needs=inferred)

    def then_other_width():
        return fw.param_shape(fw.materialize(net.value, inputs(features=12)), "0.weight")

    rec.call("then-other-width", then_other_width, needs=inferred)
    conv = rec.step("conv build + initialize", lambda: fw.initialize(fw.build(CONV)))
    rec.call("conv-output-shape", lambda: fw.output_shape(conv.value, (2, 3, 32, 32)),
             needs=conv)
