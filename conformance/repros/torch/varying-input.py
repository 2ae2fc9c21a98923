"""varying-input on torch: LazyLinear acts on the last axis only, so a (2, 4, 5)
first input gives a (256, 5) weight and a (2, 4, 10) output (MXNet flattens)."""
import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
out = net(torch.rand(2, 4, 5))
print("observed: output shape:", tuple(out.shape), "first weight shape:", tuple(net[0].weight.shape))
print("spec expects: output shape (2, 10), first weight shape (256, 20)")
