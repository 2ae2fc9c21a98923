"""PyG: a network of Linear(-1, out) built under torch.device("meta") cannot be
materialised the meta-device way: Module.to_empty refuses the UninitializedParameter
weights (ValueError: Attempted to use an uninitialized parameter in empty_like), so the
first data never infers them (lazy-on-abstract/first-data-infers). Guarded:
Sequential's template imports the calling script by its file name."""
import json

import torch
from torch_geometric.nn import Linear, Sequential


def mlp():
    return Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                            (Linear(-1, 10), "x -> x")])


def main():
    with torch.device("meta"):
        net = mlp()
    print("# on meta:", type(net[0].weight).__name__, "bias", net[0].bias.device)
    try:
        net.to_empty(device="cpu")
        net.reset_parameters()
        net(torch.rand(2, 20))
        observed = {n: list(p.shape) for n, p in net.named_parameters()}
    except ValueError as exc:
        print("#", type(exc).__name__, str(exc)[:70])
        observed = "raises:no-value"
    print("OBSERVED lazy-on-abstract/first-data-infers", json.dumps(observed))


if __name__ == "__main__":
    main()
