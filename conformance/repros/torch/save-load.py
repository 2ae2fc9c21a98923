"""save-load on torch: saving the state_dict of a lazy network before data succeeds
(it holds uninitialized parameters); loading into a never-run lazy network works."""
import os
import tempfile

import torch


def mlp():
    return torch.nn.Sequential(torch.nn.LazyLinear(256), torch.nn.ReLU(), torch.nn.LazyLinear(10))


with tempfile.TemporaryDirectory() as tmp:
    try:
        torch.save(mlp().state_dict(), os.path.join(tmp, "deferred.pt"))
        print("observed: saving before data -> saved")
    except Exception as exc:  # noqa: BLE001
        print("observed: saving before data ->", type(exc).__name__, str(exc).splitlines()[0][:70])
    print("spec expects: a deferred-initialization error")
    net, fresh, x = mlp(), mlp(), torch.rand(2, 20)
    net(x)
    torch.save(net.state_dict(), os.path.join(tmp, "net.pt"))
    fresh.load_state_dict(torch.load(os.path.join(tmp, "net.pt"), weights_only=True))
    print("loaded into a never-run network, shape:", tuple(fresh[0].weight.shape),
          "same output:", torch.equal(net(x), fresh(x)))
