"""torch: nn.Linear acts on the last axis of its input (Input: (*, H_in)); it does
not flatten the other axes as MXNet's Dense does (varying-input/extra-axes-output)."""
import json

import numpy as np
import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32).reshape(2, 4, 5)
with torch.no_grad():
    y = net(torch.as_tensor(x))
print("OBSERVED varying-input/extra-axes-output", json.dumps(list(y.shape)))
