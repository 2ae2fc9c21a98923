"""Probe: Keras 3.15.1 abstract build (keras.StatelessScope(initialize_variables=False))
and materialisation, on the backend named by KERAS_BACKEND. Run e.g.
KERAS_BACKEND=jax JAX_PLATFORMS=cpu timeout 120 .tox/flax/bin/python docs/design/probes/keras3_abstract.py"""
import os, sys, resource, time, subprocess, warnings
import numpy as np
mode = sys.argv[1] if len(sys.argv) > 1 else "main"
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
def cur(): return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize() / 2**20
import keras
from keras import layers
from keras.src.backend.common.variables import initialize_all_variables  # private: what StatelessScope.__exit__ calls
B = keras.backend.backend()
def npv(t): return keras.ops.convert_to_numpy(t)

def mlp(): return keras.Sequential([keras.Input((20,)), layers.Dense(256, activation="relu"), layers.Dense(10)])

if mode == "big":
    r0 = rss(); c0 = cur(); t0 = time.perf_counter()
    with keras.StatelessScope(initialize_variables=False):
        m = keras.Sequential([keras.Input((16384,))] + [layers.Dense(16384) for _ in range(4)])
    dt = time.perf_counter() - t0
    n = sum(int(np.prod(v.shape)) for v in m.weights)
    print(f"[{B}] StatelessScope 1B: params {n} build {dt*1000:.0f} ms maxrss growth {rss()-r0:.1f} MiB, current-RSS growth {cur()-c0:.1f} MiB; _value None: {all(v._value is None for v in m.weights)}")
    sys.exit()
if mode == "sharded":
    import jax
    devs = keras.distribution.list_devices()
    mesh = keras.distribution.DeviceMesh((2,), ["model"], devs)
    lm = keras.distribution.LayoutMap(mesh)
    lm[".*dense.*kernel"] = (None, "model")
    def big():  # 8192x4096 fp32 kernel: 128 MiB x 2 devices >= the 250 MiB should_shard_at_init threshold
        return keras.Sequential([keras.Input((8192,)), layers.Dense(4096, use_bias=False, name="dense_big")])
    keras.utils.set_random_seed(0); whole = big().weights[0].value
    def small():
        return keras.Sequential([keras.Input((20,)), layers.Dense(256, name="dense_a"), layers.Dense(10, name="dense_b")])
    keras.utils.set_random_seed(0); whole_s = [v.value for v in small().weights]
    keras.distribution.set_distribution(keras.distribution.ModelParallel(layout_map=lm, batch_dim_name=None))
    keras.utils.set_random_seed(0); sh = big().weights[0].value
    print(f"[{B}] devices {devs}; ModelParallel big kernel sharding {sh.sharding.spec} shards {[s.data.shape for s in sh.addressable_shards]}; equal to undistributed: {bool(np.array_equal(npv(sh), npv(whole)))}")
    keras.utils.set_random_seed(0); sh_s = small().weights
    print(f"[{B}] small MLP kernel sharding {sh_s[0].value.sharding.spec}; equal: {[bool(np.array_equal(npv(a.value), npv(b))) for a, b in zip(sh_s, whole_s)]}")
    sys.exit()

print("keras", keras.__version__, "backend", B)
with keras.StatelessScope(initialize_variables=False):
    am = mlp()
w = am.weights[0]
print("1 abstract MLP:", [(v.path, tuple(v.shape), v.dtype) for v in am.weights], "_value is None:", w._value is None)
try:
    print("1 read value ->", type(w.value).__name__, npv(w.value).shape)
except Exception as e:
    print("1 read value ->", type(e).__name__, str(e).splitlines()[0][:160])
try:
    y = am(np.ones((2, 20), "float32")); print("1 forward ->", tuple(y.shape))
except Exception as e:
    print("1 forward ->", type(e).__name__, str(e).splitlines()[0][:160])
keras.utils.set_random_seed(0); eager = mlp()
keras.utils.set_random_seed(0)
with keras.StatelessScope(initialize_variables=False):
    am4 = mlp()
