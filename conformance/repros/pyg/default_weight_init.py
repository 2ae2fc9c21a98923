"""PyG: Linear's default weight initializer (weight_initializer=None) is
kaiming_uniform(fan=in_channels, a=sqrt(5)), "will match default weight initialization
of torch.nn.Linear": U(-1/sqrt(in), 1/sqrt(in)), U(-0.2236, 0.2236) for 20 inputs
(default-init/weight-distribution). Guarded: Sequential's template imports the calling
script by its file name."""
import json
import os

import numpy as np
import torch
from torch_geometric.nn import Linear, Sequential

SEED = int(os.environ.get("LAZYINIT_SEED", "0"))  # the suite sets its seed


def main():
    torch.manual_seed(SEED)
    net = Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                           (Linear(-1, 10), "x -> x")])
    x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
    with torch.no_grad():
        net(torch.as_tensor(x))
    w = net[0].weight.detach().numpy().astype(np.float64)
    print("OBSERVED default-init/weight-distribution",
          json.dumps([float(np.abs(w).max()), float(w.std())]))


if __name__ == "__main__":
    main()
