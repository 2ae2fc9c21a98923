"""MXNet 1.9.1 Gluon: the nearest thing to an abstract build is a network with every
in_units declared and initialize() not yet called. Run:
timeout 120 .tox/mxnet/bin/python docs/design/probes/mxnet_abstract.py"""
import resource, time, warnings
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
def cur(): return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize() / 2**20
import mxnet as mx, numpy as np
from mxnet.gluon import nn
print("mxnet", mx.__version__)
net = nn.Sequential(); net.add(nn.Dense(256, in_units=20, activation="relu"), nn.Dense(10, in_units=256))
print("1 constructed, not initialized:", {k: v.shape for k, v in net.collect_params().items()})
try: net[0].weight.data()
except Exception as e: print("1 read ->", type(e).__name__, str(e).splitlines()[0][:150])
try: net(mx.nd.ones((2, 20)))
except Exception as e: print("1 forward ->", type(e).__name__, str(e).splitlines()[0][:150])
mx.random.seed(0); net.initialize(mx.init.Uniform(0.07)); a = net[0].weight.data().asnumpy()
net2 = nn.Sequential(); net2.add(nn.Dense(256, in_units=20, activation="relu"), nn.Dense(10, in_units=256))
mx.random.seed(0); net2.initialize(mx.init.Uniform(0.07))
print("3 two builds, same seed, equal:", np.array_equal(a, net2[0].weight.data().asnumpy()))
bn = nn.BatchNorm(in_channels=4); bn.initialize()
print("4 BatchNorm stats after initialize:", bn.running_mean.data().asnumpy().tolist(), bn.running_var.data().asnumpy().tolist())
r0 = rss(); c0 = cur(); t0 = time.perf_counter()
big = nn.Sequential()
for _ in range(4): big.add(nn.Dense(16384, in_units=16384))
n = sum(int(np.prod(p.shape)) for p in big.collect_params().values())
print(f"1B constructed (not initialized): params {n} {1000*(time.perf_counter()-t0):.0f} ms maxrss growth {rss()-r0:.1f} MiB current {cur()-c0:.1f} MiB")
print("meta/abstract device in mx.Context?", [c for c in ("meta",) if hasattr(mx, c)], "; mx.context.Context devtype names:", list(mx.context.Context.devtype2str.values()))
