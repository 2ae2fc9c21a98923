"""Flax adapter (JAX): ``flax.linen`` modules and their variables; ``flax.nnx`` for a
declared input shape.

State is explicit, as Flax has it. ``build`` returns a linen module definition
(a frozen :class:`Model`: the ``nn.Sequential`` plus where each logical layer sits
in it); no parameter exists until ``materialize`` calls ``module.init(key, x)``,
which returns the variables. The state is then the immutable pair
:class:`Bound` ``(model, variables)``. ``forward`` is ``module.apply(variables, x,
mutable=True)`` and hands back the variables Flax returns; ``write_param`` and
``reinitialize`` return a new variables tree with leaves replaced (Flax's
"model surgery": ``traverse_util.flatten_dict`` / ``unflatten_dict``), drawn by
``flax.linen.initializers`` functions. Flax has no initialize step (linen's
initializers are constructor arguments, ``kernel_init=`` / ``bias_init=``), no
re-initialization API and no regex selection.

A declared input shape is expressed the way current Flax expresses it: eager
``flax.nnx`` layers, ``nnx.Linear(in_features, out_features, rngs=...)``, which
draw their parameters at construction (linen's ``nn.Dense`` has no input-size
argument; its only way to fix shapes is a sample passed to ``init``). Such a
model is an :class:`Eager` holding the nnx module, a stateful framework object:
every operation handles both kinds.

Around initialization (the optional groups), all functional as well: an optimizer is optax's
:class:`Optimizer` ``(tx, tx.init(params))`` and ``train_step`` returns new
variables and a new optimizer state; ``compile`` returns the definition with
``jax.jit`` of its ``init`` / ``apply`` (functions JAX returns, which
``materialize`` / ``forward`` then call); ``cast`` clones the layers with
``param_dtype``; parameters carry no trainable flag: ``freeze`` of a layer is an
optax mask (``optax.multi_transform`` with ``optax.set_to_zero()``) made before
or after data and chained in front of the optimizer. A ``Dense(unused=True)`` is a submodule of a :class:`Sequential`
that its ``__call__`` skips: linen creates no variables for it.

The adapter owns a ``jax.random`` key (``seed``) and splits it per draw. Kernels
are ``(in, out)`` / ``(kh, kw, in, out)`` and images NHWC: shapes and values cross
the interface in the reference layout; ``forward`` takes NCHW. The key, the layouts
and the other JAX pieces the Haiku adapter shares are ``adapters/jax_common.py``'s.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace

import jax
import jax.numpy as jnp
import numpy as np
import flax
import flax.linen as nn
from flax import errors as flax_errors
from flax import nnx, serialization, traverse_util

from adapters.interface import (BatchNorm, Conv2D, Dense, Flatten, Group, MissingParameter,
                                Table, Unsupported, dispatch_claim, leaves, listing,
                                render_layers)
from adapters.jax_common import (HoldsModel, JaxAdapter, Optimizer, apply_gradients,
                                 array_bytes, copy_state, freeze_mask, jax_error_kind,
                                 native_value, nhwc, ref_output_shape, ref_shape, ref_value,
                                 reinit_targets, transformation, user_draw)

#: logical role -> Flax's parameter name, per layer kind
ROLES = {"dense": {"weight": "kernel", "bias": "bias"},
         "conv": {"weight": "kernel", "bias": "bias"},
         "bn": {"gamma": "scale", "beta": "bias"},
         "table": {"table": "table"}}
#: the linen collection holding a role's variable: a Table's constant is no param
COLLECTION = {"table": "consts"}
#: the attribute of a Flax layer holding a role's own initializer
OWN_INIT = {"kernel": "kernel_init", "bias": "bias_init", "scale": "scale_init"}


def _flatten_images(x):
    return x.reshape((x.shape[0], -1))


class Sequential(nn.Sequential):
    """``nn.Sequential`` whose layers at the indices ``unused`` are registered
    submodules that ``__call__`` never calls (``Dense(unused=True)``): the way a linen
    user holds a layer the forward does not use. Linen creates a submodule's
    variables only when it is called, so such a layer gets none."""
    unused: tuple = ()

    def __call__(self, x):
        for i, layer in enumerate(self.layers):
            if i not in self.unused:
                x = layer(x)
        return x


class TableModule(nn.Module):
    """Arch ``Table``: a constant ``arange(units)`` computed when the variables are
    made, held the linen way for state that is not trained: a variable of its own
    collection (``consts``)."""
    units: int

    @nn.compact
    def __call__(self, x):
        table = self.variable("consts", "table",
                              lambda: jnp.arange(self.units, dtype=jnp.float32))
        return x + table.value


class EagerSequential(nnx.Sequential):
    """``nnx.Sequential`` holding layers (indices ``unused``) its call never runs."""

    def __init__(self, *layers, unused=()):
        super().__init__(*layers)
        self.unused = tuple(unused)

    def __call__(self, x):
        for i, layer in enumerate(self.layers):
            if i not in self.unused:
                x = layer(x)
        return x


@dataclass(frozen=True)
class Model:
    """A linen module definition: ``uses`` lists, per logical layer (a shared layer
    at each use), its index path into the ``nn.Sequential`` tree and its kind.
    ``jitted``: after ``compile``, ``(jax.jit(module.init), jax.jit(module.apply))``,
    the functions ``materialize`` / ``forward`` then call."""
    module: nn.Module
    uses: tuple
    image: bool
    jitted: tuple | None = None
    #: after ``freeze``: the optax transformation masking the frozen layers' subtrees
    #: (``optax.multi_transform``), which ``make_optimizer`` chains before the optimizer
    frozen: object = None
    #: after ``build_abstract``: the input ``jax.ShapeDtypeStruct`` it was traced with,
    #: which ``materialize_abstract`` gives ``init`` (the dummy input a Flax user keeps)
    sample: object = None
    #: the key ``init`` was traced with: ``materialize_abstract`` draws with it, as a
    #: Flax user runs ``init(key, x)`` after ``jax.eval_shape(init, key, x)``
    init_key: object = None


@dataclass(frozen=True)
class Bound(HoldsModel):
    """A linen definition with the variables ``init`` / ``apply`` / a restore returned."""
    model: Model
    variables: dict


@dataclass(frozen=True)
class Eager:
    """An eager ``flax.nnx`` model (declared input shape): the framework's own
    stateful object, mutated by writes like any stateful framework's network."""
    module: nnx.Module
    uses: tuple
    #: per logical layer, the initializers its constructor was given ({"kernel": fn,
    #: "bias": fn}): an nnx layer uses them at construction and does not keep them
    own: tuple = ()
    image: bool = False
    #: after ``compile``: ``nnx.jit`` of the module's call, which ``forward`` uses
    jitted: object = None


