"""PyG: the weight of a never-run Linear(-1, out) is torch's UninitializedParameter, whose
allowed methods include Tensor.copy_, so a write into it sees an empty tensor and fails
with a size error, not an uninitialized-parameter error
(direct-write/write-before-initialize). Guarded: Sequential's template imports the
calling script by its file name."""
import json

import torch
from torch_geometric.nn import Linear, Sequential


def main():
    net = Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                           (Linear(-1, 10), "x -> x")])
    try:
        with torch.no_grad():
            net[0].weight.copy_(torch.ones(256, 20))
        observed = "accepted"
    except RuntimeError as exc:  # The size of tensor a (0) must match the size of tensor b
        print("#", type(exc).__name__, str(exc).splitlines()[0])
        observed = "raises:shape-mismatch"
    print("OBSERVED direct-write/write-before-initialize", json.dumps(observed))


if __name__ == "__main__":
    main()
