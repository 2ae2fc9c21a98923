"""Haiku adapter (dm-haiku on JAX): modules inside ``hk.transform_with_state``, their
params and state as the values ``init`` returns.

State is explicit, as Haiku has it. ``build`` returns a :class:`Model`: the pure pair
``hk.transform_with_state(forward)`` returns (``init``, ``apply``) plus the name Haiku
gives each logical layer's module. Haiku modules exist only inside a transformed
function, and no parameter exists until ``materialize`` calls ``init(key, x)``
(``hk.Linear`` infers its input size there), which returns the params and the state
(BatchNorm's moving averages, a Table's constant). The state is then the immutable
triple :class:`Bound` ``(model, params, state)``. ``forward`` is ``apply(params, state,
None, x, False)`` (inference) and hands back the state Haiku returns; ``write_param``
and ``reinitialize`` return new params with leaves replaced (``hk.data_structures.merge``),
drawn by ``hk.initializers`` run inside a transform (Haiku's initializers take their
key from ``hk.next_rng_key()``). Haiku has no initialize step (``w_init=`` / ``b_init=``
are constructor arguments), no re-initialization API, no regex selection, no eager
layer and no declared input size (``hk.Linear`` has no input-size argument).

``init`` runs in training mode: ``hk.BatchNorm`` creates its moving averages only
when called with ``is_training=True`` (in inference it reads them, and an ``init`` in
inference mode fails with "No value for 'average'"); every later ``forward`` is in
inference mode. The layers are an ``hk.Sequential`` subclass (:class:`Sequential`)
whose call hands ``is_training`` to the BatchNorms, as Haiku's Sequential docstring
tells users to write it, and skips ``Dense(unused=True)`` layers: Haiku creates a
module's parameters when it is called, so such a layer gets none.

Around initialization (the optional groups), functional as well: an optimizer is
optax's :class:`Optimizer` ``(tx, tx.init(params))``; ``compile`` is ``jax.jit`` of
``init`` / ``apply``; ``cast`` is a ``jmp`` policy pushed with
``hk.mixed_precision.push_policy`` inside the transformed function (future params)
and ``policy.cast_to_param`` (present ones); ``freeze`` of a layer is an optax mask;
``output_shape`` and ``build_abstract`` are ``jax.eval_shape``; ``shard_init`` is
``jax.jit(init, out_shardings=...)`` on 2 host CPU devices in a child process
(``_shard_work`` in ``adapters/shard_child.py``).

The adapter owns a ``jax.random`` key (``seed``) and splits it per draw. Haiku's
kernels are ``(in, out)`` / ``(kh, kw, in, out)``, images NHWC, and BatchNorm's
scale/offset have the input's rank with the reduced axes kept as 1 (``(1, 1, 1, C)``):
shapes and values cross the interface in the reference layout (``(out, in)``,
``(out, in, kh, kw)``, ``(C,)``); ``forward`` takes NCHW. The key, the layouts and
the other JAX pieces the Flax adapter shares are ``adapters/jax_common.py``'s.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace

import haiku as hk
import jax
import jax.numpy as jnp
import jmp
import numpy as np

from adapters.interface import (BatchNorm, Conv2D, Dense, Flatten, Group, MissingParameter,
                                Table, Unsupported, dispatch_claim, leaves, listing,
                                render_layers)
from adapters.jax_common import (FROM_REF, HoldsModel, JaxAdapter, Optimizer, apply_gradients,
                                 array_bytes, column_shardings, copy_state, freeze_mask,
                                 jax_error_kind, native_value, nhwc, ref_output_shape,
                                 ref_shape, ref_shards, ref_value, reinit_targets,
                                 require_devices, run_device_child, transformation, user_draw)

#: logical role -> Haiku's parameter (or state) name, per layer kind
ROLES = {"dense": {"weight": "w", "bias": "b"},
         "conv": {"weight": "w", "bias": "b"},
         "bn": {"gamma": "scale", "beta": "offset"},
         "table": {"table": "table"}}
#: the attribute of a Haiku module holding a parameter's own initializer
OWN_INIT = {"w": "w_init", "b": "b_init", "scale": "scale_init", "offset": "offset_init"}
#: BatchNorm's decay_rate (a required argument): MXNet's momentum 0.9
DECAY = 0.9


def _ref_shape(shape, native):
    """A Haiku leaf's shape in the reference layout: kernels transposed, BatchNorm's
    broadcast ``(1, ..., C)`` as ``(C,)``."""
    if native == "w":
        return ref_shape(shape)
    if native in ("scale", "offset"):
        return (int(np.prod(shape)),)
    return tuple(int(d) for d in shape)


def _ref_value(value, native):
    value = np.asarray(value)
    if native == "w":
        return ref_value(value)
    return value.reshape(_ref_shape(value.shape, native)).copy()


def _native_value(value, native, shape):
    """A reference-layout value as the Haiku leaf of ``shape``."""
    value = np.asarray(value, np.float32)
    if native == "w" and value.ndim in FROM_REF:
        return native_value(value)
    return value.reshape(shape)


class Sequential(hk.Sequential):
    """``hk.Sequential`` whose call hands ``is_training`` to the layers that take it
    (``hk.BatchNorm``, a nested Sequential) -- Haiku's own Sequential passes extra
    arguments to the first layer only, and its docstring tells users to write such a
    call -- and never calls the layers at the indices ``unused`` (registered, never
    run: Haiku creates no parameter for them)."""

    def __init__(self, layers, unused=(), name=None):
        super().__init__(layers, name=name)
        self.unused = tuple(unused)

    def __call__(self, x, is_training):
        for i, layer in enumerate(self.layers):
            if i in self.unused:
                continue
            x = layer(x, is_training) if isinstance(layer, (hk.BatchNorm, Sequential)) \
                else layer(x)
        return x


class TableModule(hk.Module):
    """Arch ``Table``: a constant ``arange(units)`` made when ``init`` runs, held the
    Haiku way for values that are not trained: state (``hk.get_state``)."""

    def __init__(self, units, name=None):
        super().__init__(name=name)
        self.units = units

    def __call__(self, x):
        table = hk.get_state("table", [self.units], jnp.float32,
                             init=lambda shape, dtype: jnp.arange(shape[0], dtype=dtype))
        return x + table


def _make(arch, inits):
    """The Haiku modules of ``arch`` (inside a transform): ``(root Sequential, uses)``,
    ``uses`` per logical layer (a shared layer at each use) ``(module, kind)``.
    ``inits(index, native_role)`` is the initializer build was asked for, or None."""
    uses, shared = [], {}

    def kw(i, pairs):
        return {attr: fn for attr, fn in ((a, inits(i, n)) for a, n in pairs) if fn is not None}

    def make(nodes):
        layers, skip = [], []
        for node in nodes:
            i = len(uses)
            if isinstance(node, Group):
                layers.append(make(node.layers))
            elif isinstance(node, Flatten):
                layers.append(hk.Flatten())
            elif isinstance(node, BatchNorm):
                layers.append(hk.BatchNorm(create_scale=True, create_offset=True,
                                           decay_rate=DECAY))
                uses.append((layers[-1], "bn"))
            elif isinstance(node, Table):
                layers.append(TableModule(node.units))
                uses.append((layers[-1], "table"))
            elif isinstance(node, Conv2D):
                layers.append(hk.Conv2D(node.channels, node.kernel, stride=node.stride,
                                        padding="VALID",
                                        **kw(i, (("w_init", "w"), ("b_init", "b")))))
                uses.append((layers[-1], "conv"))
            else:
                if node.share and node.share in shared:
                    layer = shared[node.share]   # one module called again: Haiku's sharing
                else:
                    layer = hk.Linear(node.units, **kw(i, (("w_init", "w"), ("b_init", "b"))))
                    if node.share:
                        shared[node.share] = layer
                if node.unused:
                    skip.append(len(layers))
                layers.append(layer)
                uses.append((layer, "dense"))
                if node.relu and not node.unused:
                    layers.append(jax.nn.relu)
        return Sequential(layers, unused=skip)

    return make(arch), uses


def _outside(fn):
    """``fn()`` inside a throwaway ``hk.transform`` (Haiku modules exist only inside a
    transformed function): to read what Haiku names and keeps on its modules."""
    return hk.transform(fn).apply({}, None)


def _transform(arch, inits, policy=None):
    """``hk.transform_with_state`` of the network's forward ``(x, is_training)``; with
    ``policy`` (``cast``), ``hk.mixed_precision.push_policy(Sequential, policy)`` around
    the call: params created in the policy's ``param_dtype``, inputs in its compute
    dtype."""
    def forward(x, is_training):
        net = _make(arch, inits)[0]
        if policy is None:
            return net(x, is_training)
        with hk.mixed_precision.push_policy(Sequential, policy):
            return net(x, is_training)
    return hk.transform_with_state(forward)


@dataclass(frozen=True)
class Model:
    """A transformed network: ``fn`` = ``hk.transform_with_state``'s ``(init, apply)``;
    ``uses`` per logical layer (a shared layer at each use) its module name, as Haiku
    names it, and kind."""
    fn: hk.TransformedWithState
    uses: tuple
    image: bool
    arch: tuple
    inits: object        # (index, native role) -> the initializer build was given
    jitted: tuple | None = None   # compile: (jax.jit(init), jax.jit(apply))
    policy: object = None         # cast: the jmp policy pushed inside the transform
    #: after ``freeze``: the optax transformation masking the frozen layers, which
    #: ``make_optimizer`` chains before the optimizer
    frozen: object = None
    #: after ``build_abstract``: the input ``jax.ShapeDtypeStruct`` and key ``init``
    #: was traced with, which ``materialize_abstract`` gives ``init``
    sample: object = None
    init_key: object = None

    def init(self, key, x):
        return (self.jitted[0] if self.jitted else self.fn.init)(key, x, True)

    def apply(self, params, state, x, is_training=False):
        return (self.jitted[1] if self.jitted else self.fn.apply)(params, state, None, x,
                                                                  is_training)


@dataclass(frozen=True)
class Bound(HoldsModel):
    """A transformed network with the params and state ``init`` / ``apply`` / a load
    returned."""
    model: Model
    params: dict
    state: dict


class HaikuAdapter(JaxAdapter):
    name = "haiku"
    groups = ("training", "copy", "compile-cast", "abstract", "abstract-build", "sharded")
    elements = ("Dense", "Conv2D", "BatchNorm", "Flatten", "Group", "Table")
    capabilities = {
        # hk.transform returns functions only; params exist as init(rng, x) returns them
        "params_before_data": "none",
        # no initialize call: initializers are constructor arguments (w_init=, b_init=)
        "init_step": "none",
        # no initialize step to give a network-wide initializer to
        "model_wide_initializer": False,
        # hk.Linear(output_size, ...) has no input-size argument
        "per_layer_input": False,
        # no eager layer and no input declaration: shapes come from init's sample
        "model_input": False,
        # jax arrays are immutable; params are values
        "mutable_in_place": False,
        # hk.data_structures.filter / partition take predicates, not regular expressions
        "name_selection": "none",
        # params are plain arrays: freezing is an optax mask or hk.data_structures.partition
        "trainable_flag": False,
        # Haiku shares a whole module (one instance called twice)
        "parameter_tie": False,
        # hk.Linear(n): transform.init takes the input size from the sample
        "deferred_input": True,
    }

    # -- identity (key, seed, framework_config: JaxAdapter) -------------------------
    def framework_version(self):
        return hk.__version__

    # -- initializers ------------------------------------------------------------
    def _initializer(self, init, pid, native):
        """The Haiku initializer ``(shape, dtype) -> array`` for an Init request."""
        kind = init.kind
        if init.user_defined:
            return _user_initializer(init, pid, native)
        if kind == "zeros":
            return hk.initializers.Constant(0.0)
        if kind == "constant":
            return hk.initializers.Constant(init.value)
        if kind == "normal":
            return hk.initializers.RandomNormal(stddev=init.value)
        if kind == "uniform":
            return hk.initializers.RandomUniform(-init.value, init.value)
        if kind == "xavier":  # MXNet Xavier(): uniform, fan avg, magnitude 3 = Glorot uniform
            return hk.initializers.VarianceScaling(1.0, "fan_avg", "uniform")
        if kind == "default":
            return None
        raise Unsupported(f"initializer/{kind}", "no Haiku initializer for this request")

    # -- lifecycle -------------------------------------------------------------
    def build(self, arch, input_shape=None, weight_init=None, bias_init=None):
        flat = list(leaves(arch))
        if any(isinstance(n, Dense) and n.in_units is not None for n in flat):
            raise Unsupported("build/in_units", "hk.Linear(output_size, with_bias, w_init, "
                              "b_init, name) has no input-size argument: it reads "
                              "inputs.shape[-1] when called inside init")
        if input_shape is not None:
            raise Unsupported("build/input_shape", "Haiku has no eager layers and no input "
                              "declaration: hk.transform gives pure functions and init(rng, x) "
                              "takes the shapes from a sample; jax.eval_shape of init gives "
                              "shapes without values (build_abstract)")
        made = {n: i for n, i in (("w", weight_init), ("b", bias_init)) if i is not None}
        cache = {}

        def inits(i, native):
            """The initializer for layer ``i``'s ``native`` role, made once per layer (a
            user-defined one logs the layer's id)."""
            if native not in made:
                return None
            if (i, native) not in cache:
                role = "weight" if native == "w" else "bias"
                cache[i, native] = self._initializer(made[native], f"{i}.{role}", native)
            return cache[i, native]

        return self._model(tuple(arch), inits)

    def _model(self, arch, inits, policy=None):
        names = _outside(lambda: [(m.module_name, kind) for m, kind in _make(arch, inits)[1]])
        image = any(isinstance(n, Conv2D) for n in leaves(arch))
        return Model(_transform(arch, inits, policy), tuple(names), image, arch, inits,
                     policy=policy)

    def initialize(self, model, init=None):
        if init is not None:
            raise Unsupported("initialize/model-wide", "Haiku has no initialize step; "
                              "initializers are constructor arguments (w_init=, b_init=); "
                              "hk.custom_creator swaps them inside init, which needs data")
        return model

    def materialize(self, state, x):
        """``init(key, x)`` in training mode; values that exist already only run the data
        through the network (Haiku has nothing to create)."""
        if isinstance(state, Model):
            params, hk_state = state.init(self._next_key(), self._x(state, x))
            return Bound(state, params, hk_state)
        return self.forward(state, x)[1]

    def forward(self, state, x):
        if isinstance(state, Model):  # no params: Haiku's own error from apply
            y, _ = state.fn.apply({}, {}, None, self._x(state, x), False)
            return np.asarray(y), state
        y, hk_state = state.model.apply(state.params, state.state, self._x(state, x))
        return np.asarray(y), Bound(state.model, state.params, hk_state)

    def _loss(self, state, x):
        """``params -> (sum(apply(params, ..., is_training=True)), new state)``."""
        def loss(params):
            y, hk_state = state.model.apply(params, state.state, x, True)
            return y.sum(), hk_state
        return loss

    def backward_sum(self, state, x):
        params = self._params(state)
        grads, _ = jax.grad(self._loss(state, self._x(state, x)), has_aux=True)(params)
        return {pid: _ref_value(grads[m][n], n) for pid, (_, m, n) in self._paths(state).items()}

    def reinitialize(self, state, init, target=None):
        paths = self._paths(self._bound(state))
        new = {}
        for pid, path, requested in reinit_targets(paths, target):
            _, module, native = path
            old = self._leaf(state, path)
            if requested:
                fn = self._initializer(init, pid, native) \
                    or self._own_init(state, pid, native, old.shape)
            else:  # routing: a bias (gamma, beta) keeps the layer's own initializer
                fn = self._own_init(state, pid, native, old.shape)
            new[path] = _draw(fn, tuple(old.shape), old.dtype, self._next_key())
        return self._replace(state, new)

    # -- structure -----------------------------------------------------------------
    def _bound(self, state):
        """A state that holds params; a transformed network alone has none."""
        if isinstance(state, Model):
            raise MissingParameter("no parameters: hk.transform gives functions only; "
                                   "params exist as init(rng, x) returns them")
        return state

    def _params(self, state):
        return self._bound(state).params

    def _modules(self, model):
        """Per logical layer, the Haiku module object (made in a throwaway transform)."""
        return _outside(lambda: [m for m, _ in _make(model.arch, model.inits)[1]])

    def _own_init(self, state, pid, native, shape):
        """The layer's own initializer for a parameter: the Haiku module's attribute
        (``w_init``, ``b_init``, ``scale_init``, ``offset_init``). A ``w_init`` left
        ``None`` is Haiku's documented default, which ``hk.Linear`` / ``hk.Conv2D`` make
        inside ``__call__`` from the input size: ``TruncatedNormal(stddev=1 /
        sqrt(fan_in))``, ``fan_in`` the product of the kernel's axes but the last
        (haiku/_src/basic.py:174-177, conv.py:203-207)."""
        if native not in OWN_INIT:
            raise Unsupported(f"reinitialize/{native}", "a Table's constant is Haiku state "
                              "(hk.get_state) made by init; it has no initializer to re-run")
        module = self._modules(state.model)[int(pid.split(".")[0])]
        fn = getattr(module, OWN_INIT[native])
        if fn is None:
            fn = hk.initializers.TruncatedNormal(stddev=1. / np.sqrt(np.prod(shape[:-1])))
        return fn

    def _paths(self, state):
        """``{pid: (collection, module name, leaf name)}`` of the leaves that exist; a
        shared layer resolves to one path at each use."""
        state = self._bound(state)
        out = {}
        for i, (module, kind) in enumerate(state.uses):
            for role, native in ROLES[kind].items():
                where = "state" if kind == "table" else "params"
                if native in getattr(state, where).get(module, {}):
                    out[f"{i}.{role}"] = (where, module, native)
        return out

    def _leaf(self, state, path):
        where, module, native = path
        return getattr(state, where)[module][native]

    def _replace(self, state, new):
        """A new state with the leaves at ``new``'s paths replaced
        (``hk.data_structures.merge`` of the old tree and the new leaves)."""
        trees = {"params": state.params, "state": state.state}
        for (where, module, native), value in new.items():
            trees[where] = hk.data_structures.merge(trees[where], {module: {native: value}})
        return Bound(state.model, trees["params"], trees["state"])

    # -- observation -----------------------------------------------------------
    def param_ids(self, state):
        if isinstance(state, Model):
            return []  # a transformed network holds no params
        return list(self._paths(state))

    def param_shape(self, state, pid):
        path = self._path(state, pid)
        return _ref_shape(self._leaf(state, path).shape, path[2])

    def read_param(self, state, pid):
        """``jnp.asarray`` of the leaf: an array's value; a ``jax.ShapeDtypeStruct``
        (an abstract build) has none, and JAX refuses to make it an array."""
        path = self._path(state, pid)
        return _ref_value(jnp.asarray(self._leaf(state, path)), path[2])

    def write_param(self, state, pid, value):
        path = self._path(state, pid)
        old = self._leaf(state, path)
        return self._replace(state, {path: jnp.asarray(_native_value(value, path[2], old.shape))})

    def inplace_add(self, state, pid, delta):
        raise Unsupported("inplace_add", "JAX arrays are immutable (x.at[...].add returns a new "
                          "array); Haiku params are values: a change is a new tree "
                          "(hk.data_structures.merge)")

    def same_parameter(self, state, pid_a, pid_b):
        return self._path(state, pid_a) == self._path(state, pid_b)

    def native_name(self, state, pid):
        _, module, native = self._path(state, pid)
        return f"{module}/{native}"

    def role_name(self, role):
        return {"weight": "w", "bias": "b", "gamma": "scale", "beta": "offset"}.get(role, role)

    def nested_lookup(self, state, path, role):
        model = state.model if isinstance(state, Bound) else state

        def find():
            node = _make(model.arch, model.inits)[0]
            for i in path:
                node = [n for n in node.layers if isinstance(n, hk.Module)][i]
            return node.module_name
        name = _outside(find)
        for index, (module, _) in enumerate(model.uses):
            if module == name:
                return f"{index}.{role}"
        raise MissingParameter(f"no layer at {path}")

    def select_params(self, state, pattern):
        raise Unsupported("select_params/regex", "Haiku has no regex selection: "
                          "hk.data_structures.filter / partition take a predicate "
                          "(module_name, name, value) -> bool")

    # -- persistence -----------------------------------------------------------
    def save(self, state, directory):
        """Haiku has no file format of its own (params and state are nested dicts of
        arrays): ``np.savez`` of ``hk.data_structures.traverse`` of both, keyed
        ``params/<module>/<name>`` and ``state/<module>/<name>``."""
        state = self._bound(state)
        path = os.path.join(directory, "params.npz")
        flat = {f"{where}/{m}/{n}": np.asarray(v) for where in ("params", "state")
                for m, n, v in hk.data_structures.traverse(getattr(state, where))}
        with open(path, "wb") as f:
            np.savez(f, **flat)
        return path

    def load(self, state, path):
        """``np.load(allow_pickle=False)`` (never unpickles), the nested dicts rebuilt;
        Haiku's ``apply`` takes them without an ``init``."""
        trees = {"params": {}, "state": {}}
        with np.load(path, allow_pickle=False) as data:
            for key in data.files:
                where, rest = key.split("/", 1)
                module, native = rest.rsplit("/", 1)
                trees[where].setdefault(module, {})[native] = jnp.asarray(data[key])
        model = state if isinstance(state, Model) else state.model
        return Bound(model, trees["params"], trees["state"])

    # -- around lazy initialization: the optional GROUPS -------------------------
    def make_optimizer(self, state, kind, lr):
        """optax: ``tx.init(params)`` (Haiku's training story); before ``init`` there
        are no params to give it."""
        model = state if isinstance(state, Model) else state.model
        tx = transformation(kind, lr, model.frozen)  # freeze's optax mask, then the optimizer
        return Optimizer(tx, tx.init(self._params(state)))

    def train_step(self, state, opt, x):
        """``jax.grad`` of ``sum(apply(..., is_training=True))`` w.r.t. the params (the
        new state as aux), ``tx.update`` and ``optax.apply_updates``."""
        params = self._params(state)
        grads, hk_state = jax.grad(self._loss(state, self._x(state, x)), has_aux=True)(params)
        params, opt = apply_gradients(opt, grads, params)
        return Bound(state.model, params, hk_state), opt

    def freeze(self, state, target, way="layer"):
        """``layer``: Haiku params carry no trainable flag; a layer is frozen by the
        optimizer: ``optax.multi_transform({"trainable": optax.identity(), "frozen":
        optax.set_to_zero()}, labels)``, ``labels`` a callable that labels the layer's
        module ``"frozen"`` (``hk.data_structures.map``), made now (before data too);
        ``make_optimizer`` chains it in front of the optimizer. ``parameter``:
        Unsupported (no parameter has a flag)."""
        if way == "parameter":
            raise Unsupported("freeze/parameter", "Haiku params are plain arrays with no "
                              "trainable flag: freezing is a property of the optimizer "
                              "(optax.multi_transform / optax.masked) or of the gradient "
                              "(hk.data_structures.partition, jax.lax.stop_gradient)")
        if way != "layer":
            raise Unsupported(f"freeze/{way}", "Haiku freezes a layer by an optax mask")
        model = state if isinstance(state, Model) else state.model
        name = model.uses[target][0]

        def labels(params):
            return hk.data_structures.map(
                lambda module, _n, _v: "frozen" if module == name else "trainable", params)

        model = replace(model, frozen=freeze_mask(labels, model.frozen))
        return model if isinstance(state, Model) else Bound(model, state.params, state.state)

    def copy(self, state, how):
        """``copy.deepcopy`` or a ``pickle`` round trip of the state: the transformed
        pair (and its params and state). ``hk.transform_with_state`` returns local
        functions (``init_fn``, ``apply_fn``), which pickle refuses."""
        return copy_state(state, how)

    def output_shape(self, state, input_shape):
        """``jax.eval_shape`` of ``init`` then ``apply`` (a transformed network: nothing
        is created, the state stays as it is) or of ``apply`` (params exist)."""
        spec = self._spec(state, input_shape)
        if isinstance(state, Model):
            def run(key, x):
                params, hk_state = state.fn.init(key, x, True)
                return state.fn.apply(params, hk_state, None, x, False)[0]
            out = jax.eval_shape(run, self.key, spec)
        else:
            out = jax.eval_shape(lambda p, s, x: state.model.fn.apply(p, s, None, x, False)[0],
                                 state.params, state.state, spec)
        return ref_output_shape(out.shape)

    def count_params(self, state):
        """``hk.data_structures.tree_size`` of the params and the state (BatchNorm's
        moving averages, a Table's constant); a transformed network has none to count."""
        state = self._bound(state)
        return int(hk.data_structures.tree_size(state.params)
                   + hk.data_structures.tree_size(state.state))

    def build_eager(self, arch):
        raise Unsupported("build_eager", "Haiku has no eager layer: every hk.Module exists "
                          "only inside a transformed function and its parameters only as "
                          "init(rng, x) returns them; hk.Linear has no input-size argument "
                          "(hk.Linear(output_size, with_bias, w_init, b_init, name))")

    def compile(self, state):
        """``jax.jit`` of the transformed ``init`` / ``apply`` (``is_training`` static);
        ``materialize`` / ``forward`` call them. Compilation happens at the first call."""
        model = state if isinstance(state, Model) else state.model
        model = replace(model, jitted=(jax.jit(model.fn.init, static_argnums=2),
                                       jax.jit(model.fn.apply, static_argnums=4)))
        return model if isinstance(state, Model) else Bound(model, state.params, state.state)

    def cast(self, state, dtype):
        """A ``jmp.Policy`` with params, compute and output in ``dtype``: pushed with
        ``hk.mixed_precision.push_policy`` on the network's Sequential inside a new
        transform (params made later are ``dtype``), and ``policy.cast_to_param`` of
        the params that exist. With ``jax_enable_x64`` off JAX itself truncates
        float64 to float32 (with a warning)."""
        dt = jnp.dtype(dtype)
        policy = jmp.Policy(param_dtype=dt, compute_dtype=dt, output_dtype=dt)
        old = state if isinstance(state, Model) else state.model
        model = self._model(old.arch, old.inits, policy)
        model = replace(model, frozen=old.frozen, sample=old.sample, init_key=old.init_key)
        if old.jitted is not None:  # the jitted functions belong to the old transform
            model = self.compile(model)
        if isinstance(state, Model):
            return model
        return Bound(model, policy.cast_to_param(state.params), state.state)

    # -- models built without memory (group abstract-build) -------------------------
    def build_abstract(self, arch, input_shape):
        """``jax.eval_shape`` of ``init`` on an input of ``input_shape``: every param
        and state leaf as a ``jax.ShapeDtypeStruct`` (no memory). ``input_shape=None``:
        the transformed network itself, which holds nothing before ``init``."""
        if input_shape is None:
            return self.build(arch)
        model = self._traced(arch, input_shape)
        params, hk_state = jax.eval_shape(lambda key, x: model.fn.init(key, x, True),
                                          model.init_key, model.sample)
        return Bound(model, params, hk_state)

    def materialize_abstract(self, state):
        """``init`` with the key and on (zeros of) the sample the abstract build was
        traced with. A network built without an input has no sample: it stays a
        transformed network until ``init`` on the first data."""
        if isinstance(state, Model):
            return state
        sample = state.model.sample
        params, hk_state = state.model.init(state.model.init_key,
                                            jnp.zeros(sample.shape, sample.dtype))
        return Bound(state.model, params, hk_state)

    def memory_bytes(self, state):
        """Bytes of the params' and state's leaves that are arrays (a
        ``ShapeDtypeStruct`` holds none)."""
        if isinstance(state, Model):
            return 0
        return array_bytes((state.params, state.state))

    def tie(self, state, src, dst):
        raise Unsupported("tie", "Haiku shares a whole module (one instance called twice); a "
                          "parameter belongs to the module that calls hk.get_parameter, "
                          "named by its module path; hk.custom_getter only changes the value "
                          "a module reads, its own parameter is still created")

    def shard_init(self, arch, input_shape, seed):
        """``jax.jit(init, out_shardings=...)`` on 2 host CPU devices, in a child process
        (``_shard_work`` in ``python -m adapters.shard_child``): JAX fixes its device
        count when its backend starts."""
        return run_device_child("adapters.haiku_modules:_shard_work", {
            "arch": tuple(arch), "input_shape": tuple(input_shape), "seed": int(seed),
            "adapter": f"{type(self).__module__}:{type(self).__qualname__}"})

    # -- reports (optional, Adapter.source) ---------------------------------------
    def source(self, arch, input_shape):
        """``build``'s Haiku modules as code inside a transformed ``forward(x,
        is_training)``: ``hk.Linear``, ``jax.nn.relu``, ``hk.Conv2D`` (``padding=
        "VALID"``), ``hk.BatchNorm`` given ``is_training``, ``hk.Flatten``, images
        channels-last; a tied layer is one module called twice; ``init`` (training
        mode) then ``apply`` (inference). ``None`` where a layer declares its input
        size (``build`` refuses it)."""
        if any(isinstance(n, Dense) and n.in_units is not None for n in leaves(arch)):
            return None

        def layer(node):
            if isinstance(node, Flatten):
                return "hk.Flatten()", [], ""
            if isinstance(node, BatchNorm):
                return (f"lambda h: hk.BatchNorm(True, True, {DECAY})(h, is_training)",
                        [], "")
            if isinstance(node, Conv2D):
                stride = f", stride={node.stride}" if node.stride != 1 else ""
                return (f"hk.Conv2D({node.channels}, {node.kernel}{stride}, "
                        'padding="VALID")', [], "")
            return f"hk.Linear({node.units})", ["jax.nn.relu"] * node.relu, ""

        rendered = render_layers(arch, layer)
        if rendered is None:
            return None
        setup, items = rendered
        shape = nhwc(tuple(input_shape))
        body = [*setup, listing("net = hk.Sequential([", items, "])"), "return net(x)"]
        return "\n".join(["import haiku as hk", "import jax", "", "",
                          "def forward(x, is_training):",
                          *("    " + line for text in body for line in text.split("\n")),
                          "", "",
                          "net = hk.transform_with_state(forward)",
                          f"x = jax.random.uniform(jax.random.key(1), {shape})",
                          "params, state = net.init(jax.random.key(0), x, True)",
                          "y, state = net.apply(params, state, None, x, False)"])

    # -- errors and documentation claims ------------------------------------------
    def classify_error(self, exc):
        if isinstance(exc, MissingParameter):
            return "missing"
        text = str(exc)
        if isinstance(exc, ValueError) and "with retrieved shape" in text:
            return "shape-mismatch"   # hk.get_parameter: a stored shape differs
        if isinstance(exc, ValueError) and ("Unable to retrieve parameter" in text
                                            or text.startswith("No value for")):
            return "not-initialized"  # apply without params (or state) init made
        return jax_error_kind(exc)

    def doc_probe(self, claim):
        return dispatch_claim(self, claim, "Haiku")


