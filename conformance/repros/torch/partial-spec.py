"""partial-spec on torch: Linear(20, 256) is shaped at once; the LazyLinear after it
has no readable shape before data; an initializer reaches biases too."""
import torch

net = torch.nn.Sequential(torch.nn.Linear(20, 256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
print("observed: 0.weight shape:", tuple(net[0].weight.shape))
try:
    print("observed: 1.weight shape:", tuple(net[2].weight.shape))
except RuntimeError as exc:  # MXNet: (10, 0), the unknown dim shown as 0
    print("observed: 1.weight shape -> RuntimeError:", str(exc).splitlines()[0][:70])
calls = []
with torch.no_grad():  # 'initialize': apply now where shaped, install where lazy
    for role in ("weight", "bias"):
        calls.append((f"0.{role}", tuple(getattr(net[0], role).shape)))
        torch.nn.init.uniform_(getattr(net[0], role), -0.5, 0.5)

def reset(m=net[2]):
    for role in ("weight", "bias"):
        calls.append((f"1.{role}", tuple(getattr(m, role).shape)))
        torch.nn.init.uniform_(getattr(m, role), -0.5, 0.5)

net[2].reset_parameters = reset
print("observed: calls at 'initialize':", calls)
with torch.no_grad():
    net(torch.rand(2, 20))
print("observed: all calls after the first forward:", calls)
print("spec expects: 0.weight at initialize(), 1.weight at the first forward, no bias calls")
