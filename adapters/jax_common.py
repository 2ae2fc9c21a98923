"""What the functional JAX adapters (``flax_linen``, ``haiku_modules``) share, free of
any framework above JAX: the adapter's own ``jax.random`` key, NCHW data and kernels
between JAX's layout and the reference's, a user-defined initializer's draws, the
leaves ``reinitialize`` draws, optax optimizers and freeze masks, pickle copies, JAX's
own errors, and ``shard_init``'s child on 2 host CPU devices.

JAX kernels are ``(in, out)`` / ``(kh, kw, in, out)`` and images NHWC; the reference
has ``(out, in)`` / ``(out, in, kh, kw)`` and NCHW.
"""
from __future__ import annotations

import copy as copylib
import pickle
from dataclasses import dataclass, replace

import jax
import jax.numpy as jnp
import numpy as np
import optax

from adapters.interface import Adapter, Call, MissingParameter, PlatformLacks, Unsupported

TO_REF = {2: (1, 0), 4: (3, 2, 0, 1)}    # JAX kernel axis order -> reference axis order
FROM_REF = {2: (1, 0), 4: (2, 3, 1, 0)}


# -- layouts -------------------------------------------------------------------------
def ref_shape(shape):
    """A JAX kernel's shape in the reference layout (other ranks as they are)."""
    shape = tuple(int(d) for d in shape)
    return tuple(shape[i] for i in TO_REF[len(shape)]) if len(shape) in TO_REF else shape


def ref_value(value):
    """A copy of a JAX kernel's value in the reference layout (other ranks as they are)."""
    value = np.asarray(value)
    return value.transpose(TO_REF[value.ndim]).copy() if value.ndim in TO_REF else value.copy()


def native_value(value):
    """A reference-layout value as a float32 JAX kernel (other ranks as they are)."""
    value = np.asarray(value, np.float32)
    return value.transpose(FROM_REF[value.ndim]) if value.ndim in FROM_REF else value


def nhwc(shape):
    """An NCHW shape (rank 4) as NHWC; other ranks as they are."""
    return (shape[0], shape[2], shape[3], shape[1]) if len(shape) == 4 else shape


def ref_output_shape(shape):
    """A JAX output's shape as the reference's: NHWC (rank 4) as NCHW."""
    out = tuple(int(d) for d in shape)
    return (out[0], out[3], out[1], out[2]) if len(out) == 4 else out


class JaxAdapter(Adapter):
    """An adapter whose state is JAX values: it owns a ``jax.random`` key (``seed``),
    split per draw; images cross its interface as NCHW and run NHWC. A subclass
    resolves pids in ``_paths(state)`` and reads a leaf with ``_leaf(state, path)``;
    its definitions (``state.image``) are dataclasses with ``sample`` / ``init_key``."""

    def __init__(self):
        self.key = jax.random.key(0)

    def framework_config(self):
        return {"jax_enable_x64": bool(jax.config.jax_enable_x64),
                "jax_version": jax.__version__}

    def seed(self, n):
        self.key = jax.random.key(n)

    def _next_key(self):
        self.key, key = jax.random.split(self.key)
        return key

    def _x(self, state, x):
        x = np.asarray(x)
        return x.transpose(0, 2, 3, 1) if state.image and x.ndim == 4 else x

    def _spec(self, state, input_shape):
        """The float32 ``jax.ShapeDtypeStruct`` of a reference input shape."""
        shape = tuple(int(d) for d in input_shape)
        return jax.ShapeDtypeStruct(nhwc(shape) if state.image else shape, jnp.float32)

    def _traced(self, arch, input_shape):
        """``build(arch)`` holding the input ``jax.ShapeDtypeStruct`` of ``input_shape``
        and a key of its own: what ``build_abstract`` traces ``init`` with and
        ``materialize_abstract`` later draws with."""
        model = self.build(arch)
        x = self._x(model, np.zeros((1, *input_shape), np.float32))
        return replace(model, sample=jax.ShapeDtypeStruct(x.shape, x.dtype),
                       init_key=self._next_key())

    def _path(self, state, pid):
        paths = self._paths(state)
        if pid not in paths:
            raise MissingParameter(f"no parameter {pid!r}")
        return paths[pid]

    def param_dtype(self, state, pid):
        return np.dtype(self._leaf(state, self._path(state, pid)).dtype).name

    def layout(self):
        return "NHWC"


@dataclass(frozen=True)
class Optimizer:
    """An optax optimizer over a params tree: the transformation and the state
    ``tx.init(params)`` returned (``tx.update`` returns the next one)."""
    tx: optax.GradientTransformation
    opt_state: object


class HoldsModel:
    """A state holding its definition as ``model``: ``uses`` and ``image`` are the
    definition's."""

    @property
    def uses(self):
        return self.model.uses

    @property
    def image(self):
        return self.model.image


# -- initializers --------------------------------------------------------------------
def user_draw(init, pid, shape_ref, key, shape, dtype):
    """A user-defined initializer's call: logged in ``init.log`` (at ``shape_ref``), as
    drawing unless ``key`` is a tracer (``jax.eval_shape``: nothing is drawn); then its
    values, ``recording`` U[-0.5, 0.5), else U[-10, 10) with ``|w| < 5`` zeroed."""
    init.log.append(Call(pid, shape_ref, drew=not isinstance(key, jax.core.Tracer)))
    if init.kind == "recording":
        return jax.random.uniform(key, shape, dtype, -0.5, 0.5)
    w = jax.random.uniform(key, shape, dtype, -10.0, 10.0)
    return jnp.where(jnp.abs(w) >= 5, w, 0).astype(dtype)


