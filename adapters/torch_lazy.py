"""PyTorch adapter (every optional group of the contract): ``nn.LazyLinear`` &
co. where an input size is unknown, ``nn.Linear`` & co. where it is declared.

Torch has no explicit initialize step (``init_step = "none"``): a lazy module
creates ``UninitializedParameter`` s (no readable shape, but a dtype) and, at its
first forward, materializes them and calls its ``reset_parameters()``. Overriding
that method on the instance is the maintainers' way to choose a lazy module's
initializer (pytorch/pytorch#125861); ``build(weight_init=, bias_init=)`` installs
such an override -- the class's own ``reset_parameters()`` (torch's defaults) and
then the requested ``torch.nn.init``-style function on its role -- and, on an eager
module, calls it right after construction. A user-defined initializer is a torch
init function: it fills the tensor in place with torch's own RNG.

``reinitialize`` on a module holding values: the module's own reset (biases are
re-drawn by their own initializer) then the request on the weight(s); on one
parameter id: the request on exactly that parameter. On a still-lazy module the
request is installed in its ``reset_parameters`` override, which materialization
calls. Layouts are already the reference's: (out, in[, kh, kw]), NCHW.

Around lazy initialization (the optional groups): ``torch.optim.SGD/Adagrad(net.parameters())``,
``loss.backward(); opt.step()``, ``Module.requires_grad_(False)``, ``copy.deepcopy`` /
``pickle``, ``FakeTensorMode`` on a meta-device input for shape inference,
``sum(p.numel())``, ``nn.Linear`` & co. given ``None`` for an unknown size,
``torch.compile`` (default backend; the returned ``OptimizedModule`` is the state,
walked through its ``_orig_mod``), ``Module.to(dtype)``. An unused layer
(``Dense(unused=True)``) is a child of a ``Sequential`` subclass whose ``forward``
skips it.
"""
from __future__ import annotations

import copy as copy_module
import os
import pickle
import warnings

import numpy as np
import torch
from torch import nn
from torch.nn.parameter import is_lazy

from adapters.interface import (Adapter, BatchNorm, Call, Conv2D, Flatten, Group, Table,
                                MissingParameter, Unsupported, conv_sides, dispatch_claim,
                                listing, private, render_layers)

#: logical role -> torch attribute, for BatchNorm
BN_ROLES = {"gamma": "weight", "beta": "bias"}


class TableModule(nn.Module):
    """Arch ``Table``: a buffer computed in ``__init__`` (``arange``), as a rotary
    table is; like such modules it has no ``reset_parameters``."""

    def __init__(self, units):
        super().__init__()
        self.register_buffer("table", torch.arange(units, dtype=torch.float32))

    def forward(self, x):
        return x + self.table


def _is_bn(module) -> bool:
    return isinstance(module, nn.modules.batchnorm._BatchNorm)


def _roles(module) -> dict:
    """``{logical role: torch attribute}`` of a parameterised module, in order."""
    if isinstance(module, TableModule):
        return {"table": "table"}
    if _is_bn(module):
        return {role: attr for role, attr in BN_ROLES.items()
                if getattr(module, attr, None) is not None}
    return {name: name for name, _ in module.named_parameters(recurse=False)}


class SkipSequential(nn.Sequential):
    """``nn.Sequential`` whose ``forward`` skips the children named in ``unused``:
    registered submodules (their parameters are the network's) that are never
    called (``Dense(unused=True)``), as a user's module with an unused child."""

    def __init__(self, *modules, unused=()):
        super().__init__(*modules)
        self.unused = tuple(unused)

    def forward(self, input):  # noqa: A002 - nn.Sequential's own signature
        for key, module in self._modules.items():
            if key not in self.unused:
                input = module(input)
        return input


def _sequential(items):
    """``nn.Sequential`` of ``[(module, unused)]``; a SkipSequential if any is unused."""
    unused = [str(i) for i, (_, skip) in enumerate(items) if skip]
    modules = [m for m, _ in items]
    return SkipSequential(*modules, unused=unused) if unused else nn.Sequential(*modules)


