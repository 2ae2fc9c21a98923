"""initialize-deferred on torch: no initializer can be registered before data."""
import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
try:  # MXNet: net.initialize(init.Normal(0.01)) is accepted and deferred
    torch.nn.init.normal_(net[0].weight, std=0.01)
    print("nn.init accepted")
except ValueError as exc:
    print("nn.init on a lazy weight -> ValueError:", str(exc).splitlines()[0][:70])
net(torch.rand(2, 20))
print("after the first forward, weight std:", round(net[0].weight.detach().std().item(), 4),
      "(torch's own reset_parameters, not Normal(0.01))")
