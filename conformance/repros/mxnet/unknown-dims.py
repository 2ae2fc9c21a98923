"""unknown-dims on MXNet Gluon (the reference): parameters exist, input dim unknown (0)."""
from mxnet import gluon

net = gluon.nn.Sequential()
net.add(gluon.nn.Dense(256, activation="relu"), gluon.nn.Dense(10))
print({name: p.shape for name, p in net.collect_params().items()})
try:
    net[0].weight.data()
except RuntimeError as exc:
    print("read before initialize -> RuntimeError:", str(exc).splitlines()[0][:80])
