"""conv-lazy on torch: LazyConv2d/LazyBatchNorm2d/LazyLinear infer every shape from an
NCHW batch, but the conv weight's shape cannot be read before data."""
import torch

net = torch.nn.Sequential(torch.nn.LazyConv2d(16, 3), torch.nn.LazyBatchNorm2d(), torch.nn.Flatten(),
                          torch.nn.LazyLinear(10))
try:
    print("observed: conv weight shape:", tuple(net[0].weight.shape))
except RuntimeError as exc:
    print("observed: conv weight shape before data -> RuntimeError:", str(exc).splitlines()[0][:70])
print("spec expects: (16, ?, 3, 3)")
print("output shape:", tuple(net(torch.rand(2, 3, 32, 32)).shape))
print("after the first forward:", {n: tuple(p.shape) for n, p in net.named_parameters() if "weight" in n})
