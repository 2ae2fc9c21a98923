"""Standalone probe of Flax (linen + nnx) lazy-init facts; prints one JSON object.
Run: JAX_PLATFORMS=cpu .tox/flax/bin/python spec/probes/flax_facts.py (imports nothing from the repo)."""
import json
import os
import pickle
import tempfile
import warnings

os.environ.setdefault("JAX_PLATFORMS", "cpu")
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import flax  # noqa: E402
import flax.linen as nn  # noqa: E402
from flax import nnx, serialization, traverse_util  # noqa: E402

FACTS = {}
with warnings.catch_warnings(record=True) as _W:  # jax caches deprecated getattr: warns once per process
    warnings.simplefilter("always")
    IS_CONCRETE = jax.core.is_concrete
IS_CONCRETE_WARN = sorted({f"{x.category.__name__}: {x.message}" for x in _W})
KEY = jax.random.PRNGKey(0)
X = jax.random.uniform(jax.random.PRNGKey(1), (2, 20), jnp.float32)

def err(e):
    first = (str(e).strip().splitlines() or [""])[0]
    return f"raises {type(e).__name__}: {first[:150]}"

def attempt(fn, ok=lambda r: "ok"):
    try:
        return ok(fn())
    except Exception as e:
        return err(e)

def fact(fn):
    try:
        FACTS.update(fn())
    except Exception as e:  # a broken probe is itself a fact
        FACTS[fn.__name__] = err(e)
    return fn

def shapes(tree):
    flat = traverse_util.flatten_dict(flax.core.unfreeze(tree), sep="/")
    return {k: list(v.shape) for k, v in sorted(flat.items())}

def model():
    return nn.Sequential([nn.Dense(256), nn.relu, nn.Dense(10)])

def is_tracer(a):
    """Robust in jax 0.10: concrete arrays are jax.Array but not jax.core.Tracer."""
    return isinstance(a, jax.core.Tracer)

class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, key, shape, dtype=jnp.float32):
        out = nn.initializers.lecun_normal()(key, shape, dtype)
        conc = bool(IS_CONCRETE(out))  # deprecated in jax 0.10 but still works
        self.calls.append({"shape": list(shape), "key_tracer": is_tracer(key), "out_tracer": is_tracer(out),
                           "is_concrete": conc})
        return out

    def take(self):
        c, self.calls = self.calls, []
        kind = lambda t: sorted({"traced" if x[t] else "concrete" for x in c})  # noqa: E731
        return {"n": len(c), "out": kind("out_tracer"), "key": kind("key_tracer"),
                "is_concrete": sorted({x["is_concrete"] for x in c}), "shapes": [x["shape"] for x in c]}

@fact
def f01_init_tree():
    v = model().init(KEY, X)
    return {"f01_collections": sorted(v.keys()), "f01_param_shapes": shapes(v["params"]),
            "f01_variables_type": type(v).__name__}

@fact
def f02_recording_init():
    rec = Recorder()
    m = nn.Sequential([nn.Dense(256, kernel_init=rec), nn.relu, nn.Dense(10)])
    v = m.init(KEY, X)
    out, jf = {"f02_at_init": rec.take()}, jax.jit(m.apply)
    for name, call in (("apply1", lambda: m.apply(v, X)), ("apply2", lambda: m.apply(v, X)),
                       ("jit_shape_2x20", lambda: jf(v, X)), ("jit_shape_5x20", lambda: jf(v, jnp.ones((5, 20)))),
                       ("jit_cached_2x20", lambda: jf(v, X)), ("jit_init", lambda: jax.jit(m.init)(KEY, X))):
        call()
        out[f"f02_{name}"] = rec.take()  # apply: flax checks shape via jax.eval_shape(init_fn) -> traced call
    out["f02_is_concrete_warns"] = IS_CONCRETE_WARN
    out["f02_concrete_check"] = "isinstance(x, jax.core.Tracer) is False <=> concrete (no deprecation)"
    return out

@fact
def f03_eval_shape():
    rec = Recorder()
    m = nn.Sequential([nn.Dense(256, kernel_init=rec), nn.relu, nn.Dense(10)])
    s = jax.eval_shape(m.init, KEY, jax.ShapeDtypeStruct((1, 20), jnp.float32))
    leaves = jax.tree_util.tree_leaves(s)
    return {"f03_shapes": shapes(s["params"]),
            "f03_leaf_types": sorted({type(x).__name__ for x in leaves}),
            "f03_recorder": rec.take()}

