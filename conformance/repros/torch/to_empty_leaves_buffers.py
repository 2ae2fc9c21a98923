"""torch: Module.to_empty allocates every parameter and buffer uninitialized; a module
whose buffer is computed in __init__ (a rotary/positional table) and that has no
reset_parameters gets nothing back from the meta-device recipe, so the table holds
whatever the allocator returned (materialise-completeness/computed-buffer)."""
import json

import torch


class Table(torch.nn.Module):
    def __init__(self, units):
        super().__init__()
        self.register_buffer("table", torch.arange(units, dtype=torch.float32))

    def forward(self, x):
        return x + self.table


with torch.device("meta"):
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), Table(8),
                              torch.nn.Linear(8, 4))
net.to_empty(device="cpu")
for module in net.modules():
    if hasattr(module, "reset_parameters"):
        module.reset_parameters()
print("# Table has reset_parameters:", hasattr(net[2], "reset_parameters"))
holds = [] if not torch.equal(net[2].table, torch.arange(8.0)) else ["1.table"]
print("OBSERVED materialise-completeness/computed-buffer", json.dumps(holds))
