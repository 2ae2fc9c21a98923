"""mxnet (numpy mode, npx.set_np()): a network cast to float64 before its first data
fails at that data. Deferred initialization then creates the float64 weight and fills
it with the default initializer, Uniform(0.07), which calls
mx.np.random.uniform(-0.07, 0.07, shape, out=arr) with no dtype: the operator makes
float32 and rejects the float64 out ("Check failed: outputs[i]->dtype() == out_types[i]
(1 vs. 0) ... in operator _npi_uniform"). _finish_deferred_init has already cleared the
pending initialization, so a retry says the parameter has not been initialized. In
legacy mode (mx.nd) the same steps give float64 weights and output
(cast-before-init/float64-before-data)."""
import json

import mxnet as mx
from mxnet import np, npx
from mxnet.gluon import nn

npx.set_np()
net = nn.Sequential()
net.add(nn.Dense(256, activation="relu"), nn.Dense(10))
net.initialize()
net.cast("float64")
x = np.random.uniform(size=(2, 20)).astype("float64")
try:
    y = net(x)
    observed = {"weight": str(net[0].weight.data().dtype), "output": str(y.dtype)}
except mx.base.MXNetError as exc:
    print("#", str(exc).strip().splitlines()[-1])
    observed = "raises:dtype-mismatch"   # an operator's output dtype check
try:
    net(x)
except RuntimeError as exc:              # the deferred initialization is gone
    print("# retry:", str(exc).split(".")[0])
print("OBSERVED cast-before-init/float64-before-data", json.dumps(observed))