@fact
def f04_apply_before_init():
    out = {}
    for name, v in (("empty", {}), ("params_empty", {"params": {}})):
        out[f"f04_apply_{name}"] = attempt(lambda: model().apply(v, X))
    out["f04_unbound_variables"] = attempt(lambda: nn.Dense(256).variables)  # unbound: no state exists
    return out

@fact
def f05_shape_mismatch():
    m = model()
    v = m.init(KEY, X)
    out = {}
    out["f05_apply_2x30"] = attempt(lambda: m.apply(v, jnp.ones((2, 30))))
    out["f05_apply_7x20_shape"] = list(m.apply(v, jnp.ones((7, 20))).shape)
    x3 = jnp.ones((2, 4, 5))
    v3 = m.init(KEY, x3)
    out["f05_3d_out_shape"] = list(m.apply(v3, x3).shape)
    out["f05_3d_kernel0_shape"] = list(v3["params"]["layers_0"]["kernel"].shape)
    return out

@fact
def f06_dtypes():
    m = model()
    x64 = np.random.RandomState(0).rand(2, 20).astype(np.float64)
    v = m.init(KEY, x64)
    y = m.apply(v, x64)
    return {"f06_input_np_dtype": str(x64.dtype), "f06_jnp_asarray_dtype": str(jnp.asarray(x64).dtype),
            "f06_out_dtype": str(y.dtype),
            "f06_param_dtypes": sorted({str(a.dtype) for a in jax.tree_util.tree_leaves(v)})}

@fact
def f07_default_init_stats():
    v = model().init(KEY, X)
    k = np.asarray(v["params"]["layers_0"]["kernel"])
    b = np.asarray(v["params"]["layers_0"]["bias"])
    std = 1 / np.sqrt(20)
    return {"f07_kernel_std": round(float(k.std()), 5), "f07_expected_std_1/sqrt(fan_in)": round(std, 5),
            "f07_kernel_max_abs": round(float(np.abs(k).max()), 5),
            "f07_max_abs_over_std": round(float(np.abs(k).max() / std), 4),
            "f07_trunc_bound_2*std/0.8796": round(2 * std / 0.87962566, 5),
            "f07_truncated_normal": bool(np.abs(k).max() <= 2 * std / 0.87962566 + 1e-6),
            "f07_bias_all_zero": bool((b == 0).all()),
            "f07_default_kernel_init": repr(nn.Dense.kernel_init)[:80]}

class TiedCompact(nn.Module):
    @nn.compact
    def __call__(self, x):
        d = nn.Dense(20, name="shared")
        return d(nn.relu(d(x)))

class TiedSetup(nn.Module):
    def setup(self):
        self.shared = nn.Dense(20)

    def __call__(self, x):
        return self.shared(nn.relu(self.shared(x)))

@fact
def f08_tied():
    out = {}
    for name, M in (("compact", TiedCompact), ("setup", TiedSetup)):
        m = M()
        v = m.init(KEY, X)
        out[f"f08_{name}_param_shapes"] = shapes(v["params"])
    m = TiedCompact()
    v = m.init(KEY, X)
    p = v["params"]["shared"]
    W, b = p["kernel"], p["bias"]

    def loss(W):
        return m.apply({"params": {"shared": {"kernel": W, "bias": b}}}, X).sum()

    g = jax.grad(loss)(W)
    # by hand: y = relu(xW+b)W+b ; dL/dW = h^T 1 (second use) + x^T ((1 W^T) * relu'(xW+b)) (first use)
    z = X @ W + b
    h = jax.nn.relu(z)
    ones = jnp.ones((2, 20))
    g2 = h.T @ ones
    g1 = X.T @ ((ones @ W.T) * (z > 0))
    out["f08_grad_equals_sum_of_uses"] = bool(jnp.allclose(g, g1 + g2, atol=1e-4))
    out["f08_grad_not_single_use"] = bool(not jnp.allclose(g, g2, atol=1e-4))
    return out

