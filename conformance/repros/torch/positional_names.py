"""torch: native parameter names are paths inside the module (Sequential children are
named by position), so two networks of one structure have the same names
(naming/distinct-across-networks)."""
import json

import torch


def mlp():
    return torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))


first, second = mlp(), mlp()
for net in (first, second):
    net(torch.rand(2, 20))
a = [n for n, _ in first.named_parameters()]
b = [n for n, _ in second.named_parameters()]
print("#", a, b)
print("OBSERVED naming/distinct-across-networks", json.dumps(not set(a) & set(b)))
