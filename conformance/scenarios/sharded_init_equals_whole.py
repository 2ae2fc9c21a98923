"""sharded-init-equals-whole: initialising the MLP with its dense weights sharded over
2 devices (along their output units, on the framework's own distributed engine) gives
each device its block of rows of what initialising it whole gives under the same seed."""
import numpy as np

from adapters.interface import Dense
from conformance.scenarios.common import MLP
from conformance.seed import SEED


#: one Dense(8192) on 4096 features: a 128 MiB float32 weight, the size at which every
#: engine draws it sharded (Keras on JAX draws a variable whole below 250 MiB times the
#: device count, then distributes it: keras/src/backend/jax/core.py should_shard_at_init)
LARGE = (Dense(8192),)


def _joins_to(shards, whole) -> bool:
    """Whether ``shards`` joined along the rows (device order) are ``whole``."""
    whole = np.asarray(whole)
    shards = [np.asarray(s) for s in shards]
    if not shards or any(s.shape[1:] != whole.shape[1:] for s in shards):
        return False
    return bool(np.array_equal(np.concatenate(shards, axis=0), whole))


def run(fw, rec):
    made = rec.step("sharded init", lambda: fw.shard_init(MLP, (20,), SEED))
    rec.call("shard-shapes",
             lambda: {pid: [list(np.shape(s)) for s in shards]
                      for pid, shards in sorted(made.value["shards"].items())},
             needs=made)
    rec.call("equals-whole",
             lambda: sorted(pid for pid, shards in made.value["shards"].items()
                            if _joins_to(shards, made.value["whole"].get(pid, ()))),
             needs=made, message=made.value.get("note", "") if made.ok else "")
    large = rec.step("sharded init, a 128 MiB weight",
                     lambda: fw.shard_init(LARGE, (4096,), SEED))
    rec.call("equals-whole-large",
             lambda: sorted(pid for pid, shards in large.value["shards"].items()
                            if _joins_to(shards, large.value["whole"].get(pid, ()))),
             needs=large, message=large.value.get("note", "") if large.ok else "")
