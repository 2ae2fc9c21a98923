"""default-init on torch: LazyLinear's reset_parameters() draws weights from
U(-1/sqrt(in), 1/sqrt(in)) (0.2236 for in = 20) and random biases, not U(-0.07, 0.07)
and zeros."""
import torch

torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))
net(torch.rand(2, 20))
w = net[0].weight.detach().double()
print("observed: max |w| = %.4f, std = %.4f" % (w.abs().max(), w.std()))
print("spec expects: max |w| ~ 0.07, std ~ 0.0404")
print("observed: biases all 0:", [bool((net[i].bias == 0).all()) for i in (0, 2)])
print("spec expects: [True, True]")
