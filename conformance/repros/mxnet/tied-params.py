"""tied-params on MXNet Gluon (the reference): params=shared.params shares the
Parameter objects, before data too; the gradient sums both uses."""
from mxnet import autograd, gluon, nd

shared = gluon.nn.Dense(8, activation="relu")
net = gluon.nn.Sequential()
net.add(gluon.nn.Dense(8, activation="relu"), shared,
        gluon.nn.Dense(8, activation="relu", params=shared.params), gluon.nn.Dense(10))
print("same object before data:", net[1].weight is net[2].weight)
net.initialize()
with autograd.record():
    out = net(nd.random.uniform(shape=(2, 20)))
out.backward()
print("shared weight grad shape:", net[1].weight.grad().shape)
