"""torch: running a never-run lazy network under FakeTensorMode (for its output shape) runs
the lazy modules' materialization hooks inside the mode: the UninitializedParameters become
ordinary Parameters on the meta device with the shapes of the fake input (0.weight
(256, 20)) and the modules become nn.Linear. The network then refuses real data of
another width, and holds no values for data of the same width
(shape-without-init/weight-shape-after, shape-without-init/then-other-width)."""
import json

import torch
from torch._subclasses.fake_tensor import FakeTensorMode

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
net.eval()
# a plain FakeTensorMode refuses the real UninitializedParameter (not a FakeTensor):
# allow_non_fake_inputs converts it, and the input lives on the meta device
with torch.no_grad(), FakeTensorMode(allow_non_fake_inputs=True):
    out = net(torch.empty((2, 20), device="meta"))
print("# output shape", tuple(out.shape))
w = net[0].weight
print("#", type(net[0]).__name__, type(w).__name__, w.device)
print("OBSERVED shape-without-init/weight-shape-after", json.dumps({"0.weight": list(w.shape)}))

try:
    with torch.no_grad():
        net(torch.rand(2, 12))
    observed = list(net[0].weight.shape)
except RuntimeError as exc:  # mat1 and mat2 shapes cannot be multiplied (2x12 and 20x256)
    print("#", type(exc).__name__, exc)
    observed = "raises:shape-mismatch"
print("OBSERVED shape-without-init/then-other-width", json.dumps(observed))
try:
    net[0].weight.detach().cpu()
except NotImplementedError as exc:  # Cannot copy out of meta tensor; no data!
    print("# reading 0.weight:", type(exc).__name__, exc)
