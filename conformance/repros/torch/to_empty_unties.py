"""torch: one parameter tied into another module (b.weight = a.weight, as an embedding
and an output layer are tied) is one Parameter on the meta device, but Module.to_empty
replaces each module's parameters one by one and the two come apart
(torch.__future__.set_swap_module_params_on_conversion(True) keeps them; off by default)
(tied-survives-materialisation/parameter-tie-after)."""
import json

import torch

with torch.device("meta"):
    net = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8),
                              torch.nn.ReLU(), torch.nn.Linear(8, 4))
net[2].weight = net[0].weight
print("# tied on meta:", net[2].weight is net[0].weight)
print("# swap flag:", torch.__future__.get_swap_module_params_on_conversion())
net.to_empty(device="cpu")
print("OBSERVED tied-survives-materialisation/parameter-tie-after",
      json.dumps(net[2].weight is net[0].weight))
