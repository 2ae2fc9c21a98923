"""init-runs-once on MXNet Gluon (the reference): later forwards call no initializer."""
from mxnet import gluon, init, nd

calls = []


class Recording(init.Initializer):
    def _init_weight(self, name, arr):
        calls.append((name, arr.shape))
        arr[:] = nd.random.uniform(-0.5, 0.5, shape=arr.shape)


net = gluon.nn.Sequential()
net.add(gluon.nn.Dense(256, activation="relu"), gluon.nn.Dense(10))
net.initialize(Recording())
net(nd.random.uniform(shape=(2, 20)))
n = len(calls)
net(nd.random.uniform(shape=(5, 20)))
print("initializer calls after the first forward:", calls[n:])
