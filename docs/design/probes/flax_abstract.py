"""Probe: Flax 0.12.8 linen + NNX abstract build and materialisation (jax 0.10.2, CPU).
Run: JAX_PLATFORMS=cpu timeout 120 .tox/flax/bin/python docs/design/probes/flax_abstract.py"""
import os, sys, resource, time, subprocess, warnings
warnings.simplefilter("ignore", DeprecationWarning)
import numpy as np, jax, jax.numpy as jnp, flax
import flax.linen as nn
from flax import nnx
print("flax", flax.__version__, "jax", jax.__version__)
mode = sys.argv[1] if len(sys.argv) > 1 else "main"
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
def cur(): return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize() / 2**20

class MLP(nn.Module):
    @nn.compact
    def __call__(self, x):
        h = nn.relu(nn.Dense(256)(x))  # Dense_0: 20->256
        return nn.Dense(10)(h)          # Dense_1: 256->10

class NMLP(nnx.Module):
    def __init__(self, rngs):
        self.l0 = nnx.Linear(20, 256, rngs=rngs); self.l1 = nnx.Linear(256, 10, rngs=rngs)
    def __call__(self, x): return self.l1(nnx.relu(self.l0(x)))

if mode == "big-linen":
    class Big(nn.Module):
        @nn.compact
        def __call__(self, x):
            for _ in range(4): x = nn.Dense(16384)(x)
            return x
    r0 = rss(); c0 = cur(); t0 = time.perf_counter()
    abs_vars = jax.eval_shape(Big().init, jax.random.key(0), jax.ShapeDtypeStruct((1, 16384), jnp.float32))
    dt = time.perf_counter() - t0
    n = sum(int(np.prod(l.shape)) for l in jax.tree.leaves(abs_vars))
    print(f"linen eval_shape(init) 1B: params {n} build {dt*1000:.0f} ms maxrss growth {rss()-r0:.1f} MiB, current-RSS growth {cur()-c0:.1f} MiB leaf {type(jax.tree.leaves(abs_vars)[0]).__name__}")
    sys.exit()
if mode == "big-nnx":
    class Big(nnx.Module):
        def __init__(self, rngs):
            self.ls = nnx.List([nnx.Linear(16384, 16384, rngs=rngs) for _ in range(4)])
    r0 = rss(); c0 = cur(); t0 = time.perf_counter()
    am = nnx.eval_shape(lambda: Big(nnx.Rngs(0)))
    dt = time.perf_counter() - t0
    n = sum(int(np.prod(l.shape)) for l in jax.tree.leaves(nnx.state(am, nnx.Param)))
    print(f"nnx.eval_shape 1B: params {n} build {dt*1000:.0f} ms maxrss growth {rss()-r0:.1f} MiB, current-RSS growth {cur()-c0:.1f} MiB kernel {type(am.ls[0].kernel.get_value()).__name__}")
    sys.exit()
if mode == "sharded":
    from jax.sharding import NamedSharding, PartitionSpec as P, Mesh
    print("devices", jax.devices(), "threefry_partitionable", jax.config.jax_threefry_partitionable)
    mesh = jax.make_mesh((2,), ("model",), axis_types=(jax.sharding.AxisType.Explicit,))
    x = jnp.ones((1, 20)); m = MLP(); key = jax.random.key(0)
    whole = m.init(key, x)
    abs_v = jax.eval_shape(m.init, key, x)
    def spec(path, leaf):  # shard every kernel's output axis over 'model'
        return NamedSharding(mesh, P(None, "model") if leaf.ndim == 2 else P())
    shardings = jax.tree_util.tree_map_with_path(spec, abs_v)
    sharded = jax.jit(m.init, out_shardings=shardings)(key, x)
    k = sharded["params"]["Dense_0"]["kernel"]
    print("linen jit(init, out_shardings): kernel sharding", k.sharding.spec, "shard shapes", [s.data.shape for s in k.addressable_shards])
    print("linen sharded == whole:", jax.tree.map(lambda a, b: bool(jnp.array_equal(a, b)), sharded, whole))
    jax.config.update("jax_threefry_partitionable", False)
    whole_f = m.init(key, x)
    sharded_f = jax.jit(m.init, out_shardings=shardings)(key, x)
    print("threefry_partitionable=False: sharded == whole:", all(jax.tree.leaves(jax.tree.map(lambda a, b: bool(jnp.array_equal(a, b)), sharded_f, whole_f))),
          "; == partitionable=True values:", bool(jnp.array_equal(whole_f["params"]["Dense_0"]["kernel"], whole["params"]["Dense_0"]["kernel"])))
    jax.config.update("jax_threefry_partitionable", True)
    # NNX: sharding annotations + nnx.jit create
    class SNMLP(nnx.Module):
        def __init__(self, rngs, annotate=True):
            init = nnx.initializers.lecun_normal()
            if annotate: init = nnx.with_partitioning(init, (None, "model"))
            self.l0 = nnx.Linear(20, 256, kernel_init=init, rngs=rngs); self.l1 = nnx.Linear(256, 10, rngs=rngs)
    eager = SNMLP(nnx.Rngs(0), annotate=False)
    @nnx.jit
    def create():
        mdl = SNMLP(nnx.Rngs(0))
        st = nnx.state(mdl); ps = nnx.get_partition_spec(st)
        nnx.update(mdl, jax.lax.with_sharding_constraint(st, ps))
        return mdl
    with jax.set_mesh(mesh):
        sm = create()
    kk = sm.l0.kernel.get_value()
    print("nnx jit create under mesh: kernel sharding", kk.sharding.spec, "shards", [s.data.shape for s in kk.addressable_shards],
          "== eager:", bool(jnp.array_equal(kk, eager.l0.kernel.get_value())))
    sys.exit()

