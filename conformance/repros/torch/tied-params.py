"""tied-params on torch: reusing a module ties its parameters; the gradient sums both uses."""
import torch

shared = torch.nn.LazyLinear(8)
net = torch.nn.Sequential(torch.nn.LazyLinear(8), torch.nn.ReLU(), shared, torch.nn.ReLU(),
                          shared, torch.nn.ReLU(), torch.nn.LazyLinear(10))
print("same object before data:", net[2].weight is net[4].weight)
net(torch.rand(2, 20)).sum().backward()
print("shared weight shape:", tuple(net[2].weight.shape), "grad shape:", tuple(net[2].weight.grad.shape))
