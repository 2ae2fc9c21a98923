"""PyTorch ``shard_init`` (group sharded): FSDP2 on 2 local gloo processes.

The parent (the adapter's process) starts two ranks, ``python -m adapters.shard_child
adapters.torch_sharded:_rank REQUEST OUT RANK``, on a free localhost port. Each rank joins ``torch.distributed``
(``gloo``), makes ``init_device_mesh("cpu", (2,))``, builds the arch with the adapter's
own abstract build (``build_abstract``: the eager modules under ``torch.device("meta")``),
applies FSDP2 ``fully_shard`` (``torch.distributed.fsdp``) to every ``nn.Linear`` and
to the root -- each weight becomes a ``DTensor`` with placement ``Shard(0)``, rows
split over the ranks --, then, after the adapter's ``seed(seed)``, materialises it
the documented way (the adapter's ``materialize_abstract``: ``to_empty(device="cpu")``
then ``reset_parameters()``) and writes its local shards (``DTensor.to_local()``).
Rank 0 also builds the arch whole, eagerly (``build`` with the input shape declared:
``nn.Linear`` draws at construction), after the same seed.

The child (``adapters/shard_child.py``) loads the adapter by its ``module:Class`` name
through the registry and imports nothing from pytest or the conformance suite.
"""
from __future__ import annotations

import pickle
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from adapters.interface import PlatformLacks, Unsupported
from adapters.shard_process import (CHILD, TIMEOUT, ShardProcessError, child_env,
                                    dense_weight_ids, raise_result)

REPO = Path(__file__).resolve().parents[1]
WORLD = 2
ADAPTER = "adapters.torch_lazy:TorchAdapter"


def _free_port() -> int:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    except OSError as exc:
        raise PlatformLacks("localhost", f"no localhost TCP port for the gloo rendezvous "
                            f"of torch.distributed ({exc})") from None


def shard_init(arch, input_shape, seed, adapter: str = ADAPTER) -> dict:
    """``{"whole": {pid: ndarray}, "shards": {pid: [rank 0's rows, rank 1's rows]}}``
    for the Dense weights of ``arch`` (reference layout: (out, in))."""
    import torch.distributed as dist
    if not dist.is_available():
        raise Unsupported("shard_init/torch.distributed", "this torch build has no "
                          "torch.distributed (FSDP2 fully_shard needs a process group)")
    if not dist.is_gloo_available():
        raise Unsupported("shard_init/gloo", "this torch build has no gloo backend, the "
                          "CPU process-group backend FSDP2 needs without GPUs")
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="lazyinit-shard-") as tmp:
        request = Path(tmp, "request.pkl")
        request.write_bytes(pickle.dumps({
            "arch": tuple(arch), "input_shape": tuple(input_shape), "seed": int(seed),
            "adapter": adapter, "port": port, "world": WORLD}))
        env = child_env({"OMP_NUM_THREADS": "1"})
        procs, outs, logs = [], [], []
        try:
            for rank in range(WORLD):
                out = Path(tmp, f"rank{rank}.pkl")
                logs.append(open(Path(tmp, f"rank{rank}.log"), "w+b"))  # noqa: SIM115
                outs.append(out)
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", CHILD, "adapters.torch_sharded:_rank",
                     str(request), str(out), str(rank)], cwd=str(REPO), env=env, stdout=logs[-1],
                    stderr=subprocess.STDOUT))
            deadline = time.monotonic() + TIMEOUT
            try:
                for proc in procs:
                    proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise ShardProcessError(f"the {WORLD} FSDP2 ranks did not finish within "
                                        f"{TIMEOUT} s", _tails(logs)) from None
            results = []
            for rank, (proc, out) in enumerate(zip(procs, outs)):
                if not out.exists():
                    raise ShardProcessError(f"rank {rank} exited {proc.returncode} without "
                                            "a result", _tails(logs))
                results.append(pickle.loads(out.read_bytes()))
        finally:   # whatever ended the wait (a timeout, the suite's own limit): no rank left
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            for log in logs:
                log.close()
    for rank, res in enumerate(results):
        raise_result(res, f"rank {rank}: ")
    return {"whole": results[0]["whole"],
            "shards": {pid: [res["shards"][pid] for res in results]
                       for pid in results[0]["shards"]}}


def _tails(logs) -> str:
    parts = []
    for rank, log in enumerate(logs):
        log.flush()
        log.seek(0)
        text = log.read().decode("utf-8", "replace").strip()
        parts.append(f"[rank {rank}] {text[-1500:]}")
    return "\n".join(parts)


# -- the child: one rank ----------------------------------------------------------
def _rank(request: dict, load, rank: str) -> dict:
    """One rank, in ``adapters/shard_child.py``: ``load()`` gives the adapter."""
    rank = int(rank)
    from datetime import timedelta

    import torch
    import torch.distributed as dist
    from torch import nn

    try:
        from torch.distributed.device_mesh import init_device_mesh
        from torch.distributed.fsdp import fully_shard
    except ImportError as exc:
        raise Unsupported("shard_init/fsdp2", f"torch.distributed.fsdp.fully_shard is "
                          f"missing in torch {torch.__version__} ({exc})") from None
    fw = load()
    arch, shape, seed = request["arch"], request["input_shape"], request["seed"]
    pids = dense_weight_ids(arch)
    whole = None
    if rank == 0:  # the same arch whole, on one device: eager nn.Linear after seed(seed)
        fw.seed(seed)
        net = fw.build(arch, input_shape=shape)
        whole = {pid: fw.read_param(net, pid) for pid in pids}
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{request['port']}",
                            rank=rank, world_size=request["world"],
                            timeout=timedelta(seconds=60))
    try:
        mesh = init_device_mesh("cpu", (request["world"],))
        net = fw.build_abstract(arch, shape)
        for module in list(net.modules()):
            if isinstance(module, nn.Linear):
                fully_shard(module, mesh=mesh)
        fully_shard(net, mesh=mesh)
        fw.seed(seed)
        net = fw.materialize_abstract(net)
        shards = {}
        for pid in pids:
            param = net.get_parameter(fw.native_name(net, pid))
            shards[pid] = param.to_local().detach().cpu().numpy().copy()
        dist.barrier()
    finally:
        dist.destroy_process_group()
    return {"whole": whole, "shards": shards}

