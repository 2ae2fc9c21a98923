"""in-units-immediate on torch: shapes are known at once, but a user initializer
applied to the parameters also runs on the biases (no weight/bias dispatch)."""
import torch

net = torch.nn.Sequential(torch.nn.Linear(20, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
print("shapes before data:", {n: tuple(p.shape) for n, p in net.named_parameters()})
calls = []
with torch.no_grad():
    for name, p in net.named_parameters():
        calls.append((name, tuple(p.shape)))
        torch.nn.init.uniform_(p, -0.5, 0.5)
print("initializer calls:", calls)  # MXNet: only the weights (biases use bias_initializer='zeros')
print("output shape:", tuple(net(torch.rand(2, 20)).shape))
