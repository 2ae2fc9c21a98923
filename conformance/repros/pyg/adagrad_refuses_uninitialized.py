"""PyG: torch.optim.Adagrad's constructor creates its per-parameter state eagerly
(torch.is_complex(p), torch.full_like(p, ...)), so made over a never-run PyG network, whose
weights are UninitializedParameters, it raises the uninitialized-parameter ValueError;
torch.optim.SGD is made without error (optimizer-before-init/adagrad-made-before-data).
Guarded: Sequential's template imports the calling script by its file name."""
import json

import torch
from torch_geometric.nn import Linear, Sequential


def main():
    net = Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                           (Linear(-1, 10), "x -> x")])
    torch.optim.SGD(net.parameters(), lr=0.1)
    print("# SGD made over the UninitializedParameters")
    try:
        torch.optim.Adagrad(net.parameters(), lr=0.1)
        observed = "made"
    except ValueError as exc:  # Attempted to use an uninitialized parameter in ... is_complex
        print("#", type(exc).__name__, str(exc)[:90])
        observed = "raises:no-value"
    print("OBSERVED optimizer-before-init/adagrad-made-before-data", json.dumps(observed))


if __name__ == "__main__":
    main()
