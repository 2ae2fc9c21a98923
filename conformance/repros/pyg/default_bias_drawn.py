"""PyG: a bias has no zeros initializer unless bias_initializer="zeros" is asked for;
the default (None) draws it from U(-1/sqrt(in_channels), 1/sqrt(in_channels)), as
torch.nn.Linear does (default-init/bias-values). Guarded: Sequential's template imports
the calling script by its file name."""
import json
import os

import numpy as np
import torch
from torch_geometric.nn import Linear, Sequential

SEED = int(os.environ.get("LAZYINIT_SEED", "0"))  # the suite sets its seed


def summary(values):
    flat = np.asarray(values).ravel()
    return f"all {flat[0]:g}" if flat.size and (flat == flat[0]).all() else "varied"


def main():
    torch.manual_seed(SEED)
    net = Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                           (Linear(-1, 10), "x -> x")])
    x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
    with torch.no_grad():
        net(torch.as_tensor(x))
    print("OBSERVED default-init/bias-values",
          json.dumps([summary(net[0].bias.detach().numpy()),
                      summary(net[2].bias.detach().numpy())]))


if __name__ == "__main__":
    main()
