"""PyG: no Linear refuses deferral. in_channels is an int, and an unknown size is spelled
-1 (any value <= 0), which is the lazy mode: Linear(-1, n) and Linear(0, n) both hold an
UninitializedParameter and infer it from the first data; Linear(None, n) fails on the
comparison in_channels > 0 (a TypeError of the argument, not a refusal of deferral). So
eager-required has no PyG counterpart (eager-required/refused,
eager-required/partial-refused: unsupported). Guarded: Sequential's template imports the
calling script by its file name."""
import torch
from torch_geometric.nn import Linear, Sequential


def main():
    for size in (-1, 0):
        layer = Linear(size, 4)
        print(f"# Linear({size}, 4).weight:", type(layer.weight).__name__)
    try:
        Linear(None, 4)
    except TypeError as exc:
        print("# Linear(None, 4):", type(exc).__name__, exc)
    net = Sequential("x", [(Linear(20, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                           (Linear(-1, 10), "x -> x")])
    net(torch.rand(2, 20))
    print("# the layer after a declared one is inferred at the first data:",
          tuple(net[2].weight.shape))
    print("OBSERVED eager-required/refused null")
    print("OBSERVED eager-required/partial-refused null")


if __name__ == "__main__":
    main()
