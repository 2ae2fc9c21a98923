"""varying-input: once shapes are fixed another feature dim is rejected, another
batch size is fine; a dense layer flattens inputs with extra axes."""
from conformance.scenarios.common import MLP, inputs, ready


def run(fw, rec):
    first = rec.step("first data", lambda: ready(fw, MLP, inputs()))
    rec.call("other-features-raises", lambda: fw.forward(first.value, inputs(features=30))[0].shape,
             needs=first)
    rec.call("shape-unchanged", lambda: fw.param_shape(first.value, "0.weight"), needs=first)
    rec.call("other-batch-ok", lambda: fw.forward(first.value, inputs(rows=7))[0].shape,
             needs=first)
    x3 = inputs().reshape(2, 4, 5)
    rec.call("extra-axes-output", lambda: fw.forward(ready(fw, MLP, x3), x3)[0].shape)
