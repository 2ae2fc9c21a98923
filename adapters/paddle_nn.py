"""PaddlePaddle adapter (paddle 3.x dygraph): ``paddle.nn`` eager layers, every optional
group of the contract.

Paddle's layers take their input size at construction -- ``nn.Linear(in_features,
out_features)``, ``nn.Conv2D(in_channels, ...)``, ``nn.BatchNorm2D(num_features)`` --
and create and draw their parameters in ``__init__``: no layer takes its input size from
data (capability ``deferred_input=False``) and there is no initialize step
(``init_step="none"``). ``build`` gives each layer the size the arch declares
(``in_units``) or that ``input_shape`` gives; a size still unknown is passed as Paddle
spells it, ``None``, and Paddle refuses it (``TypeError`` in ``create_parameter``), as
``build_eager`` shows. The native ways considered for a layer without its input size: no
``Lazy*`` layer in ``paddle.nn`` (nor in ``paddle.compat.nn``, whose ``Linear`` takes
``in_features`` too); ``paddle.LazyGuard`` defers the *materialisation* of parameters
whose shapes the layers already know (``Linear(None, ...)`` refuses inside it too);
``paddle.static.InputSpec`` / ``paddle.jit.to_static`` trace layers that already hold
their parameters; only the static-graph API (``paddle.static.nn.fc``) infers an input
size, from a Program's declared ``paddle.static.data``: another programming model
(Program + Executor), not ``paddle.nn``.

Initializers go in at construction, ``ParamAttr(initializer=paddle.nn.initializer.*)``;
a user-defined one is an ``nn.initializer.Initializer`` subclass (its ``forward(param,
block)`` fills the parameter; Paddle calls it in ``create_parameter``, or at
``param.initialize()`` under ``LazyGuard``). ``reinitialize`` calls an initializer on
the parameter, as ``paddle.nn.init.*_`` does; a network or layer request reaches the
weights only (Paddle has no per-layer reset), a ``default`` request the documented
default of the parameter's layer (``_default``). Paddle stores a ``Linear`` weight as
``[in, out]``: shapes and values cross the interface transposed to ``(out, in)``;
convolutions are already ``(out, in, kh, kw)``, NCHW. Native names are the parameters'
own unique names (``linear_0.w_0``).

Around initialization: ``paddle.optimizer.SGD/Adagrad(parameters=...)``,
``loss.backward(); opt.step()``, ``Layer.requires_grad_(False)`` / ``param.trainable``,
``copy.deepcopy`` / ``pickle``, ``paddle.jit.to_static`` (compile; and with an
``InputSpec``, the concrete program's output shape for ``output_shape``),
``Layer.to(dtype=)``, ``paddle.save/load(safetensors=True)``, ``paddle.LazyGuard``
(abstract builds) then ``param.initialize()``, and auto-parallel ``dist.shard_tensor``
on 2 processes of ``paddle.distributed.launch`` (``shard_init``; this module is the
launched script).
"""
from __future__ import annotations

import copy as copy_module
import os
import pickle
import signal
import socket
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

with warnings.catch_warnings():   # paddle warns on import (ccache not found)
    warnings.simplefilter("ignore")
    import paddle
    from paddle import nn
    from paddle.static import InputSpec

from adapters.interface import (Adapter, BatchNorm, Call, Conv2D, Flatten, Group, Table,
                                MissingParameter, PlatformLacks, PrivateNameMissing,
                                Unsupported, conv_sides, dispatch_claim, listing,
                                render_layers)
from adapters.shard_process import (TIMEOUT, ShardProcessError, child_env, child_main,
                                    dense_weight_ids, raise_result)

initializers = nn.initializer
#: logical role -> paddle attribute, for BatchNorm
BN_ROLES = {"gamma": "weight", "beta": "bias"}


