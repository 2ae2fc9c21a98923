"""torch: Tensor.copy_ is on UninitializedParameter's allowed-methods list, so a write
into a never-run lazy weight sees an empty tensor and fails with a size error, not an
uninitialized-parameter error (direct-write/write-before-initialize)."""
import json

import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
try:
    with torch.no_grad():
        net[0].weight.copy_(torch.ones(256, 20))
    observed = "accepted"
except RuntimeError as exc:  # The size of tensor a (0) must match the size of tensor b (20)
    print("#", type(exc).__name__, str(exc).splitlines()[0])
    observed = "raises:shape-mismatch"
print("OBSERVED direct-write/write-before-initialize", json.dumps(observed))
