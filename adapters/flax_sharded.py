"""Flax linen ``shard_init`` (group sharded): ``jax.jit(init, out_shardings=)``
over a ``Mesh`` of 2 host CPU devices.

JAX fixes its device count when its backend starts (``XLA_FLAGS=
--xla_force_host_platform_device_count=N``; the suite's env sets 1), so the parent
runs one child, ``adapters.flax_sharded:_work`` in ``python -m adapters.shard_child``,
with 2 host devices.
The child builds the arch with the adapter's own linen build (``build`` without an
input shape: an ``nn.Sequential`` definition), then, with the same key
``jax.random.key(seed)``:

* whole: ``module.init(key, x)`` on one device;
* sharded: ``jax.jit(module.init, out_shardings=tree)`` where ``tree`` holds, per
  variable, a ``NamedSharding`` over ``Mesh(2 devices, ("model",))``: every 2-D
  kernel ``PartitionSpec(None, "model")`` (its output units, Flax's last axis),
  everything else replicated.

It writes, per Dense weight, the whole value and each device's addressable shard
(ordered by the slice it holds), transposed to the reference layout (out, in). The
child imports the adapter by its ``module:Class`` name and nothing from pytest or the
conformance suite.
"""
from __future__ import annotations


from adapters.shard_process import dense_weight_ids

DEVICES = 2
ADAPTER = "adapters.flax_linen:FlaxAdapter"


def shard_init(arch, input_shape, seed, adapter: str = ADAPTER) -> dict:
    """``{"whole": {pid: ndarray}, "shards": {pid: [device 0's rows, device 1's]}}``
    for the Dense weights of ``arch`` (reference layout: (out, in))."""
    from adapters.jax_common import run_device_child
    return run_device_child("adapters.flax_sharded:_work", {
        "arch": tuple(arch), "input_shape": tuple(input_shape), "seed": int(seed),
        "adapter": adapter}, DEVICES)


# -- the child ------------------------------------------------------------------
def _work(request: dict, load) -> dict:
    import jax
    import numpy as np
    from flax import traverse_util

    from adapters.jax_common import column_shardings, ref_shards, require_devices
    devices = require_devices(DEVICES)
    fw = load()
    arch, shape, seed = request["arch"], request["input_shape"], request["seed"]
    pids = dense_weight_ids(arch)
    model = fw.build(arch)                       # the linen definition
    x = np.zeros((1, *shape), np.float32)
    named = fw.materialize(fw.initialize(model), x)   # the adapter's own names
    paths = {pid: tuple(fw.native_name(named, pid).split("/")) for pid in pids}

    key = jax.random.key(seed)
    whole = model.module.init(key, x)
    shardings = column_shardings(jax.eval_shape(model.module.init, key, x), devices)
    sharded = jax.jit(model.module.init, out_shardings=shardings)(key, x)

    flat_whole = traverse_util.flatten_dict(whole["params"])
    flat_sharded = traverse_util.flatten_dict(sharded["params"])
    out = {"whole": {}, "shards": {}}
    for pid, path in paths.items():
        out["whole"][pid] = np.asarray(flat_whole[path]).T.copy()
        out["shards"][pid] = ref_shards(flat_sharded[path])
    return out

