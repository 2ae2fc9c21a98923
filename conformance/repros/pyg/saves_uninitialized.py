"""PyG: Linear._save_to_state_dict puts a never-run layer's UninitializedParameter into the
state_dict as it is, and torch.save writes it without error
(save-load/save-before-data). Guarded: Sequential's template imports the calling script
by its file name."""
import json
import os
import tempfile

import torch
from torch_geometric.nn import Linear, Sequential


def main():
    net = Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                           (Linear(-1, 10), "x -> x")])
    print("#", {k: type(v).__name__ for k, v in net.state_dict().items()})
    with tempfile.TemporaryDirectory() as tmp:
        try:
            torch.save(net.state_dict(), os.path.join(tmp, "net.pt"))
            observed = "saved"
        except Exception as exc:  # noqa: BLE001
            observed = f"raises: {type(exc).__name__}"
    print("OBSERVED save-load/save-before-data", json.dumps(observed))


if __name__ == "__main__":
    main()
