"""torch: a bias has no zeros initializer of its own; nn.Linear.reset_parameters draws
it from U(-1/sqrt(in_features), 1/sqrt(in_features)) (default-init/bias-values)."""
import json
import os

import numpy as np
import torch

SEED = int(os.environ.get("LAZYINIT_SEED", "20240101"))  # the suite sets its seed

torch.manual_seed(SEED)
net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
with torch.no_grad():
    net(torch.as_tensor(x))


def summary(values):
    flat = np.asarray(values).ravel()
    return f"all {flat[0]:g}" if flat.size and (flat == flat[0]).all() else "varied"


print("OBSERVED default-init/bias-values",
      json.dumps([summary(net[0].bias.detach().numpy()), summary(net[2].bias.detach().numpy())]))
