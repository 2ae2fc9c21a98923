"""doc-claims on MXNet Gluon: the seeds' claims about MXNet; two do not hold in 1.9.1
(the unknown dim is 0, not -1; Constant(1) leaves the biases at 0)."""
from mxnet import gluon, init, nd


def mlp(in_units=0):
    net = gluon.nn.Sequential()
    net.add(gluon.nn.Dense(256, activation="relu", in_units=in_units),
            gluon.nn.Dense(10, in_units=256 if in_units else 0))
    return net


net = mlp()
print("printout:", str(net).splitlines()[1].strip(), "| spec expects: None")
print("unknown dim value:", net[0].weight.shape[1], "| spec expects: -1")
try:
    net[0].weight.data()
except Exception as exc:  # noqa: BLE001
    print("data() before initialize ->", type(exc).__name__, "| spec expects: RuntimeError")
net.initialize()
net(nd.ones((2, 20)))
print("listing after forward:", net[0].weight, "| spec expects: (shape=(256, 20), dtype=float32)")
print("default init: max |w| <= 0.07:", float(net[0].weight.data().abs().max().asscalar()) <= 0.07,
      "biases 0:", bool((net[0].bias.data() == 0).asnumpy().all()))
ones = mlp(in_units=20)
ones.initialize(init.Constant(1))
print("Constant(1) sets every parameter to 1:",
      all(bool((p.data() == 1).asnumpy().all()) for p in ones.collect_params().values()),
      {n: float(p.data().mean().asscalar()) for n, p in ones.collect_params().items()},
      "| spec expects: True")
