"""direct-write on MXNet Gluon: writes after initialize() are live, but a write while
initialization is still deferred is accepted and pre-fills the weight (spec: raises
DeferredInitializationError)."""
from mxnet import gluon, init, nd

net = gluon.nn.Sequential()
net.add(gluon.nn.Dense(256, activation="relu"), gluon.nn.Dense(10))
try:
    net[0].weight.set_data(nd.ones((256, 20)))  # before initialize(): refused
except (RuntimeError, AssertionError) as exc:
    print("write before initialize ->", type(exc).__name__ + ":", str(exc).splitlines()[0][:70])
net.initialize(init.Uniform(0.5))
try:
    net[0].weight.set_data(nd.ones((256, 20)))  # after initialize(), before data
    print("observed: write while deferred accepted")
except Exception as exc:  # noqa: BLE001
    print("observed: write while deferred ->", type(exc).__name__, str(exc).splitlines()[0][:70])
net(nd.random.uniform(shape=(2, 20)))
w = net[0].weight.data().asnumpy()
print("observed: after the first forward the weight is all 1 (pre-filled):", bool((w == 1).all()))
print("spec expects: the write while deferred raises DeferredInitializationError")
