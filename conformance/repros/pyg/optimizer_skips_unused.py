"""PyG: optimizer.step() updates only the parameters whose .grad is not None, so an
optimizer over all parameters of a network with a registered Linear(-1, out) its forward
never calls steps without error and leaves that layer's UninitializedParameter as it is;
MXNet's Trainer raises on it instead (unused-param/train-step). Guarded: Sequential's
template imports the calling script by its file name."""
import json

import torch
from torch_geometric.nn import Linear, Sequential


def main():
    net = Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                           (Linear(-1, 10), "x -> x")])
    net.add_module("module_3", Linear(-1, 7))   # registered, never called by the forward
    x = torch.rand(2, 20)
    net(x)
    try:
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        opt.zero_grad()
        net(x).sum().backward()
        opt.step()
        observed = "stepped"
    except Exception as exc:  # noqa: BLE001
        observed = f"raises: {type(exc).__name__}"
    print("# unused layer after the step:", type(net.module_3.weight).__name__,
          "grad", net.module_3.weight.grad)
    print("OBSERVED unused-param/train-step", json.dumps(observed))


if __name__ == "__main__":
    main()
