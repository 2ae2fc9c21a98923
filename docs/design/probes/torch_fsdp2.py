"""FSDP2 fully_shard of a meta model on CPU/gloo, 2 local processes; then to_empty +
reset_parameters; compare the gathered full weights with an eager model under the
same seed. Run: timeout 120 .tox/torch/bin/python docs/design/probes/torch_fsdp2.py"""
import os, sys, traceback
import torch, torch.nn as nn, torch.distributed as dist
import torch.multiprocessing as mp

def mlp(): return nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 10))

def run(rank, world):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT="29517")
    dist.init_process_group("gloo", rank=rank, world_size=world)
    out = []
    try:
        from torch.distributed.fsdp import fully_shard
        from torch.distributed.device_mesh import init_device_mesh
        mesh = init_device_mesh("cpu", (world,))
        torch.manual_seed(0); eager = mlp()
        with torch.device("meta"):
            m = mlp()
        for layer in (m[0], m[2]): fully_shard(layer, mesh=mesh)
        fully_shard(m, mesh=mesh)
        w = m[0].weight
        out.append(f"after fully_shard: {type(w).__name__} device={w.device} placements={w.placements} local={tuple(w.to_local().shape)} global={tuple(w.shape)}")
        m.to_empty(device="cpu")
        torch.manual_seed(0)
        for mod in m.modules():
            if isinstance(mod, nn.Linear): mod.reset_parameters()
        w = m[0].weight
        out.append(f"after to_empty+reset: local={tuple(w.to_local().shape)} device={w.to_local().device}")
        full = {n: p.full_tensor() for n, p in m.named_parameters()}
        eq = {n: torch.equal(full[n], p) for n, p in eager.named_parameters()}
        out.append(f"full_tensor equals eager (same seed, reseeded once): {eq}")
        b = 1 / 20 ** 0.5
        out.append("0.weight full: max|w| %.4f bound %.4f std %.4f" % (full['0.weight'].abs().max(), b, full['0.weight'].std()))
        # are the two local shards the same draw (each rank draws its own local shard)?
        loc = m[0].weight.to_local().detach().clone()
        g = [torch.empty_like(loc) for _ in range(world)]
        dist.all_gather(g, loc)
        out.append(f"rank0 shard == rank1 shard: {torch.equal(g[0], g[1])}; shard0 == eager rows 0:128: {torch.equal(g[0], eager[0].weight[:128].detach())}")
        y = m(torch.randn(2, 20))
        out.append(f"forward -> {tuple(y.shape)}")
    except Exception as e:
        out.append("EXC " + type(e).__name__ + ": " + str(e).splitlines()[0])
        traceback.print_exc()
    if rank == 0:
        print("\n".join(out), flush=True)
    dist.destroy_process_group()

if __name__ == "__main__":
    print("torch", torch.__version__)
    mp.spawn(run, args=(2,), nprocs=2, join=True)
