"""torch: the state_dict of a never-run lazy network holds its UninitializedParameters
and torch.save writes them without error (save-load/save-before-data)."""
import json
import os
import tempfile

import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
print("#", {k: type(v).__name__ for k, v in net.state_dict().items()})
with tempfile.TemporaryDirectory() as tmp:
    try:
        torch.save(net.state_dict(), os.path.join(tmp, "net.pt"))
        observed = "saved"
    except Exception as exc:  # noqa: BLE001
        observed = f"raises: {type(exc).__name__}"
print("OBSERVED save-load/save-before-data", json.dumps(observed))
