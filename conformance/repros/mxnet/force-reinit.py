"""force-reinit on MXNet Gluon (the reference): without force_reinit initialize()
warns and changes nothing; with it the weights are re-initialized at once."""
import warnings

from mxnet import gluon, init, nd

net = gluon.nn.Sequential()
net.add(gluon.nn.Dense(256, activation="relu"), gluon.nn.Dense(10))
net.initialize()
net(nd.random.uniform(shape=(2, 20)))
before = net[0].weight.data().asnumpy()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    net.initialize(init.Constant(1.0))
print("warning:", str(caught[0].message)[:80] if caught else None)
print("values unchanged:", (net[0].weight.data().asnumpy() == before).all())
net.initialize(init.Constant(1.0), force_reinit=True)
print("after force_reinit, weight mean:", net[0].weight.data().mean().asscalar())
