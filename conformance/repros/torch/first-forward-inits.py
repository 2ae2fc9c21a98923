"""first-forward-inits on torch: the initializer installed as reset_parameters()
runs at materialization, in layer order, for weights and biases alike."""
import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
calls = []
for i, m in enumerate([net[0], net[2]]):
    def reset(m=m, i=i):
        for role in ("weight", "bias"):
            calls.append((f"{i}.{role}", tuple(getattr(m, role).shape)))
            torch.nn.init.uniform_(getattr(m, role), -0.5, 0.5)
    m.reset_parameters = reset
print("observed: calls before data:", calls)
with torch.no_grad():
    print("observed: output shape:", tuple(net(torch.rand(2, 20)).shape))
print("observed: calls at the first forward:", calls)
print("spec expects: [('0.weight', (256, 20)), ('1.weight', (10, 256))], no bias calls "
      "(MXNet biases keep their own 'zeros' initializer)")
