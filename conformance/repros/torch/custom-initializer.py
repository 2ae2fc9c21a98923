"""custom-initializer on torch: a user initializer (the seeds' MyInit) is a function
applied to named_parameters(); nothing dispatches by role, so it runs on the biases too."""
import torch

calls = []


def my_init(name, p):  # d2l's my_init: U(-10, 10), then |w| < 5 -> 0
    calls.append(name)
    torch.nn.init.uniform_(p, -10, 10)
    p.mul_(p.abs() >= 5)


net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
net(torch.rand(2, 20))  # shapes must exist first
with torch.no_grad():
    for name, p in net.named_parameters():
        my_init(name, p)
print("observed: called for:", sorted(calls))
print("spec expects: called for the weights only; biases stay all 0")
print("observed: biases all 0:", [bool((net[i].bias == 0).all()) for i in (0, 2)])
