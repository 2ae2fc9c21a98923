"""initialize-deferred on MXNet Gluon (the reference): initialize() before data defers."""
from mxnet import gluon, init
from mxnet.gluon.parameter import DeferredInitializationError

net = gluon.nn.Sequential()
net.add(gluon.nn.Dense(256, activation="relu"), gluon.nn.Dense(10))
net.initialize(init.Normal(0.01))
print("shapes after initialize:", {n: p.shape for n, p in net.collect_params().items()})
try:
    net[0].weight.data()
except DeferredInitializationError as exc:
    print("read -> DeferredInitializationError:", str(exc).splitlines()[0][:80])
