"""nested-blocks on torch: the nested lazy network infers every shape at the first
forward, but before data no weight shape can be read."""
import torch


def block1():
    return torch.nn.Sequential(torch.nn.LazyLinear(32), torch.nn.ReLU(), torch.nn.LazyLinear(16),
                               torch.nn.ReLU())


net = torch.nn.Sequential(torch.nn.Sequential(*[block1() for _ in range(4)]), torch.nn.LazyLinear(10))
try:
    print("observed: first weight shape:", tuple(net[0][0][0].weight.shape))
except RuntimeError as exc:
    print("observed: first weight shape before data -> RuntimeError:", str(exc).splitlines()[0][:70])
print("spec expects: (32, ?) -- the output dim known, the input dim unknown")
net(torch.rand(2, 20))
print("after the first forward:", [tuple(p.shape) for n, p in net.named_parameters() if n.endswith("weight")])
print("parameter tensors:", len(list(net.parameters())), "scalars:", sum(p.numel() for p in net.parameters()))
