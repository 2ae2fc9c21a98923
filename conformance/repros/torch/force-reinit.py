"""force-reinit on torch: initializing again has no guard (no warning, values
overwritten) and no role dispatch (biases get the user initializer too)."""
import warnings

import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
net(torch.rand(2, 20))
before = net[0].weight.detach().clone()
calls = []
with warnings.catch_warnings(record=True) as caught, torch.no_grad():
    warnings.simplefilter("always")
    for name, p in net.named_parameters():  # MXNet: net.initialize(init) without force_reinit
        calls.append((name, tuple(p.shape)))
        torch.nn.init.uniform_(p, -0.5, 0.5)
print("warnings:", [str(w.message) for w in caught])  # MXNet warns and changes nothing
print("initializer calls:", calls)                    # MXNet: weights only
print("values unchanged:", torch.equal(before, net[0].weight))
