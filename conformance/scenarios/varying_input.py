"""varying-input: once shapes are fixed another feature dim is rejected, another
batch size is fine; inputs with extra axes are flattened."""
from conformance.scenarios.common import inputs


def run(fw, rec):
    net = fw.build_mlp()
    first = rec.step("initialize + forward", lambda: (fw.initialize(net), fw.forward(net, inputs())))
    rec.call("other-features-raises", lambda: fw.forward(net, inputs(features=30)).shape,
             needs=first)
    rec.call("shape-unchanged", lambda: fw.param_shape(net, "0.weight"), needs=first)
    rec.call("other-batch-ok", lambda: fw.forward(net, inputs(rows=7)).shape, needs=first)

    net3 = fw.build_mlp()
    x3 = inputs().reshape(2, 4, 5)
    out = rec.call("extra-axes-output", lambda: (fw.initialize(net3), fw.forward(net3, x3))[1],
                   then=lambda y: y.shape)
    rec.call("extra-axes-weight", lambda: fw.param_shape(net3, "0.weight"), needs=out)