class TableLayer(nn.Layer):
    """Arch ``Table``: a buffer computed in ``__init__`` (``arange``), as a rotary table
    is (``Layer.register_buffer``)."""

    def __init__(self, units):
        super().__init__()
        self.register_buffer("table", paddle.arange(units, dtype="float32"))

    def forward(self, x):
        return x + self.table


class SkipSequential(nn.Sequential):
    """``nn.Sequential`` whose ``forward`` skips the children named in ``unused``:
    registered sublayers (their parameters are the network's) never called."""

    def __init__(self, *layers, unused=()):
        super().__init__(*layers)
        self.unused = tuple(unused)

    def forward(self, input):  # noqa: A002 - nn.Sequential's own signature
        for key, layer in enumerate(self):
            if str(key) not in self.unused:
                input = layer(input)
        return input


def _sequential(items):
    """``nn.Sequential`` of ``[(layer, unused)]``; a SkipSequential if any is unused."""
    unused = [str(i) for i, (_, skip) in enumerate(items) if skip]
    layers = [m for m, _ in items]
    return SkipSequential(*layers, unused=unused) if unused else nn.Sequential(*layers)


def _is_bn(layer) -> bool:
    return isinstance(layer, nn.BatchNorm2D)   # the only BatchNorm build makes


def _roles(layer) -> dict:
    """``{logical role: paddle attribute}`` of a parameterised layer, in order (a
    BatchNorm's running ``_mean``/``_variance`` are parameters in Paddle, not roles)."""
    if isinstance(layer, TableLayer):
        return {"table": "table"}
    if _is_bn(layer):
        return {role: attr for role, attr in BN_ROLES.items()
                if getattr(layer, attr, None) is not None}
    return {name: name for name, _ in layer.named_parameters(include_sublayers=False)}


def _walk(layer, prefix=""):
    """``(structured prefix, layer)`` of the parameterised layers in forward order; a
    reused layer appears at each use (iterating a Sequential yields every position;
    ``named_children`` yields a layer once); unused layers keep their place."""
    if isinstance(layer, nn.Sequential):
        for key, child in enumerate(layer):
            yield from _walk(child, f"{prefix}{key}.")
    elif list(layer.parameters(include_sublayers=False)) or isinstance(layer, TableLayer):
        yield prefix, layer


def _arch_children(layer):
    """The children of a Sequential that the arch counts (activations dropped)."""
    return [c for c in layer if not isinstance(c, nn.ReLU)]


def _transposed(layer, role) -> bool:
    """Whether Paddle stores this parameter transposed from the reference layout:
    ``nn.Linear``'s weight is ``[in_features, out_features]``."""
    return isinstance(layer, nn.Linear) and role == "weight"


def _default(layer, role):
    """The initializer Paddle gives ``role`` of ``layer`` when none is asked for:
    ``ParamAttr._set_default_param_initializer`` (XavierUniform) for a Linear weight,
    ``_set_default_bias_initializer`` (Constant(0.0)) for a bias (base/param_attr.py:
    153-175); a Conv2D weight ``Normal(0, (2 / (in * kh * kw)) ** 0.5)``
    (nn/layer/conv.py:182-187); a BatchNorm weight ``Constant(1.0)`` (nn/layer/norm.py:
    797)."""
    if _is_bn(layer):
        return initializers.Constant(1.0) if role == "gamma" else initializers.Constant(0.0)
    if role == "bias":
        return initializers.Constant(0.0)
    if isinstance(layer, nn.Conv2D):
        w = layer.weight.shape
        return initializers.Normal(0.0, (2.0 / float(np.prod(w[1:]))) ** 0.5)
    return initializers.XavierUniform()


