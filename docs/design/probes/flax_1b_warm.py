"""Linen 1B eval_shape after a tiny warm-up trace (separates JAX's one-time tracing cost).
Run: JAX_PLATFORMS=cpu timeout 120 .tox/flax/bin/python docs/design/probes/flax_1b_warm.py"""
import resource, time, jax, jax.numpy as jnp, flax.linen as nn
def cur(): return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize() / 2**20
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
class Big(nn.Module):
    n: int
    @nn.compact
    def __call__(self, x):
        for _ in range(4): x = nn.Dense(self.n)(x)
        return x
jax.eval_shape(Big(8).init, jax.random.key(0), jax.ShapeDtypeStruct((1, 8), jnp.float32))  # warm-up
r0 = rss(); c0 = cur(); t0 = time.perf_counter()
a = jax.eval_shape(Big(16384).init, jax.random.key(0), jax.ShapeDtypeStruct((1, 16384), jnp.float32))
print(f"linen 1B after a tiny warm-up eval_shape: {1000*(time.perf_counter()-t0):.0f} ms, maxrss growth {rss()-r0:.1f} MiB, current {cur()-c0:.1f} MiB")
