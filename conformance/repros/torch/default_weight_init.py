"""torch: nn.Linear's default weight initializer is kaiming_uniform_(a=sqrt(5)), i.e.
U(-1/sqrt(in_features), 1/sqrt(in_features)) -- U(-0.2236, 0.2236) for 20 inputs, not
MXNet's U(-0.07, 0.07) (default-init/weight-distribution)."""
import json
import os

import numpy as np
import torch

SEED = int(os.environ.get("LAZYINIT_SEED", "20240101"))  # the suite sets its seed

torch.manual_seed(SEED)  # the suite's seed
net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32)
with torch.no_grad():
    net(torch.as_tensor(x))
w = net[0].weight.detach().numpy().astype(np.float64)
print("OBSERVED default-init/weight-distribution",
      json.dumps([float(np.abs(w).max()), float(w.std())]))