class UserInit(initializers.Initializer):
    """A user-defined initializer, Paddle's extension point: ``forward(param, block)``
    fills the parameter (``set_value``) with Paddle's own RNG. ``recording``: U[-0.5,
    0.5]; ``seed-custom``: the seeds' MyInit, U[-10, 10] then |w| < 5 set to 0. Each
    call is logged with the parameter's shape in the reference layout. ``create_parameter``
    deep-copies its ParamAttr, initializer included (base/layer_helper_base.py:358): the
    log is kept as its ``append`` method, which ``copy.deepcopy`` keeps as it is."""

    def __init__(self, init, pid, transposed):
        super().__init__()
        self.kind, self.record = init.kind, init.log.append
        self.pid, self.transposed = pid, transposed

    def forward(self, param, block=None):
        shape = tuple(param.shape)
        self.record(Call(self.pid, shape[::-1] if self.transposed else shape))
        if self.kind == "recording":
            value = paddle.uniform(param.shape, dtype=param.dtype, min=-0.5, max=0.5)
        else:
            value = paddle.uniform(param.shape, dtype=param.dtype, min=-10.0, max=10.0)
            value = value * (value.abs() >= 5).astype(param.dtype)
        param.set_value(value)
        return param


class PaddleAdapter(Adapter):
    name = "paddle"
    groups = ("training", "copy", "compile-cast", "abstract", "abstract-build", "sharded")
    capabilities = {
        # a layer holds its values from construction; one without its input size is not
        # built at all (deferred_input=False: never asked of the adapter)
        "params_before_data": "shaped",
        # no initialize call: __init__ creates and draws every parameter
        "init_step": "none",
        # no initialize step; nn.initializer.set_global_initializer is a process-wide
        # setting read by later constructions, not a network's initialize
        "model_wide_initializer": False,
        # no layer stays lazy next to a declared one: every layer declares its size
        "per_layer_input": False,
        # every layer with its input size (the adapter derives them from input_shape)
        "model_input": True,
        # Tensor.add_ under paddle.no_grad() edits the live parameter
        "mutable_in_place": True,
        # no regex selection API: named_parameters() is filtered by user code
        "name_selection": "none",
        # EagerParamBase.trainable / stop_gradient, set after creation; optimizers skip
        # parameters without a gradient
        "trainable_flag": True,
        # a parameter assigned into another layer: b.weight = a.weight
        "parameter_tie": True,
        # nn.Linear(in_features, ...) & co.: no layer takes its input size from data
        "deferred_input": False,
    }

    # -- identity --------------------------------------------------------------
    def framework_version(self):
        return paddle.__version__

    def framework_config(self):
        return {"default_dtype": str(paddle.get_default_dtype()),
                "device": str(paddle.device.get_device())}

    def seed(self, n):
        paddle.seed(n)

    # -- initializers ----------------------------------------------------------
    def _initializer(self, init, pid, transposed):
        """The ``paddle.nn.initializer`` object for ``init`` (``None``: Paddle's own
        default, left to the layer); ``transposed``: the parameter is a Linear weight."""
        kind = init.kind
        if init.user_defined:
            return UserInit(init, pid, transposed)
        if kind == "default":
            return None
        if kind == "zeros":
            return initializers.Constant(0.0)
        if kind == "constant":
            return initializers.Constant(init.value)
        if kind == "normal":
            return initializers.Normal(0.0, init.value)
        if kind == "uniform":
            return initializers.Uniform(-init.value, init.value)
        if kind == "xavier":
            return initializers.XavierUniform()  # fans of [in, out] and [out, in, kh, kw] alike
        raise Unsupported(f"initializer/{kind}", "no paddle.nn.initializer counterpart known")

    def _attr(self, init, pid, transposed):
        """``ParamAttr(initializer=...)`` for a construction request, else ``None``."""
        made = self._initializer(init, pid, transposed) if init is not None else None
        return paddle.ParamAttr(initializer=made) if made is not None else None

    # -- lifecycle -------------------------------------------------------------
    def build(self, arch, input_shape=None, weight_init=None, bias_init=None):
        return self._construct(arch, input_shape, weight_init, bias_init)

    def _construct(self, arch, input_shape=None, weight_init=None, bias_init=None):
        """The network of ``arch``; a size the arch and ``input_shape`` leave unknown is
        passed as ``None`` (Paddle's own refusal)."""
        shared, counter = {}, [0]
        shape = tuple(input_shape) if input_shape is not None else None

        def attrs(index, transposed):
            return {"weight_attr": self._attr(weight_init, f"{index}.weight", transposed),
                    "bias_attr": self._attr(bias_init, f"{index}.bias", False)}

        def make(node):
            """``[(layer, unused)]`` for one node of the arch."""
            nonlocal shape
            if isinstance(node, Group):
                return [(_sequential([m for n in node.layers for m in make(n)]), False)]
            if isinstance(node, Flatten):
                if shape is not None:
                    shape = (int(np.prod(shape)),)
                return [(nn.Flatten(), False)]
            if isinstance(node, Table):
                counter[0] += 1
                return [(TableLayer(node.units), False)]
            if isinstance(node, BatchNorm):
                counter[0] += 1
                return [(nn.BatchNorm2D(shape[0] if shape is not None else None), False)]
            if isinstance(node, Conv2D):
                index = counter[0]
                counter[0] += 1
                m = nn.Conv2D(shape[0] if shape is not None else None, node.channels,
                              node.kernel, stride=node.stride, **attrs(index, False))
                if shape is not None:
                    shape = (node.channels, *conv_sides(shape[1:], node.kernel, node.stride))
                return [(m, False)]
            # Dense: Paddle ties by reusing the layer
            if node.share and node.share in shared:
                m = shared[node.share]
                counter[0] += 1
            else:
                index = counter[0]
                counter[0] += 1
                in_units = node.in_units if node.in_units is not None else (
                    shape[-1] if shape is not None else None)
                m = nn.Linear(in_units, node.units, **attrs(index, True))  # None: refused
                if node.share:
                    shared[node.share] = m
            if shape is not None and not node.unused:
                shape = (*shape[:-1], node.units)
            layer = [(m, node.unused)]
            return layer + [(nn.ReLU(), node.unused)] if node.relu else layer

        return _sequential([m for node in arch for m in make(node)])

    def initialize(self, model, init=None):
        if init is not None:
            raise Unsupported("initialize/init", "Paddle has no initialize step to give an "
                              "initializer to (ParamAttr(initializer=) at construction; "
                              "nn.initializer.set_global_initializer is read by later "
                              "constructions only)")
        return model

    def materialize(self, state, x):
        """The first data runs the network (its layers hold their values already)."""
        state.eval()
        with paddle.no_grad():
            state(paddle.to_tensor(np.asarray(x)))
        return state

    def forward(self, state, x):
        state.eval()
        with paddle.no_grad():
            y = state(paddle.to_tensor(np.asarray(x)))
        return y.numpy(), state

    def backward_sum(self, state, x):
        state.train()
        state.clear_gradients()
        state(paddle.to_tensor(np.asarray(x))).sum().backward()
        out = {}
        for pid, (layer, role) in self._where(state).items():
            grad = getattr(layer, self._attr_of(layer, role)).grad
            if grad is not None:   # a layer the forward never used has none
                g = grad.numpy().copy()
                out[pid] = g.T if _transposed(layer, role) else g
        return out

    def reinitialize(self, state, init, target=None):
        layers = self._layers(state)
        if target is None or isinstance(target, int):
            chosen = layers if target is None else [layers[target]]
            seen = set()
            for index, (_, m) in enumerate(layers):
                if all(m is not c for _, c in chosen) or id(m) in seen:
                    continue
                seen.add(id(m))
                if _is_bn(m) or isinstance(m, TableLayer):
                    continue  # gamma/beta keep their own initializers: nothing reaches them
                # routing: the request reaches the weight; a bias keeps its value
                self._draw(m, "weight", init, f"{index if target is None else target}.weight")
            return state
        index, role = self._split(state, target)
        self._draw(layers[index][1], role, init, target)
        return state

    def _draw(self, layer, role, init, pid):
        """Call the initializer on the parameter now (``paddle.nn.init.*_`` does the
        same: ``Initializer(...)(tensor)``)."""
        p = getattr(layer, self._attr_of(layer, role))
        made = self._initializer(init, pid, _transposed(layer, role))
        (made if made is not None else _default(layer, role))(p)

    # -- observation -----------------------------------------------------------
    def _layers(self, net):
        return list(_walk(net))

    def _where(self, net):
        """``{pid: (layer, role)}`` in forward order."""
        return {f"{i}.{role}": (m, role) for i, (_, m) in enumerate(_walk(net))
                for role in _roles(m)}

    @staticmethod
    def _attr_of(layer, role):
        return _roles(layer)[role]

    def _split(self, net, pid):
        if pid not in self._where(net):
            raise MissingParameter(f"no parameter {pid!r}")
        index, role = pid.split(".")
        return int(index), role

    def _locate(self, net, pid):
        try:
            return self._where(net)[pid]
        except KeyError:
            raise MissingParameter(f"no parameter {pid!r}") from None

    def _param(self, net, pid):
        layer, role = self._locate(net, pid)
        return getattr(layer, self._attr_of(layer, role))

    def param_ids(self, state):
        return list(self._where(state))

    def param_shape(self, state, pid):
        layer, role = self._locate(state, pid)
        shape = tuple(int(d) for d in getattr(layer, self._attr_of(layer, role)).shape)
        return shape[::-1] if _transposed(layer, role) else shape

    def param_dtype(self, state, pid):
        return str(self._param(state, pid).dtype).replace("paddle.", "")

    def read_param(self, state, pid):
        layer, role = self._locate(state, pid)
        value = getattr(layer, self._attr_of(layer, role)).numpy().copy()
        return value.T.copy() if _transposed(layer, role) else value

    def write_param(self, state, pid, value):
        layer, role = self._locate(state, pid)
        value = np.asarray(value)
        p = getattr(layer, self._attr_of(layer, role))
        p.set_value(value.T if _transposed(layer, role) else value)
        return state

    def inplace_add(self, state, pid, delta):
        with paddle.no_grad():   # a leaf that does not stop gradient refuses add_ otherwise
            self._param(state, pid).add_(paddle.to_tensor(delta, dtype=self._param(
                state, pid).dtype))

    def same_parameter(self, state, pid_a, pid_b):
        return self._param(state, pid_a) is self._param(state, pid_b)

    def native_name(self, state, pid):
        return self._param(state, pid).name

    def role_name(self, role):
        """Paddle's unique names spell a weight ``w`` and a bias ``b``
        (``linear_0.w_0``, ``batch_norm2d_0.b_0``: LayerHelperBase.create_parameter)."""
        return {"weight": "w", "gamma": "w", "bias": "b", "beta": "b"}.get(role, role)

    def nested_lookup(self, state, path, role):
        layer = state
        for i in path:
            layer = _arch_children(layer)[i]
        p = getattr(layer, _roles(layer)[role])
        return next(pid for pid, (m, r) in self._where(state).items()
                    if getattr(m, self._attr_of(m, r)) is p)

    def select_params(self, state, pattern):
        raise Unsupported("select_params/regex", "Paddle has no regular-expression "
                          "parameter selection (Layer.named_parameters()/get_parameter() "
                          "take no pattern; filtering names is user code)")

    def layout(self):
        return "NCHW"   # nn.Conv2D(data_format="NCHW") by default

    # -- persistence -----------------------------------------------------------
    def save(self, state, directory):
        """``paddle.save(state_dict, path, safetensors=True)``: Paddle's own saving in
        the safetensors format (its default .pdparams format is a pickle)."""
        path = os.path.join(directory, "net.safetensors")
        paddle.save(state.state_dict(), path, safetensors=True)
        return path

    def load(self, state, path):
        """``Layer.set_state_dict(paddle.load(path, safetensors=True))``."""
        state.set_state_dict(paddle.load(path, safetensors=True))
        return state

    # -- around initialization: the optional GROUPS ------------------------------
    def make_optimizer(self, state, kind, lr):
        if kind == "sgd":   # paddle defaults: no momentum, no weight decay
            return paddle.optimizer.SGD(learning_rate=lr, parameters=state.parameters())
        if kind == "adagrad":
            return paddle.optimizer.Adagrad(learning_rate=lr, parameters=state.parameters())
        raise Unsupported(f"make_optimizer/{kind}", "only paddle.optimizer.SGD and "
                          "paddle.optimizer.Adagrad are mapped")

    def train_step(self, state, opt, x):
        state.train()
        opt.clear_grad()
        state(paddle.to_tensor(np.asarray(x))).sum().backward()
        opt.step()   # parameters without a gradient (stop_gradient, unused) are skipped
        return state, opt

    def freeze(self, state, target, way="layer"):
        """``layer``: ``Layer.requires_grad_(False)`` (sets ``stop_gradient`` on each of
        its parameters); ``parameter``: ``param.trainable = False`` on each one."""
        layer = self._layers(state)[target][1]
        if way == "layer":
            layer.requires_grad_(False)
        elif way == "parameter":
            for role in _roles(layer):
                getattr(layer, self._attr_of(layer, role)).trainable = False
        else:
            raise Unsupported(f"freeze/{way}", "Paddle freezes by stop_gradient: "
                              "Layer.requires_grad_ or each parameter's trainable")
        return state

    def copy(self, state, how):
        if how == "deepcopy":
            return copy_module.deepcopy(state)
        if how == "pickle":
            return pickle.loads(pickle.dumps(state))
        raise Unsupported(f"copy/{how}", "copy.deepcopy and pickle are mapped")

    def output_shape(self, state, input_shape):
        """``paddle.jit.to_static(net.forward, input_spec=[InputSpec(shape)])``: the
        concrete program traced for that spec holds the output's static shape (no data
        runs; the network itself is not converted)."""
        state.eval()
        static = paddle.jit.to_static(state.forward, full_graph=True,
                                      input_spec=[InputSpec(list(input_shape), "float32")])
        out = static.concrete_program.outputs[0]
        return tuple(int(d) for d in out.shape)

    def count_params(self, state):
        # parameters() yields a shared parameter once (BatchNorm's _mean/_variance too)
        return int(sum(int(np.prod(p.shape)) for p in state.parameters()))

    def build_eager(self, arch):
        """Paddle's layers are eager: the same construction as ``build``, an unknown
        input size passed as ``None``."""
        return self._construct(arch)

    def build_abstract(self, arch, input_shape):
        """``build``'s layers for ``input_shape`` under ``paddle.LazyGuard()``: parameters
        with their shapes and dtypes, no memory, initialized by ``param.initialize()``."""
        if input_shape is None:
            raise Unsupported("build_abstract/lazy", "paddle.LazyGuard defers only the "
                              "materialisation of parameters whose shapes the layers know: "
                              "nn.Linear/Conv2D/BatchNorm2D still take their input sizes "
                              "inside it, and paddle.nn has no Lazy* layer")
        with paddle.LazyGuard():
            return self._construct(arch, input_shape)

    def materialize_abstract(self, state):
        """``param.initialize()`` on every parameter (the LazyGuard docstring's recipe)."""
        for p in state.parameters():
            p.initialize()
        return state

    def tie(self, state, src, dst):
        """``dst_layer.<attr> = src parameter`` (Layer.__setattr__ registers it)."""
        layer = self._layers(state)[int(dst.split(".")[0])][1]
        setattr(layer, _roles(layer)[dst.split(".")[1]], self._param(state, src))
        return state

    def shard_init(self, arch, input_shape, seed):
        """Paddle's auto-parallel on 2 local CPU processes (``paddle.distributed.launch``,
        this module as the script): each rank builds ``arch`` under ``paddle.LazyGuard``
        (``build_abstract``), shards every ``nn.Linear`` weight over
        ``dist.ProcessMesh([0, 1])`` along its output units (``dist.shard_layer`` with
        ``dist.shard_tensor(w, mesh, [dist.Shard(1)])``: Paddle's weight is [in, out]),
        then after ``seed(seed)`` initializes every parameter (``materialize_abstract``)
        and writes its local shard (``dtensor_to_local``); rank 0 also builds the arch
        whole, eagerly, after the same seed. The launcher runs in a session of its own,
        ended with its ranks if it outlives the limit."""
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.bind(("127.0.0.1", 0))
        except OSError as exc:
            raise PlatformLacks("localhost", f"no localhost TCP port for the rendezvous of "
                                f"paddle.distributed ({exc})") from None
        with tempfile.TemporaryDirectory(prefix="lazyinit-shard-") as tmp:
            request = Path(tmp, "request.pkl")
            request.write_bytes(pickle.dumps({"arch": tuple(arch), "seed": int(seed),
                                              "input_shape": tuple(input_shape)}))
            cmd = [sys.executable, "-m", "paddle.distributed.launch", "--nproc_per_node",
                   str(WORLD), "--log_dir", str(Path(tmp, "log")), __file__, str(request),
                   tmp]
            proc = subprocess.Popen(cmd, cwd=str(Path(__file__).resolve().parents[1]),
                                    env=child_env({"OMP_NUM_THREADS": "1"}),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True)
            try:
                proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)   # the launcher and its ranks
                proc.wait()
                raise ShardProcessError(f"the {WORLD} paddle.distributed ranks did not "
                                        f"finish within {TIMEOUT} s", _logs(tmp)) from None
            results = []
            for rank in range(WORLD):
                out = Path(tmp, f"rank{rank}.pkl")
                if not out.exists():
                    raise ShardProcessError(f"rank {rank} wrote no result (launch exited "
                                            f"{proc.returncode})", _logs(tmp))
                results.append(raise_result(pickle.loads(out.read_bytes()), f"rank {rank}: "))
        return {"whole": results[0]["whole"],
                "shards": {pid: [res["shards"][pid] for res in results]
                           for pid in results[0]["shards"]}}

    def memory_bytes(self, state):
        """Bytes of the parameters (and Table buffers) that hold memory: a parameter made
        under LazyGuard holds none until ``initialize()``. Read with the private
        ``Tensor._is_initialized()`` (no public counterpart; ``numpy()`` of such a
        parameter returns an empty array instead of raising)."""
        initialized = getattr(paddle.Tensor, "_is_initialized", None)
        if initialized is None:
            raise PrivateNameMissing("the adapter needs the private name paddle.Tensor."
                                     "_is_initialized, which this release lacks: fix the "
                                     "adapter for this release")
        held = {id(t): t for t in (self._param(state, pid) for pid in self.param_ids(state))}
        return int(sum(int(np.prod(t.shape)) * t.element_size() for t in held.values()
                       if initialized(t)))

    def compile(self, state):
        """``paddle.jit.to_static(net)``: the layer's forward becomes a StaticFunction
        (dynamic-to-static); the same layer object is returned."""
        return paddle.jit.to_static(state)

    def cast(self, state, dtype):
        if dtype not in ("float16", "float32", "float64", "bfloat16"):
            raise Unsupported(f"cast/{dtype}", "no paddle floating dtype of that name")
        return state.to(dtype=dtype)

    # -- reports (optional, Adapter.source) -------------------------------------
    def source(self, arch, input_shape):
        """``build``'s layers as code: ``nn.Linear(in, out)`` with the size the adapter
        derives from ``input_shape``, ``nn.Conv2D``, ``nn.BatchNorm2D``, ``nn.Flatten``,
        ``nn.ReLU()``; a tied layer is one layer used twice."""
        shape = [tuple(input_shape[1:])]

        def layer(node):
            s = shape[0]
            if isinstance(node, Flatten):
                shape[0] = (int(np.prod(s)),)
                return "nn.Flatten()", [], ""
            if isinstance(node, BatchNorm):
                return f"nn.BatchNorm2D({s[0]})", [], ""
            if isinstance(node, Conv2D):
                stride = f", stride={node.stride}" if node.stride != 1 else ""
                shape[0] = (node.channels, *conv_sides(s[1:], node.kernel, node.stride))
                return f"nn.Conv2D({s[0]}, {node.channels}, {node.kernel}{stride})", [], ""
            in_units = node.in_units if node.in_units is not None else s[-1]
            shape[0] = (*s[:-1], node.units)
            return f"nn.Linear({in_units}, {node.units})", ["nn.ReLU()"] * node.relu, ""

        rendered = render_layers(arch, layer)
        if rendered is None:
            return None
        setup, items = rendered
        return "\n".join(["import paddle", "from paddle import nn", "", *setup,
                          listing("net = nn.Sequential(", items, ")"), "net.eval()",
                          f"x = paddle.rand({list(input_shape)})", "y = net(x)"])

    # -- errors and documentation claims ----------------------------------------
    def classify_error(self, exc):
        text = str(exc)
        if isinstance(exc, MissingParameter):
            return "missing"
        if "memory's size is 0" in text or "not initialized" in text.lower():
            return "not-initialized"   # a LazyGuard parameter before initialize()
        if "type of data we are trying to retrieve" in text or "dtype" in text.lower() and (
                "does not match" in text or "mismatch" in text.lower()):
            return "dtype-mismatch"
        if isinstance(exc, (ValueError, RuntimeError)) and (
                "must be equal to" in text or "shape" in text.lower()
                or "K_lhs == K_rhs" in text or "channel" in text.lower()):
            return "shape-mismatch"
        return "other"

    def doc_probe(self, claim):
        return dispatch_claim(self, claim, "paddle")


