"""naming on torch: parameter names are module paths ('0.weight'), the same in every
network; there is no native regular-expression selection."""
import re

import torch


def mlp():
    return torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))


net, other = mlp(), mlp()
names = [n for n, _ in net.named_parameters()]
print("observed: names:", names)
print("spec expects: unique per instance, e.g. ['dense0_weight', 'dense0_bias', 'dense1_weight', 'dense1_bias']")
print("observed: names shared with a second network:", sorted(set(names) & {n for n, _ in other.named_parameters()}))
print("regex selection method (like collect_params('.*weight')):", hasattr(net, "collect_params"),
      "| user code:", [n for n in names if re.match(".*weight", n)])
