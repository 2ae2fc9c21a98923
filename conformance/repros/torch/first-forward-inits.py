"""first-forward-inits on torch: the first forward runs reset_parameters(), never a
user initializer (none can be registered on lazy parameters)."""
import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
try:
    torch.nn.init.uniform_(net[0].weight, -0.5, 0.5)  # the user initializer
except ValueError as exc:
    print("user initializer before data -> ValueError:", str(exc).splitlines()[0][:60])
print("output shape:", tuple(net(torch.rand(2, 20)).shape))
print("shapes after forward:", {n: tuple(p.shape) for n, p in net.named_parameters()})
print("weight within U[-0.5, 0.5] of the user init? max |w| =",
      round(net[0].weight.detach().abs().max().item(), 4), "(default kaiming bound ~0.22)")