ADAPTER = PaddleAdapter

#: the ranks of shard_init
WORLD = 2


def _logs(tmp) -> str:
    """The tails of the launched ranks' logs (``--log_dir``)."""
    return "\n".join(f"[{p.name}] {p.read_text(errors='replace')[-1500:]}"
                     for p in sorted(Path(tmp, "log").glob("workerlog.*")))


def _shard_rank(request) -> dict:
    """One rank of ``shard_init`` (launched by ``paddle.distributed.launch``)."""
    import paddle.distributed as dist
    from paddle.distributed.auto_parallel.api import dtensor_to_local

    fw = PaddleAdapter()
    arch, shape, seed = request["arch"], request["input_shape"], request["seed"]
    pids = dense_weight_ids(arch)
    whole = None
    if int(os.environ.get("PADDLE_TRAINER_ID", "0")) == 0:   # whole, eagerly, same seed
        fw.seed(seed)
        net = fw.build(arch, input_shape=shape)
        whole = {pid: fw.read_param(net, pid) for pid in pids}
    dist.init_parallel_env()
    mesh = dist.ProcessMesh(list(range(WORLD)), dim_names=["x"])

    def shard(name, layer, mesh):
        if isinstance(layer, nn.Linear):
            layer.weight = dist.shard_tensor(layer.weight, mesh, [dist.Shard(1)])

    net = dist.shard_layer(fw.build_abstract(arch, shape), mesh, shard)
    fw.seed(seed)
    net = fw.materialize_abstract(net)
    shards = {}
    for pid in pids:
        w = fw._param(net, pid)
        shards[pid] = dtensor_to_local(w, mesh, w.placements).numpy().T.copy()
    dist.barrier()
    return {"whole": whole, "shards": shards, "rank": dist.get_rank()}


if __name__ == "__main__":   # a rank of shard_init: REQUEST OUTDIR
    _rank = int(os.environ.get("PADDLE_TRAINER_ID", "0"))
    sys.exit(child_main([sys.argv[1], os.path.join(sys.argv[2], f"rank{_rank}.pkl")],
                        _shard_rank))