class FlaxAdapter(JaxAdapter):
    name = "flax"
    #: linen has no eager layer and no declared input size: those are flax.nnx's
    apis = {"build_eager": "flax.nnx", "build(input_shape)": "flax.nnx"}
    capabilities = {
        # linen creates variables only in module.init(key, sample)
        "params_before_data": "none",
        # no initialize call: initializers are constructor arguments
        "init_step": "none",
        # kernel_init= is per layer; there is no network-wide initializer argument
        "model_wide_initializer": False,
        # linen Dense has no input size; nnx.Linear requires it on every layer
        "per_layer_input": False,
        # eager nnx layers with in_features
        "model_input": True,
        # jax arrays are immutable; linen variables are values
        "mutable_in_place": False,
        # no regex API (traverse_util.ModelParamTraversal is deprecated user filtering)
        "name_selection": "none",
        # parameters carry no trainable flag: freezing a layer is an optax mask
        # (optax.multi_transform with set_to_zero), a property of the optimizer
        "trainable_flag": False,
        # linen shares a whole module (one instance used twice); a param belongs to
        # the scope of the module that declares it
        "parameter_tie": False,
        # nn.Dense(features): init(key, x) takes the input size from the sample
        "deferred_input": True,
    }

    # -- identity (key, seed, framework_config: JaxAdapter) -------------------------
    def framework_version(self):
        return flax.__version__

    # -- initializers ------------------------------------------------------------
    def _initializer(self, init, pid):
        """The Flax initializer ``(key, shape, dtype) -> array`` for an Init request."""
        kind = init.kind
        if init.user_defined:
            return _user_initializer(init, pid)
        if kind == "zeros":
            return nn.initializers.zeros_init()
        if kind == "constant":
            return nn.initializers.constant(init.value)
        if kind == "normal":
            return nn.initializers.normal(stddev=init.value)
        if kind == "xavier":  # MXNet Xavier(): uniform, fan avg, magnitude 3 = Glorot uniform
            return nn.initializers.xavier_uniform()
        if kind == "uniform":  # U[-v, v]: Flax's uniform(scale) is U[0, scale)
            value = init.value

            def symmetric_uniform(key, shape, dtype=jnp.float32):
                return jax.random.uniform(key, shape, dtype, -value, value)
            return symmetric_uniform
        if kind == "default":
            return None
        raise Unsupported(f"initializer/{kind}", "no Flax initializer for this request")

    # -- lifecycle -------------------------------------------------------------
    def build(self, arch, input_shape=None, weight_init=None, bias_init=None):
        flat = list(leaves(arch))
        if any(isinstance(n, Dense) and n.in_units is not None for n in flat):
            raise Unsupported("build/in_units", "linen nn.Dense has no input-size argument; "
                              "nnx.Linear needs in_features on every layer (a lazy layer next "
                              "to it only via the nnx.bridge.ToNNX migration shim)")
        image = any(isinstance(n, Conv2D) for n in flat)
        if input_shape is not None:
            if not all(isinstance(n, Dense) for n in flat):
                raise Unsupported("build/input_shape", "declared input shapes are mapped to "
                                  "eager nnx.Linear layers, for Dense-only networks")
            return self._build_nnx(arch, int(np.prod(input_shape)), weight_init, bias_init)
        return self._build_linen(arch, image, weight_init, bias_init)

    def _inits(self, weight_init, bias_init, pid_w, pid_b, weight_attr):
        kw = {}
        for init, pid, attr in ((weight_init, pid_w, weight_attr), (bias_init, pid_b, "bias_init")):
            fn = self._initializer(init, pid) if init is not None else None
            if fn is not None:
                kw[attr] = fn
        return kw

    def _build_linen(self, arch, image, weight_init, bias_init):
        uses, shared, counter = [], {}, [0]

        def make(nodes, prefix):
            layers, skip = [], []
            for node in nodes:
                at = prefix + (len(layers),)
                if isinstance(node, Group):
                    layers.append(make(node.layers, at))
                elif isinstance(node, Flatten):
                    layers.append(_flatten_images)
                elif isinstance(node, BatchNorm):
                    layers.append(nn.BatchNorm(use_running_average=True))
                    uses.append((at, "bn"))
                    counter[0] += 1
                elif isinstance(node, Table):
                    layers.append(TableModule(node.units))
                    uses.append((at, "table"))
                    counter[0] += 1
                elif isinstance(node, Conv2D):
                    i = counter[0]
                    layers.append(nn.Conv(node.channels, (node.kernel, node.kernel),
                                          strides=node.stride, padding="VALID", **self._inits(
                                              weight_init, bias_init, f"{i}.weight",
                                              f"{i}.bias", "kernel_init")))
                    uses.append((at, "conv"))
                    counter[0] += 1
                else:
                    i = counter[0]
                    if node.share and node.share in shared:
                        layer = shared[node.share]  # one instance used again: Flax's sharing
                    else:
                        layer = nn.Dense(node.units, **self._inits(
                            weight_init, bias_init, f"{i}.weight", f"{i}.bias", "kernel_init"))
                        if node.share:
                            shared[node.share] = layer
                    if node.unused:  # registered, never called (nor its activation)
                        skip.append(len(layers))
                    layers.append(layer)
                    uses.append((at, "dense"))
                    counter[0] += 1
                    if node.relu and not node.unused:
                        layers.append(nn.relu)
            return Sequential(layers, unused=tuple(skip)) if skip else nn.Sequential(layers)

        return Model(make(arch, ()), tuple(uses), image)

    def _build_nnx(self, arch, width, weight_init=None, bias_init=None, per_layer=False):
        """Eager ``nnx.Linear`` layers. ``width``: the model's declared input width,
        each layer's ``in_features`` then the previous layer's ``units`` (an unused
        layer takes the width it would see as the next layer). ``per_layer``
        (``build_eager``): each layer gets only the ``in_units`` it declares, ``None``
        (an unknown size, as Python spells it) otherwise."""
        rngs = nnx.Rngs(params=self._next_key())
        uses, own, shared, counter = [], [], {}, [0]

        def make(nodes, prefix):
            nonlocal width
            layers, skip = [], []
            for node in nodes:
                at = prefix + (len(layers),)
                if isinstance(node, Group):
                    layers.append(make(node.layers, at))
                    continue
                i = counter[0]
                if node.share and node.share in shared:
                    layer, inits = shared[node.share]
                else:
                    inits = {"kernel_init": nnx.nn.linear.default_kernel_init,
                             "bias_init": nnx.nn.linear.default_bias_init}
                    inits.update(self._inits(weight_init, bias_init, f"{i}.weight",
                                             f"{i}.bias", "kernel_init"))
                    in_features = node.in_units if per_layer else width
                    layer = nnx.Linear(in_features, node.units, rngs=rngs, **inits)
                    if node.share:
                        shared[node.share] = (layer, inits)
                if node.unused:
                    skip.append(len(layers))
                layers.append(layer)
                uses.append((at, "dense"))
                own.append({"kernel": inits["kernel_init"], "bias": inits["bias_init"]})
                counter[0] += 1
                if not node.unused:
                    width = node.units
                if node.relu and not node.unused:
                    layers.append(nnx.relu)
            return EagerSequential(*layers, unused=skip) if skip else nnx.Sequential(*layers)

        return Eager(make(arch, ()), tuple(uses), tuple(own))

    def initialize(self, model, init=None):
        if init is not None:
            raise Unsupported("initialize/model-wide", "Flax has no initialize step; "
                              "initializers are constructor arguments (kernel_init=)")
        return model

    def materialize(self, state, x):
        if isinstance(state, Model):
            init = state.jitted[0] if state.jitted else state.module.init
            return Bound(state, init(self._next_key(), self._x(state, x)))
        # values exist already (an eager nnx model, or linen variables): Flax has
        # nothing to create; the data only runs through the network
        return self.forward(state, x)[1]

    def forward(self, state, x):
        if isinstance(state, Eager):
            if state.jitted is not None:
                return np.asarray(state.jitted(state.module, self._x(state, x))), state
            return np.asarray(state.module(self._x(state, x))), state
        if isinstance(state, Model):  # a definition without variables: Flax's own error
            y = state.module.apply({}, self._x(state, x))
            return np.asarray(y), state
        apply = state.model.jitted[1] if state.model.jitted else state.model.module.apply
        y, variables = apply(state.variables, self._x(state, x), mutable=True)
        return np.asarray(y), Bound(state.model, variables)

    def backward_sum(self, state, x):
        x = self._x(state, x)
        if isinstance(state, Eager):
            grads = nnx.grad(lambda m: m(x).sum())(state.module)
            flat = {tuple(p): v.get_value() for p, v in grads.flat_state()}
        else:
            module, variables = self._bound(state)
            g = jax.grad(lambda p: module.apply({**variables, "params": p}, x).sum())(
                variables["params"])
            flat = traverse_util.flatten_dict(g)
        return {pid: ref_value(flat[path]) for pid, path in self._paths(state).items()}

    def reinitialize(self, state, init, target=None):
        paths = self._paths(state)   # a definition without variables raises Flax's error
        new = {}
        for pid, path, requested in reinit_targets(paths, target):
            if requested:
                fn = self._initializer(init, pid) or self._own_init(state, pid, path[-1])
            else:  # routing: a bias (gamma, beta) keeps the layer's own initializer
                fn = self._own_init(state, pid, path[-1])
            old = self._leaf(state, path)
            new[path] = fn(self._next_key(), tuple(old.shape), old.dtype)
        return self._replace(state, new)

    # -- structure -----------------------------------------------------------------
    def _bound(self, state):
        """``(module definition, variables)``; a definition alone raises Flax's own
        error for variables of an unbound module."""
        if isinstance(state, Model):
            state.module.variables  # noqa: B018 - raises ValueError: unbound module
        return state.model.module, state.variables

    def _layers(self, state):
        """Per logical layer, the Flax module object at that use (bound to the
        variables for linen, so that Flax resolves its scope path)."""
        if isinstance(state, Eager):
            root = state.module
        else:
            module, variables = self._bound(state)
            root = module.bind(variables)
        out = []
        for at, kind in state.uses:
            node = root
            for i in at:
                node = node.layers[i]
            out.append((node, kind))
        return out

    def _own_init(self, state, pid, native):
        """The layer's own initializer for a parameter: the linen layer's attribute
        (``kernel_init``, ``bias_init``, ``scale_init``), or what the nnx layer's
        constructor was given."""
        index = int(pid.split(".")[0])
        if isinstance(state, Eager):
            return state.own[index][native]
        return getattr(self._layers(state)[index][0], OWN_INIT[native])

    def _paths(self, state):
        """``{pid: path of its leaf}``: linen's scope path of the bound submodule
        (``('layers_2', 'kernel')``), nnx's graph path (``('layers', 2, 'kernel')``).
        A shared layer resolves to one path at each use. Linen's are kept on the
        (immutable) ``Bound``: binding the definition is Flax's costliest step here."""
        if isinstance(state, Bound) and "_paths" in state.__dict__:
            return state.__dict__["_paths"]
        out = self._find_paths(state)
        if isinstance(state, Bound):
            object.__setattr__(state, "_paths", out)
        return out

    def _find_paths(self, state):
        layers = self._layers(state)  # a definition alone raises Flax's own error
        if isinstance(state, Eager):
            where = {id(node): tuple(p) for p, node in nnx.iter_graph(state.module)
                     if isinstance(node, nnx.Module)}
            prefix = [where[id(node)] for node, _ in layers]
            present = {tuple(p) for p, _ in nnx.state(state.module, nnx.Param).flat_state()}
        else:
            prefix = [tuple(node.path) for node, _ in layers]
            present = {path for c in ("params", *COLLECTION.values())
                       for path in traverse_util.flatten_dict(state.variables.get(c, {}))}
        out = {}
        for i, ((_, kind), pre) in enumerate(zip(layers, prefix)):
            for role, native in ROLES[kind].items():
                if pre + (native,) in present:
                    out[f"{i}.{role}"] = pre + (native,)
        return out

    def _leaf(self, state, path):
        if isinstance(state, Eager):
            return self._var(state, path).get_value()
        collection = COLLECTION.get(path[-1], "params")
        return traverse_util.flatten_dict(state.variables[collection])[path]

    def _var(self, state, path):
        """The nnx Variable at a graph path."""
        node = state.module
        for p in path:
            node = node[p] if isinstance(p, int) else getattr(node, p)
        return node

    def _replace(self, state, new):
        """A new state with the leaves at ``new``'s paths replaced."""
        if isinstance(state, Eager):
            for path, value in new.items():
                self._var(state, path).set_value(jnp.asarray(value))
            return state
        flat = traverse_util.flatten_dict(state.variables["params"])
        flat.update(new)
        return Bound(state.model, {**state.variables,
                                   "params": traverse_util.unflatten_dict(flat)})

    # -- observation -----------------------------------------------------------
    def param_ids(self, state):
        if isinstance(state, Model):
            return []  # a linen definition holds no variables
        return list(self._paths(state))

    def param_shape(self, state, pid):
        return ref_shape(self._leaf(state, self._path(state, pid)).shape)

    def read_param(self, state, pid):
        """``jnp.asarray`` of the leaf: an array's value; a ``jax.ShapeDtypeStruct``
        (an abstract build) has none, and JAX refuses to make it an array."""
        return ref_value(jnp.asarray(self._leaf(state, self._path(state, pid))))

    def write_param(self, state, pid, value):
        return self._replace(state, {self._path(state, pid): jnp.asarray(native_value(value))})

    def inplace_add(self, state, pid, delta):
        raise Unsupported("inplace_add", "JAX arrays are immutable (x.at[...].add returns a new "
                          "array); linen variables are values: a change is a new tree "
                          "(write_param)")

    def same_parameter(self, state, pid_a, pid_b):
        if isinstance(state, Eager):
            return self._var(state, self._path(state, pid_a)) is \
                self._var(state, self._path(state, pid_b))
        return self._path(state, pid_a) == self._path(state, pid_b)

    def native_name(self, state, pid):
        return "/".join(str(p) for p in self._path(state, pid))

    def role_name(self, role):
        return {"weight": "kernel", "gamma": "scale"}.get(role, role)

    def nested_lookup(self, state, path, role):
        if isinstance(state, Eager):
            root, kinds = state.module, (nnx.Module,)
        else:
            module, variables = self._bound(state)
            root, kinds = module.bind(variables), (nn.Module,)
        node = root
        for i in path:
            node = [n for n in node.layers if isinstance(n, kinds)][i]
        for index, (layer, _) in enumerate(self._layers(state)):
            same = layer is node if isinstance(state, Eager) else layer.path == node.path
            if same:
                return f"{index}.{role}"
        raise MissingParameter(f"no layer at {path}")

    def select_params(self, state, pattern):
        raise Unsupported("select_params/regex", "Flax has no regex selection: "
                          "traverse_util.ModelParamTraversal (deprecated) and nnx filters "
                          "take user predicates")

    # -- persistence -----------------------------------------------------------
    def save(self, state, directory):
        path = os.path.join(directory, "variables.msgpack")
        if isinstance(state, Eager):
            data = serialization.to_bytes(nnx.state(state.module, nnx.Param).to_pure_dict())
        else:
            data = serialization.to_bytes(self._bound(state)[1])
        with open(path, "wb") as f:
            f.write(data)
        return path

    def load(self, state, path):
        with open(path, "rb") as f:
            restored = serialization.msgpack_restore(f.read())
        if isinstance(state, Eager):
            params = nnx.state(state.module, nnx.Param)
            nnx.replace_by_pure_dict(params, restored)
            nnx.update(state.module, params)
            return state
        model = state if isinstance(state, Model) else state.model
        return Bound(model, restored)

    # -- around lazy initialization: the optional GROUPS -------------------------
    def make_optimizer(self, state, kind, lr):
        """optax: ``tx.init(params)``. The transformation needs no parameters, its
        state does: before ``materialize`` a linen definition has no params, and
        asking for them (``module.variables``) is Flax's own error (unbound module).
        An eager nnx model: ``nnx.Optimizer(model, tx, wrt=nnx.Param)``."""
        if isinstance(state, Eager):
            return nnx.Optimizer(state.module, transformation(kind, lr), wrt=nnx.Param)
        model = state if isinstance(state, Model) else state.model
        tx = transformation(kind, lr, model.frozen)  # freeze's optax mask, then the optimizer
        params = self._bound(state)[1]["params"]
        return Optimizer(tx, tx.init(params))

    def train_step(self, state, opt, x):
        """``jax.grad`` of ``sum(apply)`` w.r.t. the params, ``tx.update`` and
        ``optax.apply_updates``: new variables and a new optimizer state. A definition
        without variables raises Flax's own error (linen never initializes in apply).
        nnx: ``nnx.grad`` then ``optimizer.update(model, grads)`` (in place)."""
        x = self._x(state, x)
        if isinstance(state, Eager):
            grads = nnx.grad(lambda m: m(x).sum())(state.module)
            opt.update(state.module, grads)
            return state, opt
        module, variables = self._bound(state)
        grads = jax.grad(lambda p: module.apply({**variables, "params": p}, x).sum())(
            variables["params"])
        params, opt = apply_gradients(opt, grads, variables["params"])
        return Bound(state.model, {**variables, "params": params}), opt

    def freeze(self, state, target, way="layer"):
        """``layer``: Flax's layer freeze is the optimizer's -- linen variables are
        plain arrays with no trainable flag -- so the layer's subtree is labelled
        ``"frozen"`` in ``optax.multi_transform({"trainable": optax.identity(),
        "frozen": optax.set_to_zero()}, labels)``, made now (before data: ``labels``
        is a callable of the params, resolving the layer's scope path when optax calls
        it); the definition carries that transformation, the user's own object, and
        ``make_optimizer`` chains it in front of the optimizer. ``parameter``:
        Unsupported (no parameter has a flag)."""
        if way == "parameter":
            raise Unsupported("freeze/parameter", "Flax parameters carry no trainable flag "
                              "(linen variables are plain arrays; nnx.Param has no "
                              "trainable attribute): freezing is a property of the "
                              "optimizer (optax.multi_transform / optax.masked, "
                              "nnx.Optimizer(wrt=filter)) or of the loss "
                              "(jax.lax.stop_gradient)")
        if way != "layer":
            raise Unsupported(f"freeze/{way}", "Flax freezes a layer by an optax mask")
        if isinstance(state, Eager):
            raise Unsupported("freeze/layer", "an eager nnx model freezes by "
                              "nnx.Optimizer(model, tx, wrt=<filter>), which takes the "
                              "filter at optimizer construction; not mapped")
        model = state if isinstance(state, Model) else state.model
        at = model.uses[target][0]

        def labels(params):
            node = model.module.bind({"params": params})
            for i in at:
                node = node.layers[i]
            prefix = tuple(node.path)
            flat = traverse_util.flatten_dict(params)
            return traverse_util.unflatten_dict(
                {k: "frozen" if k[:len(prefix)] == prefix else "trainable" for k in flat})

        model = replace(model, frozen=freeze_mask(labels, model.frozen))
        return model if isinstance(state, Model) else Bound(model, state.variables)

    def copy(self, state, how):
        """``copy.deepcopy`` or a ``pickle`` round trip of the state: the linen
        definition, or ``(definition, variables)``; an nnx model. A linen definition
        holds JAX's initializers (``lecun_normal()``, a local function), which pickle
        refuses."""
        return copy_state(state, how)

    def output_shape(self, state, input_shape):
        """``jax.eval_shape`` of ``init_with_output`` (a definition: nothing is
        created, the state stays a definition) or of ``apply`` (variables exist);
        ``nnx.eval_shape`` of an nnx model's call."""
        spec = self._spec(state, input_shape)
        if isinstance(state, Eager):
            out = nnx.eval_shape(lambda m, x: m(x), state.module, spec)
        elif isinstance(state, Model):
            out, _ = jax.eval_shape(state.module.init_with_output, self.key, spec)
        else:
            out = jax.eval_shape(state.model.module.apply, state.variables, spec)
        return ref_output_shape(out.shape)

    def build_abstract(self, arch, input_shape):
        """``jax.eval_shape`` of the linen definition's ``init`` on an input of
        ``input_shape``: every variable as a ``jax.ShapeDtypeStruct`` (shape and
        dtype, no memory, no FLOPs). ``input_shape=None``: the linen definition
        itself, which is already the lazy build without memory (linen makes no
        variable before ``init(key, x)``; Keras's Sequential without an Input is the
        same route)."""
        if input_shape is None:
            return self.build(arch)
        model = self._traced(arch, input_shape)
        return Bound(model, jax.eval_shape(model.module.init, model.init_key, model.sample))

    def materialize_abstract(self, state):
        """``init`` with the key and on (zeros of) the sample the abstract build was
        traced with: the variables' values, drawn now. A definition built without an
        input (the lazy abstract build) has no sample: nothing is drawn, it stays a
        definition until ``init`` on the first data."""
        if isinstance(state, Model):
            return state
        sample = state.model.sample
        x = jnp.zeros(sample.shape, sample.dtype)
        return Bound(state.model, state.model.module.init(state.model.init_key, x))

    def shard_init(self, arch, input_shape, seed):
        """``jax.jit(init, out_shardings=...)`` on 2 host CPU devices, in a child
        process (``adapters/flax_sharded.py``)."""
        from adapters.flax_sharded import shard_init
        return shard_init(arch, input_shape, seed)

    def tie(self, state, src, dst):
        raise Unsupported("tie", "linen shares a whole module (one instance called twice); "
                          "a param belongs to the scope of the module that declares it, and "
                          "nn.share_scope merges whole scopes")

    def memory_bytes(self, state):
        """Bytes of the variables' leaves that are arrays (a ``ShapeDtypeStruct``
        holds none), over every collection."""
        if isinstance(state, Model):   # a definition: no variables yet
            return 0
        return array_bytes(state.variables)

    def count_params(self, state):
        """The sum of the sizes of the variables' leaves (every collection: params,
        batch_stats), the Flax idiom ``sum(x.size for x in jax.tree.leaves(...))``;
        nnx: of ``nnx.state(model, nnx.Variable)``. A definition has no variables:
        asking for them is Flax's own error (unbound module); no count is invented."""
        if isinstance(state, Eager):
            tree = nnx.state(state.module, nnx.Variable)
        else:
            tree = self._bound(state)[1]
        return int(sum(np.size(leaf) for leaf in jax.tree.leaves(tree)))

    def build_eager(self, arch):
        """Eager ``flax.nnx`` layers (linen has no eager layer): ``nnx.Linear(in_features,
        out_features)`` draws its kernel at construction, so a layer without a
        declared size is ``nnx.Linear(None, units)`` and JAX refuses the shape."""
        if not all(isinstance(n, Dense) for n in leaves(arch)):
            raise Unsupported("build_eager/layers", "eager layers are mapped to nnx.Linear, "
                              "for Dense-only networks")
        return self._build_nnx(arch, None, per_layer=True)

    def compile(self, state):
        """``jax.jit`` of the ``module.init`` / ``module.apply`` the state uses (new
        functions; ``materialize`` / ``forward`` call them); ``nnx.jit`` of an nnx
        model's call. Compilation happens at the first call of each input shape."""
        if isinstance(state, Eager):
            return replace(state, jitted=nnx.jit(lambda m, x: m(x)))
        model = state if isinstance(state, Model) else state.model
        model = replace(model, jitted=(jax.jit(model.module.init),
                                       jax.jit(model.module.apply,
                                               static_argnames=("mutable",))))
        return model if isinstance(state, Model) else Bound(model, state.variables)

    def cast(self, state, dtype):
        """Linen has no cast of a model: the parameters' dtype is each layer's
        ``param_dtype`` (default float32), so the definition is cloned with
        ``param_dtype=dtype`` (future parameters; the computation dtype follows
        inputs and parameters) and existing variables are converted by the JAX
        idiom ``jax.tree.map(lambda a: a.astype(dtype), variables)``. nnx: the
        latter on ``nnx.state`` then ``nnx.update``. With ``jax_enable_x64`` off JAX
        itself truncates float64 to float32 (with a warning)."""
        dt = jnp.dtype(dtype)
        if isinstance(state, Eager):
            params = nnx.state(state.module, nnx.Param)
            nnx.update(state.module, jax.tree.map(lambda a: a.astype(dt), params))
            return state
        model = state if isinstance(state, Model) else state.model
        memo = {}

        def clone(module):
            if isinstance(module, nn.Sequential):  # also Sequential(unused=)
                return module.clone(layers=[clone(m) for m in module.layers])
            if isinstance(module, (nn.Dense, nn.Conv, nn.BatchNorm)):
                if id(module) not in memo:  # a shared layer stays one instance
                    memo[id(module)] = module.clone(param_dtype=dt)
                return memo[id(module)]
            return module  # activations, flatten

        compiled = model.jitted is not None
        model = replace(model, module=clone(model.module), jitted=None)
        if compiled:  # the jitted functions belong to the old definition
            model = self.compile(model)
        if isinstance(state, Model):
            return model
        return Bound(model, jax.tree.map(lambda a: a.astype(dt), state.variables))

    # -- reports (optional, Adapter.source) ---------------------------------------
    def source(self, arch, input_shape):
        """``build``'s linen modules as code: ``nn.Dense``, ``nn.relu``, ``nn.Conv``
        (``padding="VALID"``), ``nn.BatchNorm(use_running_average=True)``, a reshape
        for Flatten, images channels-last; a tied layer is one module used twice;
        ``init`` then ``apply``. ``None`` where a layer declares its input size
        (``build`` refuses it)."""
        if any(isinstance(n, Dense) and n.in_units is not None for n in leaves(arch)):
            return None

        def layer(node):
            if isinstance(node, Flatten):
                return "lambda h: h.reshape((h.shape[0], -1))", [], ""
            if isinstance(node, BatchNorm):
                return "nn.BatchNorm(use_running_average=True)", [], ""
            if isinstance(node, Conv2D):
                stride = f", strides={node.stride}" if node.stride != 1 else ""
                return (f"nn.Conv({node.channels}, ({node.kernel}, {node.kernel}){stride}, "
                        'padding="VALID")', [], "")
            return f"nn.Dense({node.units})", ["nn.relu"] * node.relu, ""

        rendered = render_layers(arch, layer)
        if rendered is None:
            return None
        setup, items = rendered
        shape = nhwc(tuple(input_shape))
        return "\n".join(["import jax", "from flax import linen as nn", "", *setup,
                          listing("net = nn.Sequential([", items, "])"),
                          f"x = jax.random.uniform(jax.random.key(1), {shape})",
                          "variables = net.init(jax.random.key(0), x)",
                          "y = net.apply(variables, x)"])

    # -- errors and documentation claims ------------------------------------------
    def classify_error(self, exc):
        if isinstance(exc, MissingParameter):
            return "missing"
        if isinstance(exc, flax_errors.ScopeParamShapeError):
            return "shape-mismatch"
        if isinstance(exc, (flax_errors.ScopeCollectionNotFound,
                            flax_errors.ScopeParamNotFoundError)):
            return "missing"
        if isinstance(exc, ValueError) and "unbound modules" in str(exc):
            return "not-initialized"
        return jax_error_kind(exc)

    def doc_probe(self, claim):
        return dispatch_claim(self, claim, "Flax")


def _user_initializer(init, pid):
    """A user-defined Flax initializer: a ``(key, shape, dtype)`` function. Flax also
    evaluates it abstractly (``jax.eval_shape``, a traced key) on every ``apply``:
    such a call is logged with ``drew=False``."""
    def user_init(key, shape, dtype=jnp.float32):
        return user_draw(init, pid, ref_shape(shape), key, shape, dtype)
    return user_init


ADAPTER = FlaxAdapter
