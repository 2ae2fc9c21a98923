"""doc-claims on torch: the seed's claims about PyTorch lazy modules; torch 2.13 no
longer emits the "Lazy modules are a new feature" UserWarning."""
import warnings

import torch

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
print("observed: warnings at construction:", [str(w.message)[:60] for w in caught])
print("spec expects: UserWarning: Lazy modules are a new feature under heavy development ...")
print("weight type before data:", type(net[0].weight).__name__, "| spec expects: UninitializedParameter")
net(torch.rand(2, 20))
print("weight shape after forward:", net[0].weight.shape, "| spec expects: torch.Size([256, 20])")