def _unwrap(module, prefix=""):
    """``(module, prefix)`` of the network a ``torch.compile`` wrapper (OptimizedModule)
    holds as its ``_orig_mod`` child, else ``module`` itself."""
    while "_orig_mod" in getattr(module, "_modules", {}):
        module, prefix = module._modules["_orig_mod"], prefix + "_orig_mod."
    return module, prefix


def _walk(module, prefix=""):
    """``(native prefix, module)`` of the parameterised modules in forward order; a
    reused module appears at each use; unused layers keep their place."""
    module, prefix = _unwrap(module, prefix)
    if isinstance(module, nn.Sequential):
        for key, child in module._modules.items():
            yield from _walk(child, f"{prefix}{key}.")
    elif list(module.parameters(recurse=False)) or isinstance(module, TableModule):
        yield prefix, module


def _lazy(module) -> bool:
    """Whether the module still holds UninitializedParameters (LazyModuleMixin)."""
    return getattr(module, "has_uninitialized_params", lambda: False)()


def _arch_children(module):
    """The children of a Sequential that the arch counts (activations dropped)."""
    return [c for c in _unwrap(module)[0] if not isinstance(c, nn.ReLU)]


class _Reset:
    """A module's ``reset_parameters`` override (pytorch/pytorch#125861): the class's
    own reset (torch's defaults), then each role's requested initializer. Torch calls
    it when a lazy module materializes; ``nn.Module.reset_parameters`` callers too."""

    def __init__(self, adapter, module, index, inits):
        self.adapter, self.module, self.index, self.inits = adapter, module, index, inits

    def __call__(self):
        m = self.module
        type(m).reset_parameters(m)
        roles = _roles(m)
        with torch.no_grad():
            for role, init in self.inits.items():
                if init is not None and init.kind != "default":
                    self.adapter._apply(init, f"{self.index}.{role}", getattr(m, roles[role]))


