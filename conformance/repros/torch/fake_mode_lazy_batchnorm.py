"""torch: LazyBatchNorm2d cannot be materialized under FakeTensorMode. Its running_mean is
an UninitializedBuffer (a plain torch.Tensor subclass, unlike UninitializedParameter, a
Parameter subclass); materialize() reads self.data, whose aten.detach FakeTensorMode
declines for an unrecognized tensor subclass and the subclass does not handle either:
TypeError "Multiple dispatch failed for 'torch.ops.aten.detach'"
(shape-without-init/conv-output-shape)."""
import json

import torch
from torch._subclasses.fake_tensor import FakeTensorMode

net = torch.nn.Sequential(torch.nn.LazyConv2d(16, 3), torch.nn.LazyBatchNorm2d(),
                          torch.nn.Flatten(), torch.nn.LazyLinear(10))
net.eval()
try:
    with torch.no_grad(), FakeTensorMode(allow_non_fake_inputs=True):
        out = net(torch.empty((2, 3, 32, 32), device="meta"))
    observed = list(out.shape)
except TypeError as exc:  # Multiple dispatch failed for 'torch.ops.aten.detach'
    print("#", type(exc).__name__, str(exc).splitlines()[0])
    observed = "raises:other"
print("# after:", {n: type(b).__name__ for n, b in net.named_buffers()})
print("OBSERVED shape-without-init/conv-output-shape", json.dumps(observed))