@fact
def f09_reinit():
    m = model()
    v = m.init(KEY, X)
    k0 = v["params"]["layers_0"]["kernel"]
    new = nn.initializers.xavier_uniform()(jax.random.PRNGKey(7), k0.shape)
    p2 = flax.core.unfreeze(v)  # plain dict in flax>=0.8; copy to be safe
    p2 = jax.tree_util.tree_map(lambda a: a, p2)
    p2["params"]["layers_0"]["kernel"] = new
    limit = np.sqrt(6 / (20 + 256))
    v2 = m.init(jax.random.PRNGKey(42), X)
    return {"f09_new_kernel_shape": list(new.shape), "f09_xavier_within_limit": bool(jnp.abs(new).max() <= limit),
            "f09_original_untouched": bool(jnp.array_equal(v["params"]["layers_0"]["kernel"], k0)),
            "f09_replaced_differs": bool(not jnp.array_equal(p2["params"]["layers_0"]["kernel"], k0)),
            "f09_reinit_new_key_differs": bool(not jnp.array_equal(v2["params"]["layers_0"]["kernel"], k0)),
            "f09_reinit_same_key_equal": bool(jnp.array_equal(m.init(KEY, X)["params"]["layers_0"]["kernel"], k0))}

@fact
def f10_serialization():
    m = model()
    v = m.init(KEY, X)
    blob = serialization.to_bytes(v)
    r = serialization.msgpack_restore(blob)
    leaves = jax.tree_util.tree_leaves(r)
    out = {"f10_bytes_len": len(blob), "f10_restore_no_target_leaf_types": sorted({type(a).__name__ for a in leaves}),
           "f10_restore_no_target_shapes": shapes(r["params"]),
           "f10_restore_equal": bool(all(np.array_equal(a, b) for a, b in
                                         zip(jax.tree_util.tree_leaves(v), leaves)))}
    tgt = m.init(jax.random.PRNGKey(9), X)
    r2 = serialization.from_bytes(tgt, blob)
    out["f10_from_bytes_equal"] = bool(jnp.array_equal(r2["params"]["layers_0"]["kernel"], v["params"]["layers_0"]["kernel"]))
    out["f10_from_bytes_type"] = type(r2).__name__
    bad = m.init(KEY, jnp.ones((2, 30)))
    out["f10_from_bytes_wrong_shape_target"] = attempt(lambda: serialization.from_bytes(bad, blob), lambda r: (
        "ok, no shape check; kernel0 -> " + str(list(r["params"]["layers_0"]["kernel"].shape))))
    with tempfile.TemporaryDirectory() as d:
        pth = os.path.join(d, "w.pkl")
        with open(pth, "wb") as fh:
            pickle.dump(jax.tree_util.tree_map(np.asarray, v), fh)
        out["f10_msgpack_restore_pickle"] = attempt(lambda: serialization.msgpack_restore(open(pth, "rb").read()),
                                                    lambda r: f"ok -> {type(r).__name__}")
    return out

@fact
def f11_nnx():
    out = {}
    lin = nnx.Linear(20, 256, rngs=nnx.Rngs(0))
    out["f11_linear_kernel_shape"] = list(lin.kernel[...].shape)
    out["f11_linear_bias_shape"] = list(lin.bias[...].shape)
    out["f11_linear_kernel_is_tracer"] = is_tracer(lin.kernel[...])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        lin.kernel.value
    out["f11_dot_value_warns"] = sorted({f"{x.category.__name__}: {str(x.message).splitlines()[0]}" for x in w})
    seq = nnx.Sequential(nnx.Linear(20, 256, rngs=nnx.Rngs(0)), nnx.relu, nnx.Linear(256, 10, rngs=nnx.Rngs(1)))
    out["f11_seq_out_shape"] = list(seq(X).shape)
    _, state = nnx.split(seq)
    out["f11_seq_state_paths"] = sorted("/".join(map(str, p)) for p, _ in nnx.to_flat_state(state))
    rec = Recorder()
    nnx.Linear(20, 256, kernel_init=rec, rngs=nnx.Rngs(0))
    out["f11_recorder_at_construction"] = rec.take()
    out["f11_in_features_None"] = attempt(lambda: nnx.Linear(None, 256, rngs=nnx.Rngs(0)))
    out["f11_in_features_omitted"] = attempt(lambda: nnx.Linear(256, rngs=nnx.Rngs(0)))
    rec2 = Recorder()
    abs_m = nnx.eval_shape(lambda: nnx.Linear(20, 256, kernel_init=rec2, rngs=nnx.Rngs(0)))
    out["f11_nnx_eval_shape_kernel"] = type(abs_m.kernel.get_value()).__name__
    out["f11_nnx_eval_shape_recorder"] = rec2.take()
    out["f11_bridge_lazy_init_exists"] = hasattr(nnx.bridge, "lazy_init")
    bm = nnx.bridge.ToNNX(nn.Dense(256), rngs=nnx.Rngs(0))
    nnx.bridge.lazy_init(bm, X)
    out["f11_bridge_lazy_init_kernel_shape"] = list(bm.kernel[...].shape)
    return out

