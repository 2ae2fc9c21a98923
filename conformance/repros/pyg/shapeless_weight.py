"""PyG: Linear(-1, out) holds its weight as torch's UninitializedParameter, whose shape
cannot be read before the first data -- not even the known output dimension
(unknown-dims/weight-shapes).

Guarded: torch_geometric.nn.Sequential renders its forward from a template that imports
the calling script by its file name, which would run an unguarded script twice."""
import json

import torch
from torch_geometric.nn import Linear, Sequential


def main():
    net = Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                           (Linear(-1, 10), "x -> x")])
    shapes = {}
    for pid, p in (("0.weight", net[0].weight), ("1.weight", net[2].weight)):
        try:
            shapes[pid] = list(p.shape)
        except RuntimeError as exc:  # "Can't access the shape of an uninitialized parameter"
            print("#", type(p).__name__, type(exc).__name__, str(exc).splitlines()[0][:80])
            shapes[pid] = "raises:no-value"
    print("# the biases:", type(net[0].bias).__name__, tuple(net[0].bias.shape))
    print("OBSERVED unknown-dims/weight-shapes", json.dumps(shapes))


if __name__ == "__main__":
    main()
