"""in-units-immediate on MXNet Gluon (the reference): with in_units given,
initialize() initializes at once (weights only; biases keep 'zeros')."""
from mxnet import gluon, init, nd


class PrintInit(init.Initializer):
    def _init_weight(self, name, arr):
        print("init", name, arr.shape)
        arr[:] = nd.random.uniform(-0.5, 0.5, shape=arr.shape)


net = gluon.nn.Sequential()
net.add(gluon.nn.Dense(256, activation="relu", in_units=20), gluon.nn.Dense(10, in_units=256))
net.initialize(PrintInit())
print("readable before data:", net[0].weight.data().shape)
