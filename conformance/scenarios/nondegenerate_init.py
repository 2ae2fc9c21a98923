"""nondegenerate-init: after the first forward the weights hold real draws (not all
zero, not one repeated value), whether the input size was deferred or declared."""
from conformance.scenarios.common import CONV, MLP, images, inputs, ready, summary

WEIGHTS = ("0.weight", "1.weight")


def run(fw, rec):
    x = inputs()
    lazy = rec.step("first data", lambda: ready(fw, MLP, x))
    rec.call("lazy-weights", lambda: {p: summary(fw.read_param(lazy.value, p))
                                      for p in WEIGHTS}, needs=lazy)
    rec.call("lazy-output", lambda: summary(fw.forward(lazy.value, x)[0]), needs=lazy)
    conv = rec.step("conv first data", lambda: ready(fw, CONV, images()))
    rec.call("conv-weight", lambda: summary(fw.read_param(conv.value, "0.weight")),
             needs=conv)
    eager = rec.step("declared input", lambda: ready(fw, MLP, x, input_shape=(20,)),
                     requires=["model_input"])
    rec.call("declared-weights", lambda: {p: summary(fw.read_param(eager.value, p))
                                          for p in WEIGHTS}, needs=eager)
