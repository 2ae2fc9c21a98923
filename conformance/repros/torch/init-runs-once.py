"""init-runs-once on torch: later forwards keep the values, but no user initializer
can be registered before data, so "called once" cannot be observed."""
import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
try:
    torch.nn.init.uniform_(net[0].weight, -0.5, 0.5)
except ValueError as exc:
    print("user initializer before data -> ValueError:", str(exc).splitlines()[0][:60])
x = torch.rand(2, 20)
first = net(x)
before = net[0].weight.detach().clone()
net(torch.rand(5, 20))
print("values unchanged:", torch.equal(before, net[0].weight), "same output:", torch.equal(first, net(x)))
