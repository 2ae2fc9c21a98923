"""PyG: FSDP2 on a CPU device mesh (gloo, 2 local processes) -- fully_shard of a
meta-device PyG MLP, then to_empty(device="cpu") and the network's reset_parameters()
after torch.manual_seed(seed) -- leaves each rank drawing its local shard with its own CPU
generator: DTensor's distributed RNG tracker is used on cuda-like meshes only. Under one
seed both ranks hold the same rows, so the shards joined are not the weight an eager
build draws under that seed (sharded-init-equals-whole/equals-whole).

Guarded: each rank runs this file again, and Sequential's template imports the calling
script by its file name."""
import json
import os
import socket
import subprocess
import sys
import tempfile

import numpy as np
import torch
from torch_geometric.nn import Linear, Sequential

SEED = int(os.environ.get("LAZYINIT_SEED", "0"))  # the suite sets its seed


def mlp():
    return Sequential("x", [(Linear(20, 256), "x -> x"), (torch.nn.ReLU(), "x -> x"),
                            (Linear(256, 10), "x -> x")])


def rank_main(rank, port, out):
    import torch.distributed as dist
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.fsdp import fully_shard

    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank,
                            world_size=2)
    mesh = init_device_mesh("cpu", (2,))
    with torch.device("meta"):
        net = mlp()
    fully_shard(net, mesh=mesh)              # every weight: DTensor, placement Shard(0)
    torch.manual_seed(SEED)
    net.to_empty(device="cpu")
    net.reset_parameters()
    np.savez(out, **{"0.weight": net[0].weight.to_local().detach().numpy(),
                     "1.weight": net[2].weight.to_local().detach().numpy()})
    dist.destroy_process_group()


def main():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        outs = [os.path.join(tmp, f"rank{r}.npz") for r in range(2)]
        procs = [subprocess.Popen([sys.executable, os.path.abspath(__file__)],
                                  env=dict(os.environ, REPRO_RANK=str(r), REPRO_PORT=str(port),
                                           REPRO_OUT=outs[r]),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for r in range(2)]
        for proc in procs:
            proc.wait(timeout=120)
        shards = [dict(np.load(out)) for out in outs]
    torch.manual_seed(SEED)
    eager = mlp()                            # the same MLP whole, on one device
    whole = {"0.weight": eager[0].weight.detach().numpy(),
             "1.weight": eager[2].weight.detach().numpy()}
    equal = sorted(pid for pid in whole
                   if np.array_equal(np.concatenate([s[pid] for s in shards]), whole[pid]))
    print("# shard 0 == shard 1:", {pid: bool(np.array_equal(shards[0][pid], shards[1][pid]))
                                     for pid in whole})
    print("OBSERVED sharded-init-equals-whole/equals-whole", json.dumps(equal))


if __name__ == "__main__" and "REPRO_RANK" in os.environ:
    rank_main(int(os.environ["REPRO_RANK"]), os.environ["REPRO_PORT"], os.environ["REPRO_OUT"])
elif __name__ == "__main__":
    main()
