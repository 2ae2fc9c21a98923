"""unknown-dims on torch: lazy parameters exist, but no shape can be read before data."""
import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
print("parameters:", [name for name, _ in net.named_parameters()])
for name, p in net.named_parameters():
    try:
        print(name, "shape:", tuple(p.shape))
    except RuntimeError as exc:  # MXNet: (256, 0) -- the known dim is readable
        print(name, "shape -> RuntimeError:", str(exc).splitlines()[0][:70])
