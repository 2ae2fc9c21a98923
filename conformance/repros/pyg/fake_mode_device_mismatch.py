"""PyG: torch's recipe for a lazy network's output shape -- a meta-device input inside
FakeTensorMode(allow_non_fake_inputs=True) -- fails on a never-run PyG network: the lazy
hook materializes the UninitializedParameter weight as a meta tensor, but Linear(-1, out)
allocated its bias as a real CPU Parameter at construction, so F.linear meets meta and
cpu tensors (FakeTensorDeviceMismatchError); a CPU input fails the same way
(shape-without-init/output-shape). Guarded: Sequential's template imports the calling
script by its file name."""
import json

import torch
from torch._subclasses.fake_tensor import FakeTensorMode
from torch_geometric.nn import Linear, Sequential


def mlp():
    net = Sequential("x", [(Linear(-1, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                           (Linear(-1, 10), "x -> x")])
    return net.eval()


def output_shape(device):
    net = mlp()
    print("# before:", type(net[0].weight).__name__, "bias on", net[0].bias.device)
    try:
        with torch.no_grad(), FakeTensorMode(allow_non_fake_inputs=True):
            return list(net(torch.empty((2, 20), device=device)).shape)
    except RuntimeError as exc:  # FakeTensorDeviceMismatchError (a RuntimeError)
        print(f"# {device} input:", type(exc).__name__, str(exc)[:100])
        return "raises:other"


def main():
    observed = output_shape("meta")
    output_shape("cpu")
    print("OBSERVED shape-without-init/output-shape", json.dumps(observed))


if __name__ == "__main__":
    main()
