"""torch: nn.Linear has no deferred form: its constructor allocates
torch.empty((out_features, in_features)), so with in_features None (an unknown size) the
network is refused at construction -- TypeError from torch.empty -- and declaring only the
first layer's size fails the same way at the second layer. MXNet refuses at initialize()
instead (eager-required/refused, eager-required/partial-refused)."""
import json

import torch


def refusal(in_sizes, units=(256, 10)):
    try:
        layers = []
        for n_in, n_out in zip(in_sizes, units):
            layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
        torch.nn.Sequential(*layers[:-1])
    except TypeError as exc:  # empty(): argument 'size' failed to unpack ... NoneType
        print("#", type(exc).__name__, exc)
        return "build: raises:other"
    return "not refused"


print("OBSERVED eager-required/refused", json.dumps(refusal((None, None))))
print("OBSERVED eager-required/partial-refused", json.dumps(refusal((20, None))))
