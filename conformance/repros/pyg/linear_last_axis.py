"""PyG: Linear acts on the last axis of its input (input (*, F_in), output (*, F_out));
it does not flatten the other axes as MXNet's Dense does
(varying-input/extra-axes-output). Guarded: Sequential's template imports the calling
script by its file name."""
import json

import numpy as np
import torch
from torch_geometric.nn import Linear, Sequential


def main():
    net = Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                           (Linear(-1, 10), "x -> x")])
    x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32).reshape(2, 4, 5)
    with torch.no_grad():
        y = net(torch.as_tensor(x))
    print("# weight:", tuple(net[0].weight.shape))
    print("OBSERVED varying-input/extra-axes-output", json.dumps(list(y.shape)))


if __name__ == "__main__":
    main()
