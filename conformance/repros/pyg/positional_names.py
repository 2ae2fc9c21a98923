"""PyG: Sequential names its children by position (module_0, module_1, ...), and native
parameter names are attribute paths inside the network, so two networks of one structure
have the same names (naming/distinct-across-networks). Guarded: Sequential's template
imports the calling script by its file name."""
import json

import torch
from torch_geometric.nn import Linear, Sequential


def mlp():
    return Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                            (Linear(-1, 10), "x -> x")])


def main():
    first, second = mlp(), mlp()
    for net in (first, second):
        net(torch.rand(2, 20))
    a = [n for n, _ in first.named_parameters()]
    b = [n for n, _ in second.named_parameters()]
    print("#", a, b)
    print("OBSERVED naming/distinct-across-networks", json.dumps(not set(a) & set(b)))


if __name__ == "__main__":
    main()
