"""torch: Module.requires_grad_(False) calls Tensor.requires_grad_ on every parameter, which
is not on UninitializedParameter's allowed-methods list, so freezing a never-run lazy layer
raises the uninitialized-parameter ValueError (freeze-before-init/freeze-before-data). The
attribute form, p.requires_grad = False, is accepted and survives materialization."""
import json

import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
try:
    net[0].requires_grad_(False)
    observed = "frozen"
except ValueError as exc:  # Attempted to use an uninitialized parameter in ... requires_grad_
    print("#", type(exc).__name__, str(exc)[:100])
    observed = "raises:no-value"
print("OBSERVED freeze-before-init/freeze-before-data", json.dumps(observed))

# the workaround: the attribute, not the method
for p in net[0].parameters():
    p.requires_grad = False
net(torch.rand(2, 20))
print("# after the first data:", {n: p.requires_grad for n, p in net.named_parameters()})
