"""PyG: one parameter tied into another layer (b.weight = a.weight) is one Parameter on
the meta device, but Module.to_empty replaces each module's parameters one by one and the
two come apart (torch.__future__.set_swap_module_params_on_conversion(True) keeps them;
off by default) (tied-survives-materialisation/parameter-tie-after). Guarded:
Sequential's template imports the calling script by its file name."""
import json

import torch
from torch_geometric.nn import Linear, Sequential


def main():
    with torch.device("meta"):
        net = Sequential("x", [(Linear(8, 8), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                               (Linear(8, 8), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                               (Linear(8, 4), "x -> x")])
    net[2].weight = net[0].weight
    print("# tied on meta:", net[2].weight is net[0].weight)
    print("# swap flag:", torch.__future__.get_swap_module_params_on_conversion())
    net.to_empty(device="cpu")
    net.reset_parameters()
    print("OBSERVED tied-survives-materialisation/parameter-tie-after",
          json.dumps(net[2].weight is net[0].weight))


if __name__ == "__main__":
    main()
