"""mismatch on torch: a 30-feature batch into Linear(20, 256) fails at the first
forward; the LazyLinear after it keeps even its bias uninitialized."""
import torch

net = torch.nn.Sequential(torch.nn.Linear(20, 256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
try:
    net(torch.rand(2, 30))
except RuntimeError as exc:
    print("forward -> RuntimeError:", str(exc).splitlines()[0][:70])
readable = []
for name, p in net.named_parameters():
    try:
        p.detach()
        readable.append(name)
    except ValueError:  # an UninitializedParameter cannot be read
        pass
print("observed: readable after the failure:", readable)
print("spec expects: ['0.weight', '0.bias', '1.bias'] (the second bias's shape (10,) is known)")
print("first weight shape after:", tuple(net[0].weight.shape))