r1 = npv(am4.weights[0].value); r2 = npv(am4.weights[0].value)
print("1 two reads of an abstract kernel equal:", bool(np.array_equal(r1, r2)), "; first read == eager value:", bool(np.array_equal(r1, npv(eager.weights[0].value))))
initialize_all_variables()
print("3 materialised after reads (no reseed) == eager:", bool(np.array_equal(npv(am4.weights[0].value), npv(eager.weights[0].value))))
keras.utils.set_random_seed(0)
with keras.StatelessScope(initialize_variables=False):
    am2 = mlp()
keras.utils.set_random_seed(0)
initialize_all_variables()
eq = [bool(np.array_equal(npv(a.value), npv(b.value))) for a, b in zip(am2.weights, eager.weights)]
print("3 materialised (reseeded) == eager:", eq)
k = npv(am2.weights[0].value); lim = (6 / (20 + 256)) ** 0.5
print("3 distribution max|w| %.4f glorot limit %.4f" % (np.abs(k).max(), lim))
# scope exit materialises (default initialize_variables=True)
keras.utils.set_random_seed(0)
with keras.StatelessScope():
    am3 = mlp()
print("3 StatelessScope() exit materialises: _value None:", am3.weights[0]._value is None, "== eager:", bool(np.array_equal(npv(am3.weights[0].value), npv(eager.weights[0].value))))
# buffers: BatchNorm moving stats; a variable from a computed array
with keras.StatelessScope(initialize_variables=False):
    bn = keras.Sequential([keras.Input((4,)), layers.BatchNormalization()])
initialize_all_variables()
print("4 BN after materialise:", {v.path: npv(v.value).tolist() for v in bn.weights})
class Pos(layers.Layer):
    def __init__(self):
        super().__init__(); self.pos = self.add_weight(shape=(8,), initializer=keras.initializers.Constant(np.arange(8.0)), trainable=False)
    def call(self, x): return x + self.pos
try:
    with keras.StatelessScope(initialize_variables=False):
        p = Pos()
    initialize_all_variables(); print("4 Constant(arange) weight after materialise:", npv(p.pos.value).tolist())
except Exception as e:
    print("4 Constant(arange) in scope ->", type(e).__name__, str(e).splitlines()[0][:160])
try:
    with keras.StatelessScope(initialize_variables=False):
        v = keras.Variable(np.arange(8.0, dtype="float32"))
    print("4 keras.Variable(array) in scope -> ok")
except Exception as e:
    print("4 keras.Variable(array) in scope ->", type(e).__name__, str(e).splitlines()[0][:160])
# tied
with keras.StatelessScope(initialize_variables=False):
    inp = keras.Input((4,)); d = layers.Dense(4, use_bias=False); tm = keras.Model(inp, d(d(inp)))
initialize_all_variables()
print("5 tied: n weights", len(tm.weights), "same variable used twice (layer reused):", tm.layers[1] is d)
# lazy layer (no Input) on abstract
with keras.StatelessScope(initialize_variables=False):
    lz = keras.Sequential([layers.Dense(256), layers.Dense(10)])
print("6 lazy Sequential in scope: weights", len(lz.weights), "built", lz.built)
try:
    with keras.StatelessScope(initialize_variables=False):
        lz.build((None, 20))
    print("6 build((None,20)) in scope: weights", [tuple(v.shape) for v in lz.weights], "_value None", [v._value is None for v in lz.weights][:1])
    initialize_all_variables(); print("6 then materialised:", [npv(v.value).shape for v in lz.weights][:1])
except Exception as e:
    print("6 build in scope ->", type(e).__name__, str(e).splitlines()[0][:160])
lz2 = keras.Sequential([layers.Dense(256), layers.Dense(10)])
try:
    with keras.StatelessScope(initialize_variables=False):
        y = lz2(np.ones((2, 20), "float32"))
    print("6 first call inside scope ->", tuple(y.shape))
except Exception as e:
    print("6 first call inside scope ->", type(e).__name__, str(e).splitlines()[0][:200])
r = subprocess.run([sys.executable, __file__, "big"], capture_output=True, text=True, timeout=120)
print(r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-800:])
if B == "jax":
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=2", JAX_PLATFORMS="cpu")
    r = subprocess.run([sys.executable, __file__, "sharded"], capture_output=True, text=True, timeout=120, env=env)
    print(r.stdout.strip()); print(r.stderr.strip()[-1200:])
