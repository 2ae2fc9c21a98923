"""PyG: the meta-device recipe -- Module.to_empty(device="cpu"), then the network's
reset_parameters(), which Sequential runs on each child that defines one -- gives back
no buffer a module computes in its __init__ (a rotary or positional table): to_empty
allocates it uninitialized and a module without reset_parameters is not re-run
(materialise-completeness/computed-buffer). Guarded: Sequential's template imports the
calling script by its file name."""
import json

import torch
from torch_geometric.nn import Linear, Sequential


class Table(torch.nn.Module):
    def __init__(self, units):
        super().__init__()
        self.register_buffer("table", torch.arange(units, dtype=torch.float32))

    def forward(self, x):
        return x + self.table


def main():
    with torch.device("meta"):
        net = Sequential("x", [(Linear(4, 8), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                               (Table(8), "x -> x"), (Linear(8, 4), "x -> x")])
    net.to_empty(device="cpu")
    net.reset_parameters()
    print("# Table has reset_parameters:", hasattr(net[2], "reset_parameters"))
    holds = ["1.table"] if torch.equal(net[2].table, torch.arange(8.0)) else []
    print("OBSERVED materialise-completeness/computed-buffer", json.dumps(holds))


if __name__ == "__main__":
    main()
