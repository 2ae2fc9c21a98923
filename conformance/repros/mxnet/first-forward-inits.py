"""first-forward-inits on MXNet Gluon (the reference): the first forward infers the
shapes and calls the initializer once per weight, in layer order."""
from mxnet import gluon, init, nd


class PrintInit(init.Initializer):
    def _init_weight(self, name, arr):
        print("init", name, arr.shape)
        arr[:] = nd.random.uniform(-0.5, 0.5, shape=arr.shape)


net = gluon.nn.Sequential()
net.add(gluon.nn.Dense(256, activation="relu"), gluon.nn.Dense(10))
net.initialize(PrintInit())
print("-- no call before data; first forward:")
print("output shape:", net(nd.random.uniform(shape=(2, 20))).shape)
