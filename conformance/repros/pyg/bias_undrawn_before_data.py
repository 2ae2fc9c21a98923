"""PyG: Linear(-1, out) allocates its bias at construction, Parameter(torch.empty(out)),
but its reset_parameters() draws nothing while in_channels <= 0; the bias is drawn
only when the forward pre-hook materializes the weight and calls reset_parameters()
at the first data. Until then the bias holds whatever torch.empty left there, and a
read returns it without error (first-forward-inits/bias-draws-before-data,
unknown-dims/bias-read-raises).

A user's bias initializer is a reset_parameters override (PyG's hook calls the
instance's method); it is logged here. Guarded: Sequential's template imports the
calling script by its file name."""
import json

import torch
from torch_geometric.nn import Linear, Sequential


def main():
    drawn = []

    def logged(layer, tag):
        def reset_parameters():
            type(layer).reset_parameters(layer)   # PyG's own (skips while in_channels <= 0)
            if layer.in_channels > 0:
                drawn.append([tag, list(layer.bias.shape)])
                torch.nn.init.uniform_(layer.bias, -0.5, 0.5)
        layer.reset_parameters = reset_parameters
        return layer

    net = Sequential("x", [(logged(Linear(-1, 256), "0.bias"), "x -> x"),
                           (torch.nn.ReLU(), "x -> x"),
                           (logged(Linear(-1, 10), "1.bias"), "x -> x")])
    print("# before data: 0.bias", type(net[0].bias).__name__, tuple(net[0].bias.shape))
    value = net[0].bias.detach().numpy()   # no error: torch.empty's memory, never drawn
    print("OBSERVED unknown-dims/bias-read-raises",
          json.dumps(f"returned a value of shape {list(value.shape)}"))
    print("OBSERVED first-forward-inits/bias-draws-before-data", json.dumps(drawn))
    net(torch.rand(2, 20))
    print("# after the first data:", drawn)


if __name__ == "__main__":
    main()
