"""PyG: a Linear(-1, out) the forward never calls keeps its UninitializedParameter weight
after the first data, and torch.save(state_dict) writes it without error
(unused-param/save); torch.load(weights_only=True), the default, then refuses the file:
UninitializedParameter is not an allowed global. Guarded: Sequential's template imports
the calling script by its file name."""
import json
import os
import tempfile

import torch
from torch_geometric.nn import Linear, Sequential


def main():
    net = Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                           (Linear(-1, 10), "x -> x")])
    net.add_module("module_3", Linear(-1, 7))   # registered, never called by the forward
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
                  next((ln for ln in str(exc).splitlines() if "Unsupported global" in ln),
                       str(exc))[:140])


if __name__ == "__main__":
    main()
