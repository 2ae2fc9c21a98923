"""PyG: Module.requires_grad_(False) on a never-run Linear(-1, out) calls
Tensor.requires_grad_ on its UninitializedParameter weight, which refuses it with the
uninitialized-parameter ValueError (freeze-before-init/freeze-before-data); the attribute
form p.requires_grad = False is accepted. Guarded: Sequential's template imports the
calling script by its file name."""
import json

import torch
from torch_geometric.nn import Linear, Sequential


def main():
    net = Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                           (Linear(-1, 10), "x -> x")])
    try:
        net[0].requires_grad_(False)
        observed = "frozen"
    except ValueError as exc:  # Attempted to use an uninitialized parameter in requires_grad_
        print("#", type(exc).__name__, str(exc)[:100])
        observed = "raises:no-value"
    print("OBSERVED freeze-before-init/freeze-before-data", json.dumps(observed))
    for p in net[0].parameters():   # the workaround: the attribute, not the method
        p.requires_grad = False
    net(torch.rand(2, 20))
    print("# after the first data:", {n: p.requires_grad for n, p in net.named_parameters()})


if __name__ == "__main__":
    main()
