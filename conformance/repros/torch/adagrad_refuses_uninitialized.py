"""torch: torch.optim.Adagrad's constructor creates its per-parameter state eagerly
(torch.is_complex(p), torch.full_like(p, ...)), so made over a never-run lazy network it
raises the uninitialized-parameter ValueError; torch.optim.SGD, which creates no state in
its constructor, is made without error (optimizer-before-init/adagrad-made-before-data)."""
import json

import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
torch.optim.SGD(net.parameters(), lr=0.1)
print("# SGD made over the UninitializedParameters")
try:
    torch.optim.Adagrad(net.parameters(), lr=0.1)
    observed = "made"
except ValueError as exc:  # Attempted to use an uninitialized parameter in ... is_complex
    print("#", type(exc).__name__, str(exc)[:90])
    observed = "raises:no-value"
print("OBSERVED optimizer-before-init/adagrad-made-before-data", json.dumps(observed))