def reinit_targets(paths, target):
    """``[(pid, path, requested)]``: the leaves ``reinitialize(target)`` draws, a leaf
    once (a shared layer's at its first use). ``target``: None, every parameter; a
    layer index, its parameters; a pid, that one (``MissingParameter`` if absent).
    ``requested``: the requested initializer applies (a weight, or a parameter named
    explicitly); else the layer's own initializer stays (bias, gamma, beta)."""
    explicit = isinstance(target, str)
    if target is None:
        pids = list(paths)
    elif isinstance(target, int):
        pids = [p for p in paths if p.split(".")[0] == str(target)]
    else:
        if target not in paths:
            raise MissingParameter(f"no parameter {target!r}")
        pids = [target]
    out, done = [], set()
    for pid in pids:
        path = paths[pid]
        if path in done:
            continue
        done.add(path)
        out.append((pid, path, explicit or pid.split(".")[1] == "weight"))
    return out


# -- optax ---------------------------------------------------------------------------
def transformation(kind, lr, frozen=None):
    """optax's ``sgd`` / ``adagrad`` at ``lr`` (optax's defaults), behind ``frozen``
    (``freeze``'s mask) when there is one."""
    if kind == "sgd":
        tx = optax.sgd(lr)          # no momentum, no weight decay
    elif kind == "adagrad":
        tx = optax.adagrad(lr)      # optax defaults: accumulator 0.1, eps 1e-7
    else:
        raise Unsupported(f"make_optimizer/{kind}", "only sgd and adagrad are mapped (optax)")
    return tx if frozen is None else optax.chain(frozen, tx)


def apply_gradients(opt, grads, params):
    """``tx.update`` and ``optax.apply_updates``: ``(new params, new Optimizer)``."""
    updates, opt_state = opt.tx.update(grads, opt.opt_state, params)
    return optax.apply_updates(params, updates), Optimizer(opt.tx, opt_state)


def freeze_mask(labels, frozen=None):
    """``optax.multi_transform`` zeroing the updates of the leaves ``labels(params)``
    labels ``"frozen"`` (``optax.set_to_zero``; ``"trainable"`` ones pass), chained
    after ``frozen``, the mask of earlier freezes."""
    mask = optax.multi_transform({"trainable": optax.identity(),
                                  "frozen": optax.set_to_zero()}, labels)
    return mask if frozen is None else optax.chain(frozen, mask)


# -- state around the parameters ----------------------------------------------------
def copy_state(state, how):
    """``copy.deepcopy`` or a ``pickle`` round trip of ``state``."""
    if how == "deepcopy":
        return copylib.deepcopy(state)
    if how != "pickle":
        raise Unsupported(f"copy/{how}", "deepcopy and pickle only")
    try:
        data = pickle.dumps(state)
    except AttributeError as exc:
        # CPython < 3.14 raises "Can't pickle local object" as AttributeError from
        # C code, so its innermost frame is this line: it is pickle's refusal of a
        # closure the state holds (a JAX initializer, Haiku's init_fn / apply_fn), not
        # an adapter bug (3.14 raises PicklingError)
        if not str(exc).startswith("Can't pickle"):
            raise
        raise pickle.PicklingError(str(exc)) from exc
    return pickle.loads(data)


def array_bytes(tree):
    """Bytes of the leaves of ``tree`` that are arrays (a ``ShapeDtypeStruct`` holds
    none)."""
    return int(sum(leaf.nbytes for leaf in jax.tree.leaves(tree)
                   if isinstance(leaf, jax.Array)))


def jax_error_kind(exc):
    """The kind of JAX's own errors: a contraction or broadcast of mismatched shapes
    (``shape-mismatch``), an abstract leaf (``jax.eval_shape``) used as a value
    (``not-initialized``); ``other`` for the rest."""
    text = str(exc)
    if isinstance(exc, TypeError) and ("contracting dimensions" in text
                                       or "Incompatible shapes" in text):
        return "shape-mismatch"
    if isinstance(exc, TypeError) and "not 'ShapeDtypeStruct'" in text:
        return "not-initialized"
    return "other"


# -- shard_init: the child on 2 host CPU devices ---------------------------------------
def run_device_child(work, request, devices=2):
    """Run ``work`` (``module:function``, ``adapters/shard_child.py``) on ``request``
    with ``devices`` host CPU devices (JAX fixes its device count when its backend
    starts): the child's result."""
    from adapters.shard_process import child_env, run_child
    env = child_env({"XLA_FLAGS": f"--xla_force_host_platform_device_count={devices}",
                     "JAX_PLATFORMS": "cpu"})
    return run_child(work, request, env)


def require_devices(n):
    """The first ``n`` JAX devices; ``PlatformLacks`` when there are fewer."""
    devices = jax.devices()
    if len(devices) < n:
        raise PlatformLacks("devices", f"JAX sees {len(devices)} device(s) "
                            f"({jax.default_backend()}), {n} needed")
    return devices[:n]


def column_shardings(tree, devices):
    """Per leaf of ``tree`` a ``NamedSharding`` over ``Mesh(devices, ("model",))``:
    a 2-D leaf split on its last axis (``PartitionSpec(None, "model")``: a kernel's
    output units), every other leaf replicated."""
    from jax.sharding import Mesh, NamedSharding, PartitionSpec
    mesh = Mesh(np.array(devices), ("model",))

    def spec(leaf):
        return NamedSharding(mesh, PartitionSpec(None, "model") if leaf.ndim == 2
                             else PartitionSpec())
    return jax.tree.map(spec, tree)


def ref_shards(leaf):
    """Each device's shard of a 2-D kernel, ordered by the slice it holds, in the
    reference layout (out, in)."""
    parts = sorted(leaf.addressable_shards, key=lambda s: s.index[-1].start or 0)
    return [np.asarray(s.data).T.copy() for s in parts]
