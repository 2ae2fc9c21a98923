"""paddle: with its weight sharded over 2 CPU processes along the output units
(dist.shard_tensor(w, mesh, [dist.Shard(1)]) on a LazyGuard layer, then param.initialize()),
each rank draws its local shard itself -- the initializer takes the local shard's shape and
computes its fans from it (XavierUniform bound sqrt(6 / (20 + 128)) = 0.2013 for a (20, 256)
weight's half, not 0.1474) -- so the shards joined are not the weight a whole build draws
after the same seed (sharded-init-equals-whole/equals-whole, /equals-whole-large).
Run as a plain script it launches its own 2 ranks with paddle.distributed.launch."""
import json
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import paddle

#: (layer sizes, input features): the suite's MLP and its one 128 MiB Dense(8192)
NETS = {"equals-whole": ([256, 10], 20), "equals-whole-large": ([8192], 4096)}


def build(units, features):
    layers, width = [], features
    for n in units:
        layers += [paddle.nn.Linear(width, n), paddle.nn.ReLU()]
        width = n
    return paddle.nn.Sequential(*layers[:-1])


def rank(out_dir, seed):
    import paddle.distributed as dist
    from paddle.distributed.auto_parallel.api import dtensor_to_local

    me = int(os.environ["PADDLE_TRAINER_ID"])
    whole = {}
    if me == 0:
        for check, (units, features) in NETS.items():
            paddle.seed(seed)
            net = build(units, features)
            whole[check] = [m.weight.numpy() for m in net if isinstance(m, paddle.nn.Linear)]
    dist.init_parallel_env()
    mesh = dist.ProcessMesh([0, 1], dim_names=["x"])

    def shard(name, layer, mesh):
        if isinstance(layer, paddle.nn.Linear):   # weight [in, out]: Shard(1) = output units
            layer.weight = dist.shard_tensor(layer.weight, mesh, [dist.Shard(1)])

    local = {}
    for check, (units, features) in NETS.items():
        with paddle.LazyGuard():
            net = build(units, features)
        net = dist.shard_layer(net, mesh, shard)
        paddle.seed(seed)
        for p in net.parameters():
            p.initialize()
        local[check] = [dtensor_to_local(m.weight, mesh, m.weight.placements).numpy()
                        for m in net if isinstance(m, paddle.nn.Linear)]
    np.save(os.path.join(out_dir, f"rank{me}.npy"), {"whole": whole, "local": local},
            allow_pickle=True)
    dist.barrier()


def main(seed):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "paddle.distributed.launch", "--nproc_per_node",
                        "2", "--log_dir", os.path.join(tmp, "log"), os.path.abspath(__file__),
                        tmp], check=True, capture_output=True, env={**os.environ,
                                                                    "OMP_NUM_THREADS": "1"})
        ranks = [np.load(os.path.join(tmp, f"rank{r}.npy"), allow_pickle=True).item()
                 for r in (0, 1)]
    for check in NETS:
        whole, shards = ranks[0]["whole"][check], [r["local"][check] for r in ranks]
        print("#", check, [np.abs(s[0]).max() for s in shards], np.abs(whole[0]).max())
        joined = [i for i, w in enumerate(whole)
                  if np.array_equal(np.concatenate([s[i] for s in shards], axis=1), w)]
        print(f"OBSERVED sharded-init-equals-whole/{check}",
              json.dumps([f"{i}.weight" for i in joined]))


if __name__ == "__main__":
    SEED = int(os.environ.get("LAZYINIT_SEED", "0"))
    if "PADDLE_TRAINER_ID" in os.environ:   # one of the ranks launched by main()
        rank(sys.argv[1], SEED)
    else:
        main(SEED)
