"""torch: a lazy module's UninitializedParameter has no readable shape before the
first forward -- not even its known output dimension (unknown-dims/weight-shapes)."""
import json

import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
shapes = {}
for pid, p in (("0.weight", net[0].weight), ("1.weight", net[2].weight)):
    try:
        shapes[pid] = list(p.shape)
    except RuntimeError as exc:  # "Can't access the shape of an uninitialized parameter"
        print("#", type(exc).__name__, str(exc).splitlines()[0][:90])
        shapes[pid] = "raises:no-value"
print("OBSERVED unknown-dims/weight-shapes", json.dumps(shapes))
