"""flax: a linen module definition holds no variables; they exist only as the value
module.init(key, sample) returns. Before that there is no parameter to list
(unknown-dims/param-ids)."""
import json

import flax.linen as nn

model = nn.Sequential([nn.Dense(256), nn.relu, nn.Dense(10)])
try:
    model.variables
    ids = "has variables"
except ValueError as exc:  # Can't access variables on unbound modules
    print("#", type(exc).__name__, exc)
    ids = []
print("OBSERVED unknown-dims/param-ids", json.dumps(ids))