# ---- main ----
x = jnp.ones((1, 20)); key = jax.random.key(0); m = MLP()
abs_v = jax.eval_shape(m.init, key, x)
print("1 linen eval_shape(init):", jax.tree.map(lambda l: (l.shape, str(l.dtype)), abs_v["params"]))
eager = m.init(key, x)
jitted = jax.jit(m.init)(key, x)
print("3 linen jit(init) == init (same key):", all(jax.tree.leaves(jax.tree.map(lambda a, b: bool(jnp.array_equal(a, b)), eager, jitted))))
k = eager["params"]["Dense_0"]["kernel"]; print("3 linen kernel std %.4f (1/sqrt(20)=%.4f)" % (k.std(), 20 ** -0.5))
# buffers computed in setup / batch stats
class WithConst(nn.Module):
    @nn.compact
    def __call__(self, x):
        pos = self.variable("consts", "pos", lambda: jnp.arange(8.0))
        x = nn.BatchNorm(use_running_average=False)(x)
        return x + pos.value
a = jax.eval_shape(WithConst().init, key, jnp.ones((2, 8)))
v = jax.jit(WithConst().init)(key, jnp.ones((2, 8)))
print("4 linen abstract collections", {c: list(jax.tree_util.tree_leaves_with_path(a[c]).__len__() for _ in [0]) for c in a})
print("4 linen materialised consts.pos", v["consts"]["pos"].tolist(), "batch_stats", jax.tree.map(lambda t: t.tolist(), v["batch_stats"]))
# tied
class TiedL(nn.Module):
    @nn.compact
    def __call__(self, x):
        d = nn.Dense(4, use_bias=False, name="shared"); return d(d(x))
print("5 linen tied abstract:", jax.tree.map(lambda l: l.shape, jax.eval_shape(TiedL().init, key, jnp.ones((1, 4)))["params"]))
# lazy on abstract: linen is lazy by construction; also NNX ToNNX bridge under eval_shape
# NNX
am = nnx.eval_shape(lambda: NMLP(nnx.Rngs(0)))
print("1 nnx.eval_shape:", type(am.l0.kernel).__name__, am.l0.kernel.get_value())
try:
    am(jnp.ones((2, 20)))
except Exception as e:
    print("1 nnx abstract forward ->", type(e).__name__, str(e).splitlines()[0][:150])
en = NMLP(nnx.Rngs(0))
jn = nnx.jit(lambda: NMLP(nnx.Rngs(0)))()
print("3 nnx jit(create) == eager (same Rngs(0)):", bool(jnp.array_equal(en.l0.kernel.get_value(), jn.l0.kernel.get_value())))
# NNX materialise an abstract model: graphdef + init of state via split/merge
gd, ast = nnx.split(am)
class NConst(nnx.Module):
    def __init__(self, rngs):
        self.pos = nnx.Variable(jnp.arange(8.0)); self.bn = nnx.BatchNorm(8, rngs=rngs)
ac = nnx.eval_shape(lambda: NConst(nnx.Rngs(0)))
print("4 nnx abstract buffer:", ac.pos.get_value(), "; bn.mean", ac.bn.mean.get_value())
class NTied(nnx.Module):
    def __init__(self, rngs):
        self.a = nnx.Linear(4, 4, use_bias=False, rngs=rngs); self.b = nnx.Linear(4, 4, use_bias=False, rngs=rngs); self.b.kernel = self.a.kernel
at = nnx.eval_shape(lambda: NTied(nnx.Rngs(0)))
print("5 nnx tied after eval_shape: same Variable", at.a.kernel is at.b.kernel, "; state leaves", len(jax.tree.leaves(nnx.state(at, nnx.Param))))
mt = nnx.jit(lambda: NTied(nnx.Rngs(0)))()
print("5 nnx tied after nnx.jit create: same Variable", mt.a.kernel is mt.b.kernel)
# lazy on abstract: ToNNX bridge + lazy_init inside eval_shape
try:
    def mk():
        mm = nnx.bridge.ToNNX(nn.Dense(256), rngs=nnx.Rngs(0))
        nnx.bridge.lazy_init(mm, jnp.ones((1, 20)))
        return mm
    lb = nnx.eval_shape(mk)
    print("6 nnx ToNNX+lazy_init under eval_shape: kernel", lb.kernel.get_value() if hasattr(lb, "kernel") else nnx.state(lb))
except Exception as e:
    print("6 nnx ToNNX lazy under eval_shape ->", type(e).__name__, str(e).splitlines()[0][:200])
try:
    lb2 = nnx.eval_shape(lambda: nnx.bridge.ToNNX(nn.Dense(256), rngs=nnx.Rngs(0)))
    print("6 nnx ToNNX never lazy_init'ed under eval_shape: state", nnx.state(lb2, nnx.Param))
except Exception as e:
    print("6 nnx ToNNX (no lazy_init) under eval_shape ->", type(e).__name__, str(e).splitlines()[0][:200])

for sub in ("big-linen", "big-nnx"):
    print(subprocess.run([sys.executable, __file__, sub], capture_output=True, text=True, timeout=120).stdout.strip().splitlines()[-1])
env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=2", JAX_PLATFORMS="cpu")
r = subprocess.run([sys.executable, __file__, "sharded"], capture_output=True, text=True, timeout=120, env=env)
print(r.stdout.strip()); print(r.stderr.strip()[-1500:])
