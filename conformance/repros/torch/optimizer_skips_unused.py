"""torch: optimizer.step() updates only the parameters whose .grad is not None, so an
optimizer over all parameters steps without error and silently leaves an unused layer's
UninitializedParameters as they are; MXNet's Trainer raises on them instead
(unused-param/train-step)."""
import json

import torch


class SkipLast(torch.nn.Sequential):
    """A Sequential whose forward never calls its last child."""

    def forward(self, x):
        for module in list(self)[:-1]:
            x = module(x)
        return x


net = SkipLast(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10),
               torch.nn.LazyLinear(7))
x = torch.rand(2, 20)
net(x)
try:
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    opt.zero_grad()
    net(x).sum().backward()
    opt.step()
    observed = "stepped"
except Exception as exc:  # noqa: BLE001
    observed = f"raises: {type(exc).__name__}"
print("# unused layer after the step:", type(net[3].weight).__name__, "grad", net[3].weight.grad)
print("OBSERVED unused-param/train-step", json.dumps(observed))
