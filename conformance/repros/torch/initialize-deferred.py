"""initialize-deferred on torch: an initializer installed as the lazy module's
reset_parameters() (the maintainers' way, pytorch/pytorch#125861) waits for the
first forward, but a lazy weight has one state: reads raise the same ValueError
before and after 'initialize'."""
import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
calls = []
for i, m in enumerate([net[0], net[2]]):
    def reset(m=m, i=i):
        for role in ("weight", "bias"):
            calls.append((f"{i}.{role}", tuple(getattr(m, role).shape)))
            torch.nn.init.normal_(getattr(m, role), std=0.01)
    m.reset_parameters = reset  # MXNet: net.initialize(init.Normal(0.01))
print("observed: calls at 'initialize':", calls)
try:
    net[0].weight.detach()
except ValueError as exc:  # MXNet: DeferredInitializationError
    print("observed: read before data -> ValueError:", str(exc).splitlines()[0][:60])
with torch.no_grad():
    net(torch.rand(2, 20))
print("observed: calls at the first forward:", calls)
print("spec expects: no call before data, a deferred-initialization error on read, "
      "then calls for the weights only")
