"""direct-write on torch: writing a LazyLinear weight before data fails with a
generic size error, not a not-initialized one; no initializer can be registered,
so "while deferred" does not exist."""
import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
try:
    with torch.no_grad():
        net[0].weight.copy_(torch.ones(256, 20))
    print("observed: write before data accepted")
except Exception as exc:  # noqa: BLE001
    print("observed: write before data ->", type(exc).__name__ + ":", str(exc).splitlines()[0][:80])
print("spec expects: a not-initialized error")
net(torch.rand(2, 20))
with torch.no_grad():
    net[2].weight.zero_()
    net[2].bias.fill_(5.0)
print("after the first forward writes are live, output:", net(torch.rand(2, 20)).unique().tolist())