class TorchAdapter(Adapter):
    name = "torch"
    capabilities = {
        # UninitializedParameter objects exist but their shape cannot be read
        "params_before_data": "shapeless",
        # no initialize call: construction (eager) or the first forward (lazy) does it
        "init_step": "none",
        # no initialize step to give a network-wide initializer to
        "model_wide_initializer": False,
        # nn.Linear(20, 256) next to nn.LazyLinear(10)
        "per_layer_input": True,
        # every layer eager (nn.Linear / Conv2d / BatchNorm2d with their input sizes)
        "model_input": True,
        # Tensor.add_ under no_grad edits the live parameter
        "mutable_in_place": True,
        # no regex selection API: named_parameters() is filtered by user code
        "name_selection": "none",
        # Tensor.requires_grad, set by Module.requires_grad_(False); optimizers skip
        # parameters whose grad stays None
        "trainable_flag": True,
        # one parameter assigned into another module: b.weight = a.weight
        "parameter_tie": True,
        # nn.LazyLinear & co. take their input size from the first data
        "deferred_input": True,
    }

    # -- identity --------------------------------------------------------------
    def framework_version(self):
        return torch.__version__

    def framework_config(self):
        return {"default_dtype": str(torch.get_default_dtype()).replace("torch.", "")}

    def seed(self, n):
        torch.manual_seed(n)

    # -- initializers ----------------------------------------------------------
    def _apply(self, init, pid, p):
        """Fill ``p`` in place with ``init`` through ``torch.nn.init`` (or a user
        init function of the same form); log the calls of user-defined ones."""
        kind = init.kind
        if init.user_defined:  # on meta (FakeTensorMode) tensors nothing real is drawn
            init.log.append(Call(pid, tuple(p.shape), drew=p.device.type != "meta"))
            if kind == "recording":
                nn.init.uniform_(p, -0.5, 0.5)
            else:  # the seeds' MyInit as a torch init function (d2l's my_init)
                nn.init.uniform_(p, -10, 10)
                p.mul_(p.abs() >= 5)
        elif kind == "zeros":
            nn.init.zeros_(p)
        elif kind == "constant":
            nn.init.constant_(p, init.value)
        elif kind == "normal":
            nn.init.normal_(p, mean=0.0, std=init.value)
        elif kind == "uniform":
            nn.init.uniform_(p, -init.value, init.value)
        elif kind == "xavier":
            nn.init.xavier_uniform_(p)
        else:
            raise Unsupported(f"initializer/{kind}", "no torch.nn.init counterpart known")

    def _install(self, module, index, inits):
        """Install ``inits`` ({role: Init}) as the module's reset_parameters override,
        keeping what an earlier override asked for the other roles."""
        old = vars(module).get("reset_parameters")
        merged = {**(old.inits if isinstance(old, _Reset) else {}), **inits}
        module.reset_parameters = _Reset(self, module, index, merged)
        return module.reset_parameters

    # -- lifecycle -------------------------------------------------------------
    def build(self, arch, input_shape=None, weight_init=None, bias_init=None):
        return self._construct(arch, input_shape, weight_init, bias_init, eager=False)

    def _construct(self, arch, input_shape=None, weight_init=None, bias_init=None,
                   eager=False):
        """The network of ``arch``: Lazy* modules where a size is unknown, or with
        ``eager`` the eager modules given ``None`` for it (torch then refuses)."""
        inits = {r: i for r, i in (("weight", weight_init), ("bias", bias_init))
                 if i is not None and i.kind != "default"}
        shared, counter = {}, [0]
        shape = tuple(input_shape) if input_shape is not None else None

        def make(node):
            """``[(module, unused)]`` for one node of the arch."""
            nonlocal shape
            if isinstance(node, Group):
                return [(self._sequential([m for n in node.layers for m in make(n)]), False)]
            if isinstance(node, Flatten):
                if shape is not None:
                    shape = (int(np.prod(shape)),)
                return [(nn.Flatten(), False)]
            if isinstance(node, Table):
                counter[0] += 1
                return [(TableModule(node.units), False)]
            if isinstance(node, BatchNorm):
                counter[0] += 1
                known = shape[0] if shape is not None else None
                m = nn.BatchNorm2d(known) if known is not None or eager else \
                    nn.LazyBatchNorm2d()
                return [(m, False)]
            if isinstance(node, Conv2D):
                index = counter[0]
                counter[0] += 1
                if shape is not None or eager:
                    m = nn.Conv2d(shape[0] if shape is not None else None, node.channels,
                                  node.kernel, stride=node.stride)
                    if shape is not None:
                        shape = (node.channels, *conv_sides(shape[1:], node.kernel,
                                                            node.stride))
                else:
                    m = nn.LazyConv2d(node.channels, node.kernel, stride=node.stride)
                return [(self._given(m, index, inits), False)]
            # Dense: torch ties by reusing the module
            if node.share and node.share in shared:
                m, index = shared[node.share]
                counter[0] += 1
            else:
                index = counter[0]
                counter[0] += 1
                in_units = node.in_units if node.in_units is not None else (
                    shape[-1] if shape is not None else None)
                m = self._dense(in_units, node.units, index, inits, eager)
                if node.share:
                    shared[node.share] = (m, index)
            if shape is not None and not node.unused:
                shape = (*shape[:-1], node.units)
            layer = [(m, node.unused)]
            return layer + [(nn.ReLU(), node.unused)] if node.relu else layer

        return self._sequential([m for node in arch for m in make(node)])

    #: the container of a network and of a Group (a library on torch: its own)
    _sequential = staticmethod(_sequential)

    def _dense(self, in_units, units, index, inits, eager):
        """One Dense layer with its construction-time initializers: ``nn.Linear`` where
        its input size is known (or with ``eager``: ``None``, torch's own refusal),
        else ``nn.LazyLinear``."""
        m = nn.Linear(in_units, units) if in_units is not None or eager else \
            nn.LazyLinear(units)
        return self._given(m, index, inits)

    def _given(self, module, index, inits):
        """Construction-time initializers: installed as the reset_parameters override;
        an eager module runs it right away (torch.nn.init after construction)."""
        if inits:
            reset = self._install(module, index, inits)
            if not _lazy(module):
                reset()
        return module

    def initialize(self, model, init=None):
        if init is not None:
            raise Unsupported("initialize/init", "torch has no initialize step to give an "
                              "initializer to (torch.nn.init acts on materialized tensors; "
                              "a lazy module's reset_parameters override is per module)")
        return model

    def materialize(self, state, x):
        state.eval()
        with torch.no_grad():
            state(torch.as_tensor(np.asarray(x)))
        return state

    def forward(self, state, x):
        state.eval()
        with torch.no_grad():
            y = state(torch.as_tensor(np.asarray(x)))
        return y.numpy(), state

    def backward_sum(self, state, x):
        state.train()
        state.zero_grad()
        state(torch.as_tensor(np.asarray(x))).sum().backward()
        # a parameter the forward never used has no gradient (grad None): left out
        return {pid: p.grad.numpy().copy() for pid, p in self._params(state).items()
                if p.grad is not None}

    def reinitialize(self, state, init, target=None):
        layers = self._layers(state)
        if target is None or isinstance(target, int):
            chosen = layers if target is None else [layers[target]]
            seen = set()
            for index, (_, m) in enumerate(layers):
                if all(m is not c for _, c in chosen) or id(m) in seen:
                    continue
                seen.add(id(m))
                if _is_bn(m):
                    # gamma/beta keep their own initializers: torch's own reset
                    if not _lazy(m):
                        m.reset_parameters()
                    continue
                # routing: the request reaches the weight; None = torch's own default
                self._reset_now_or_later(m, index if target is None else target,
                                         {"weight": None if init.kind == "default" else init})
            return state
        index, role = self._split(state, target)
        if init.kind == "default":
            raise Unsupported("reinitialize/per-parameter-default", "torch's default "
                              "initializer is the module's reset_parameters(), which draws "
                              "every parameter of the module; torch.nn.init has no per-tensor "
                              "'default'")
        m = layers[index][1]
        p = getattr(m, _roles(m)[role])
        if is_lazy(p):  # materialization calls the module's reset_parameters override
            self._install(m, index, {role: init})
        else:
            with torch.no_grad():
                self._apply(init, target, p)
        return state

    def _reset_now_or_later(self, m, index, request):
        if _lazy(m):
            self._install(m, index, request)
            return
        old = vars(m).get("reset_parameters")
        if isinstance(old, _Reset):  # the module's own reset, the weight's request on top
            _Reset(self, m, index, {**old.inits, **request})()
        else:
            m.reset_parameters()
            if request["weight"] is not None:
                with torch.no_grad():
                    self._apply(request["weight"], f"{index}.weight", m.weight)

    # -- observation -----------------------------------------------------------
    def _layers(self, net):
        return list(_walk(net))

    def _params(self, net):
        return {f"{i}.{role}": getattr(m, attr) for i, (_, m) in enumerate(_walk(net))
                for role, attr in _roles(m).items()}

    def _split(self, net, pid):
        params = self._params(net)
        if pid not in params:
            raise MissingParameter(f"no parameter {pid!r}")
        index, role = pid.split(".")
        return int(index), role

    def _param(self, net, pid):
        try:
            return self._params(net)[pid]
        except KeyError:
            raise MissingParameter(f"no parameter {pid!r}") from None

    def param_ids(self, state):
        return list(self._params(state))

    def param_shape(self, state, pid):
        return tuple(self._param(state, pid).shape)  # RuntimeError on UninitializedParameter

    def param_dtype(self, state, pid):
        return str(self._param(state, pid).dtype).replace("torch.", "")

    def read_param(self, state, pid):
        # ValueError while lazy; NotImplementedError for a meta tensor (no data)
        return self._param(state, pid).detach().cpu().numpy().copy()

    def write_param(self, state, pid, value):
        with torch.no_grad():
            self._param(state, pid).copy_(torch.as_tensor(np.asarray(value)))
        return state

    def inplace_add(self, state, pid, delta):
        with torch.no_grad():
            self._param(state, pid).add_(delta)

    def same_parameter(self, state, pid_a, pid_b):
        return self._param(state, pid_a) is self._param(state, pid_b)

    def native_name(self, state, pid):
        index, role = self._split(state, pid)
        prefix, m = self._layers(state)[index]
        return prefix + _roles(m)[role]

    def role_name(self, role):
        return BN_ROLES.get(role, role)

    def nested_lookup(self, state, path, role):
        module = state
        for i in path:
            module = _arch_children(module)[i]
        p = getattr(module, _roles(module)[role])
        return next(pid for pid, q in self._params(state).items() if q is p)

    def select_params(self, state, pattern):
        raise Unsupported("select_params/regex", "torch has no regular-expression parameter "
                          "selection (named_parameters()/get_parameter() take no pattern; "
                          "filtering names is user code)")

    def layout(self):
        return "NCHW"

    # -- persistence -----------------------------------------------------------
    def save(self, state, directory):
        path = os.path.join(directory, "net.pt")
        torch.save(state.state_dict(), path)
        return path

    def load(self, state, path):
        state.load_state_dict(torch.load(path, weights_only=True))
        return state

    # -- around lazy initialization: the optional GROUPS -------------------------
    def make_optimizer(self, state, kind, lr):
        # over the Parameter objects as they are now (UninitializedParameter
        # included): materialization keeps their identity. Adagrad's constructor
        # creates its state (torch.full_like) and refuses an UninitializedParameter.
        if kind == "sgd":  # torch defaults: momentum 0, weight_decay 0
            return torch.optim.SGD(state.parameters(), lr=lr)
        if kind == "adagrad":
            return torch.optim.Adagrad(state.parameters(), lr=lr)
        raise Unsupported(f"make_optimizer/{kind}", "only torch.optim.SGD and "
                          "torch.optim.Adagrad are mapped")

    def train_step(self, state, opt, x):
        state.train()
        opt.zero_grad()
        state(torch.as_tensor(np.asarray(x))).sum().backward()
        opt.step()  # parameters whose grad is None (frozen, unused) are skipped
        return state, opt

    def freeze(self, state, target, way="layer"):
        """``layer``: ``module.requires_grad_(False)``, which calls
        ``Tensor.requires_grad_`` on each parameter (an UninitializedParameter
        refuses it); ``parameter``: ``p.requires_grad = False`` on each of
        ``module.parameters()`` (the attribute an UninitializedParameter accepts)."""
        module = self._layers(state)[target][1]
        if way == "layer":
            module.requires_grad_(False)
        elif way == "parameter":
            for p in module.parameters():
                p.requires_grad = False
        else:
            raise Unsupported(f"freeze/{way}", "torch freezes by requires_grad: "
                              "Module.requires_grad_ or each Parameter's requires_grad")
        return state

    def copy(self, state, how):
        if how == "deepcopy":
            return copy_module.deepcopy(state)
        if how == "pickle":
            return pickle.loads(pickle.dumps(state))
        raise Unsupported(f"copy/{how}", "copy.deepcopy and pickle are mapped")

    def output_shape(self, state, input_shape):
        # FakeTensorMode(allow_non_fake_inputs=True) on an input on the parameters'
        # device: a plain FakeTensorMode refuses the UninitializedParameter (not a
        # FakeTensor); with allow_non_fake_inputs the lazy hook materializes the
        # lazy parameters as meta tensors, so the input of a lazy network must be on
        # the meta device (the network keeps those meta parameters), and that of a
        # network holding values on theirs (a meta input then meets CPU parameters:
        # FakeTensorDeviceMismatchError). A network holding both refuses either way.
        FakeTensorMode = private("torch._subclasses.fake_tensor", "FakeTensorMode")
        params = list(state.parameters())
        device = "meta" if any(is_lazy(p) for p in params) or not params else params[0].device
        state.eval()
        with torch.no_grad(), FakeTensorMode(allow_non_fake_inputs=True):
            out = state(torch.empty(tuple(input_shape), device=device))
        return tuple(int(d) for d in out.shape)

    def count_params(self, state):
        # parameters() yields a shared parameter once; numel() refuses a lazy one
        return int(sum(p.numel() for p in state.parameters()))

    def build_eager(self, arch):
        return self._construct(arch, eager=True)

    def build_abstract(self, arch, input_shape):
        """The eager modules of ``arch`` for ``input_shape`` built under
        ``torch.device("meta")``: parameters that record only metadata (PyTorch's
        meta device); ``input_shape=None``: the lazy modules (``LazyLinear``) there."""
        with torch.device("meta"):
            return self._construct(arch, input_shape)

    def materialize_abstract(self, state):
        """``to_empty(device="cpu")``, then ``reset_parameters()`` on every module
        that has one, in module order (torch's meta-device recipe)."""
        state = state.to_empty(device="cpu")
        for module in state.modules():
            if hasattr(module, "reset_parameters"):
                module.reset_parameters()
        return state

    def tie(self, state, src, dst):
        """``dst_module.<attr> = src parameter``: torch's idiom for tying one
        parameter (``lm_head.weight = embed.weight``)."""
        layers = self._layers(state)
        module = layers[int(dst.split(".")[0])][1]
        setattr(module, _roles(module)[dst.split(".")[1]], self._param(state, src))
        return state

    def shard_init(self, arch, input_shape, seed):
        """FSDP2 on 2 gloo processes (``adapters/torch_sharded.py``)."""
        from adapters.torch_sharded import shard_init
        return shard_init(arch, input_shape, seed)

    def memory_bytes(self, state):
        """Bytes of the parameters that are not on the meta device (a meta tensor's
        ``untyped_storage().nbytes()`` reports a size it never allocated)."""
        held = {id(t): t for t in self._params(state).values()}   # a Table's buffer too
        return int(sum(t.numel() * t.element_size() for t in held.values() if not t.is_meta))

    def compile(self, state):
        # the default backend (inductor); compiles at the first call, where dynamo
        # also initializes lazy modules
        return torch.compile(state)

    def cast(self, state, dtype):
        target = getattr(torch, dtype, None)
        if not isinstance(target, torch.dtype):
            raise Unsupported(f"cast/{dtype}", "no torch dtype of that name")
        return state.to(target)  # UninitializedParameter keeps the dtype for later

    # -- reports (optional, Adapter.source) -------------------------------------
    def source(self, arch, input_shape):
        """``build``'s modules as code: ``nn.LazyLinear`` / ``nn.Linear(in_units, ...)``,
        ``nn.LazyConv2d``, ``nn.LazyBatchNorm2d``, ``nn.ReLU()``; a tied layer is one
        module used twice."""
        def layer(node):
            if isinstance(node, Flatten):
                return "nn.Flatten()", [], ""
            if isinstance(node, BatchNorm):
                return "nn.LazyBatchNorm2d()", [], ""
            if isinstance(node, Conv2D):
                stride = f", stride={node.stride}" if node.stride != 1 else ""
                return f"nn.LazyConv2d({node.channels}, {node.kernel}{stride})", [], ""
            make = f"nn.Linear({node.in_units}, {node.units})" if node.in_units is not None \
                else f"nn.LazyLinear({node.units})"
            return make, ["nn.ReLU()"] * node.relu, ""

        rendered = render_layers(arch, layer)
        if rendered is None:
            return None
        setup, items = rendered
        return "\n".join(["import torch", "from torch import nn", "", *setup,
                          listing("net = nn.Sequential(", items, ")"), "net.eval()",
                          f"x = torch.rand{tuple(input_shape)}", "y = net(x)"])

    # -- errors and documentation claims ----------------------------------------
    def classify_error(self, exc):
        text = str(exc)
        if isinstance(exc, MissingParameter):
            return "missing"
        if isinstance(exc, (ValueError, RuntimeError)) and (
                "uninitialized parameter" in text):
            return "not-initialized"
        if isinstance(exc, NotImplementedError) and "meta tensor; no data" in text:
            return "not-initialized"  # a parameter materialized on the meta device
        if isinstance(exc, RuntimeError) and ("same dtype" in text or "dtype" in text):
            return "dtype-mismatch"
        if isinstance(exc, RuntimeError) and (
                "cannot be multiplied" in text or "size mismatch" in text
                or "must match the size" in text or "shape" in text
                or "channels, but got" in text):  # a convolution's input channels
            return "shape-mismatch"
        if isinstance(exc, AssertionError) and "inferred from input" in text:
            return "shape-mismatch"  # LazyLinear's check of a later input's width
        return "other"

    def doc_probe(self, claim):
        return dispatch_claim(self, claim, "torch")

    def _claim_torch_lazy_module_warning(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            nn.LazyLinear(256)
        return any("Lazy modules are a new feature" in str(w.message) for w in caught)

    def _claim_torch_uninitialized_before_data(self):
        net = nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10))
        return type(net[0].weight).__name__

    def _claim_torch_shape_after_forward(self):
        net = nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10))
        net(torch.rand(2, 20))
        return str(net[0].weight.shape)


ADAPTER = TorchAdapter
