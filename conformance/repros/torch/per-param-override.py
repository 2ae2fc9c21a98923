"""per-param-override on torch: re-initializing one layer means applying nn.init to
each of its parameters, so Constant(42) on layer 1 also sets its bias to 42."""
import torch

net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
net(torch.rand(2, 20))
bias0 = net[0].bias.detach().clone()
with torch.no_grad():
    torch.nn.init.xavier_uniform_(net[0].weight)  # one parameter: fine
    for p in net[2].parameters():  # MXNet: net[1].initialize(Constant(42), force_reinit=True)
        torch.nn.init.constant_(p, 42.0)
print("observed: layer 1 weight all 42:", bool((net[2].weight == 42).all()),
      "| bias values:", net[2].bias.unique().tolist())
print("spec expects: weight all 42, bias all 0 (its own bias initializer)")
print("first weight max |w| = %.4f (xavier bound 0.1474); first bias unchanged: %s"
      % (net[0].weight.detach().abs().max(), torch.equal(bias0, net[0].bias)))
