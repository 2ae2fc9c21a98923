"""torch: a lazy layer the forward never calls keeps its UninitializedParameters after the
first data, and torch.save(state_dict) writes them without error; loading that file back
with torch.load(weights_only=True) (the default) then fails: UninitializedParameter is not
an allowed global (unused-param/save)."""
import json
import os
import tempfile

import torch


class SkipLast(torch.nn.Sequential):
    """A Sequential whose forward never calls its last child."""

    def forward(self, x):
        for module in list(self)[:-1]:
            x = module(x)
        return x


net = SkipLast(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10),
               torch.nn.LazyLinear(7))
net(torch.rand(2, 20))
print("#", {k: type(v).__name__ for k, v in net.state_dict().items()})
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "net.pt")
    try:
        torch.save(net.state_dict(), path)
        observed = "saved"
    except Exception as exc:  # noqa: BLE001
        observed = f"raises: {type(exc).__name__}"
    print("OBSERVED unused-param/save", json.dumps(observed))
    try:
        torch.load(path, weights_only=True)
        print("# loaded back")
    except Exception as exc:  # noqa: BLE001 - UnpicklingError: Unsupported global ...
        print("# load(weights_only=True):", type(exc).__name__,
              next(line for line in str(exc).splitlines() if "Unsupported global" in line)[:140])