def _draw(fn, shape, dtype, key):
    """A Haiku initializer's values: ``fn(shape, dtype)`` inside a transform given
    ``key`` (Haiku's initializers draw with ``hk.next_rng_key()``)."""
    return hk.transform(lambda: fn(shape, dtype)).apply({}, key)


def _user_initializer(init, pid, native):
    """A user-defined Haiku initializer: ``(shape, dtype) -> array`` drawing with
    ``hk.next_rng_key()``. Under ``jax.eval_shape`` (an abstract build) the key is a
    tracer: such a call is logged with ``drew=False``."""
    def user_init(shape, dtype=jnp.float32):
        return user_draw(init, pid, _ref_shape(shape, native), hk.next_rng_key(), shape, dtype)
    return user_init


# -- the child process of shard_init -------------------------------------------------
def _shard_work(request: dict, load) -> dict:
    """Whole: ``init(key, x)`` on one device; sharded: ``jax.jit(init, out_shardings=
    tree)`` over ``Mesh(2 devices, ("model",))``, every 2-D ``w`` (``(in, out)``)
    ``PartitionSpec(None, "model")`` (its output units), everything else replicated.
    Per Dense weight: the whole value and each device's shard, in (out, in)."""
    from adapters.shard_process import dense_weight_ids
    devices = require_devices(2)
    fw = load()
    arch, shape, seed = request["arch"], request["input_shape"], request["seed"]
    model = fw.build(arch)
    x = np.zeros((1, *shape), np.float32)
    key = jax.random.key(seed)
    whole, _ = model.fn.init(key, x, True)
    shardings = column_shardings(jax.eval_shape(lambda k, x: model.fn.init(k, x, True), key, x),
                                 devices)
    sharded, _ = jax.jit(model.fn.init, static_argnums=2, out_shardings=shardings)(key, x, True)
    out = {"whole": {}, "shards": {}}
    for pid in dense_weight_ids(arch):
        module = model.uses[int(pid.split(".")[0])][0]
        out["whole"][pid] = np.asarray(whole[module]["w"]).T.copy()
        out["shards"][pid] = ref_shards(sharded[module]["w"])
    return out


ADAPTER = HaikuAdapter
