"""torch: a LazyLinear built under torch.device("meta") holds UninitializedParameters;
Module.to_empty refuses them (ValueError: Attempted to use an uninitialized parameter),
and real data cannot infer them either (the parameters are on meta, the data on CPU:
RuntimeError). Only a "dry run" with meta data infers the shapes before to_empty
(lazy-on-abstract/first-data-infers)."""
import json

import torch

with torch.device("meta"):
    net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
try:
    net.to_empty(device="cpu")
    observed = "materialised"
except ValueError as exc:
    print("#", type(exc).__name__, str(exc)[:70])
    observed = "raises:no-value"
with torch.device("meta"):
    again = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
try:
    again(torch.rand(2, 20))
except RuntimeError as exc:
    print("# CPU data into the meta network:", type(exc).__name__, str(exc)[:70])
again(torch.empty(2, 20, device="meta"))
print("# after a meta dry run:", tuple(again[0].weight.shape), again[0].weight.device)
print("OBSERVED lazy-on-abstract/first-data-infers", json.dumps(observed))
