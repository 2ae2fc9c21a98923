"""torch: a lazy module's UninitializedParameter has no readable shape before the
first forward -- not even its known output dimension (unknown-dims/weight-shapes) --
and a user's bias initializer (reset_parameters, torch's extension point) draws
nothing before the first data: the bias is uninitialized too
(first-forward-inits/bias-draws-before-data)."""
import json

import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
shapes = {}
for pid, p in (("0.weight", net[0].weight), ("1.weight", net[2].weight)):
    try:
        shapes[pid] = list(p.shape)
    except RuntimeError as exc:  # "Can't access the shape of an uninitialized parameter"
        print("#", type(exc).__name__, str(exc).splitlines()[0][:90])
        shapes[pid] = "raises:no-value"
print("OBSERVED unknown-dims/weight-shapes", json.dumps(shapes))


drawn = []


class Logged(torch.nn.LazyLinear):
    """A user-defined bias initializer: LazyLinear calls reset_parameters once the
    parameters are materialized (it skips it while they are uninitialized)."""

    def reset_parameters(self):
        # (LazyLinear's own __init__ also calls it, on a size-0 bias it then replaces)
        if "tag" in vars(self) and not torch.nn.parameter.is_lazy(self.bias):
            drawn.append([self.tag, list(self.bias.shape)])
            torch.nn.init.uniform_(self.bias, -0.5, 0.5)


layers = [Logged(256), Logged(10)]
for i, layer in enumerate(layers):
    vars(layer)["tag"] = f"{i}.bias"
logged = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1])
print("OBSERVED first-forward-inits/bias-draws-before-data", json.dumps(drawn))
logged(torch.rand(2, 20))
print("# after the first data:", drawn)