@fact
def f12_conv_bn():
    c = nn.Conv(16, (3, 3), padding="VALID")
    xi = jnp.ones((2, 32, 32, 3))
    v = c.init(KEY, xi)
    bn = nn.BatchNorm(use_running_average=True)
    vb = bn.init(KEY, jnp.ones((2, 8, 8, 16)))
    return {"f12_conv_shapes": shapes(v["params"]), "f12_conv_out_shape": list(c.apply(v, xi).shape),
            "f12_bn_collections": sorted(vb.keys()), "f12_bn_params": shapes(vb["params"]),
            "f12_bn_batch_stats": shapes(vb["batch_stats"])}

@fact
def f13_naming():
    a, b = model().init(KEY, X), model().init(KEY, X)
    flat = traverse_util.flatten_dict(a["params"], sep="/")
    out = {"f13_identical_paths": sorted(traverse_util.flatten_dict(a, sep="/")) ==
           sorted(traverse_util.flatten_dict(b, sep="/")),
           "f13_flatten_keys": sorted(flat)}
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        t = traverse_util.ModelParamTraversal(lambda path, _: "kernel" in path)
        out["f13_traversal_paths_kernel"] = len(list(t.iterate(a["params"])))
        out["f13_ModelParamTraversal_warning"] = [f"{x.category.__name__}: {str(x.message)[:120]}" for x in w]
    seq = nnx.Sequential(nnx.Linear(20, 256, rngs=nnx.Rngs(0)), nnx.relu, nnx.Linear(256, 10, rngs=nnx.Rngs(1)))
    st = nnx.state(seq, nnx.All(nnx.Param, nnx.PathContains("kernel")))
    out["f13_nnx_filter_kernel_paths"] = sorted("/".join(map(str, p)) for p, _ in nnx.to_flat_state(st))
    return out

@fact
def f14_writing():
    m = model()
    v = m.init(KEY, X)
    y0 = m.apply(v, X)
    v2 = jax.tree_util.tree_map(lambda a: a, v)
    v2["params"]["layers_2"]["bias"] = jnp.full((10,), 5.0)
    y1 = m.apply(v2, X)
    arr = v["params"]["layers_2"]["bias"]
    new = arr.at[0].add(1.0)
    out = {"f14_apply_sees_replacement": bool(jnp.allclose(y1 - y0, 5.0, atol=1e-5)),
           "f14_at_add_new_array": bool(new is not arr and float(arr[0]) == 0.0 and float(new[0]) == 1.0)}
    def setitem():
        arr[0] = 1.0
    out["f14_inplace_setitem"] = attempt(setitem)
    return out

@fact
def f15_warnings():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        m = model()
        v = m.init(KEY, X)
        m.apply(v, X)
        jax.jit(m.apply)(v, X)
    return {"f15_warnings": [f"{x.category.__name__}: {str(x.message)[:120]}" for x in w]}

@fact
def f16_x64():
    return {"f16_jax_enable_x64": bool(jax.config.jax_enable_x64),
            "f16_read": bool(jax.config.read("jax_enable_x64")),
            "f16_jnp_float_default": str(jnp.asarray(1.0).dtype),
            "f16_versions": {"flax": flax.__version__, "jax": jax.__version__, "numpy": np.__version__}}

if __name__ == "__main__":
    print(json.dumps(FACTS, sort_keys=True, indent=1))
