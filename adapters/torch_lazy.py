"""PyTorch adapter: ``nn.LazyLinear`` & co. (no input dims) or ``nn.Linear`` (given).

Torch has no "register an initializer" call: a lazy module materializes its
``UninitializedParameter`` s at the first forward and then runs its
``reset_parameters()``; overriding that method on the instance is the way the
maintainers give to choose a lazy module's initializer (pytorch/pytorch#125861).
So ``initialize``:
* ``init=None``: nothing (``force``: the class's ``reset_parameters()`` again);
* an initializer: applied at once with ``torch.nn.init`` to every shaped target
  parameter, and installed as ``reset_parameters`` of every still-lazy target
  module. Torch dispatches nothing by weight/bias role and has no ``force``
  guard. Layouts are already the reference's (out, in[, kh, kw]).
"""
from __future__ import annotations

import os
import warnings

import numpy as np
import torch
from torch import nn
from torch.nn.parameter import UninitializedParameter

from adapters.interface import Adapter, MissingParameter, Unsupported, dispatch_claim

BN_ROLES = {"weight": "gamma", "bias": "beta"}


def _layers(module):
    """Parameterised modules in forward order; a reused module appears at each use."""
    if isinstance(module, nn.Sequential):
        return [leaf for child in module for leaf in _layers(child)]
    return [module] if list(module.parameters(recurse=False)) else []


def _roles(layer):
    bn = isinstance(layer, nn.modules.batchnorm._BatchNorm)
    return {(BN_ROLES[n] if bn else n): n for n, _ in layer.named_parameters(recurse=False)}


def _deferred(apply, i, m, roles):
    def reset_parameters():
        with torch.no_grad():
            apply(i, m, roles)
    return reset_parameters


class TorchAdapter(Adapter):
    name = "torch"
    unsupported = {"select_params": "no regular-expression parameter selection"}

    def __init__(self):
        self.rng = np.random.default_rng(0)

    def framework_version(self):
        return torch.__version__

    def seed(self, n):
        torch.manual_seed(n)
        self.rng = np.random.default_rng(n)

    def build_mlp(self, in_units=None, first_only=False):
        first = nn.Linear(in_units, 256) if in_units else nn.LazyLinear(256)
        second = nn.Linear(256, 10) if in_units and not first_only else nn.LazyLinear(10)
        return nn.Sequential(first, nn.ReLU(), second)

    def build_tied(self):
        shared = nn.LazyLinear(8)  # torch ties by reusing the module
        return nn.Sequential(nn.LazyLinear(8), nn.ReLU(), shared, nn.ReLU(), shared,
                             nn.ReLU(), nn.LazyLinear(10))

    def build_nested(self):
        def block1():
            return nn.Sequential(nn.LazyLinear(32), nn.ReLU(), nn.LazyLinear(16), nn.ReLU())

        return nn.Sequential(nn.Sequential(*[block1() for _ in range(4)]), nn.LazyLinear(10))

    def build_conv(self):
        return nn.Sequential(nn.LazyConv2d(16, 3), nn.LazyBatchNorm2d(), nn.Flatten(),
                             nn.LazyLinear(10))

    def layout(self):
        return "NCHW"

    def _params(self, net):
        return {f"{i}.{role}": getattr(layer, attr) for i, layer in enumerate(_layers(net))
                for role, attr in _roles(layer).items()}

    def _param(self, net, pid):
        try:
            return self._params(net)[pid]
        except KeyError:
            raise MissingParameter(f"no parameter {pid!r}") from None

    def param_ids(self, net):
        return list(self._params(net))

    def param_shape(self, net, pid):
        return tuple(self._param(net, pid).shape)  # raises on an UninitializedParameter

    def param_dtype(self, net, pid):
        return str(self._param(net, pid).dtype).replace("torch.", "")

    def native_name(self, net, pid):
        p = self._param(net, pid)
        return next(n for n, q in net.named_parameters(remove_duplicate=False) if q is p)

    def nested_lookup(self, net, path, role):
        module = net
        for i in path:
            module = module[i]
        p = getattr(module, _roles(module)[role])
        return next(pid for pid, q in self._params(net).items() if q is p)

    def select_params(self, net, pattern):
        raise Unsupported("torch has no regular-expression parameter selection; "
                          "filtering named_parameters() is user code")

    def read_param(self, net, pid):
        return self._param(net, pid).detach().numpy().copy()

    def write_param(self, net, pid, value):
        with torch.no_grad():
            self._param(net, pid).copy_(torch.as_tensor(np.asarray(value)))

    def inplace_add(self, net, pid, delta):
        self._param(net, pid).data += delta

    def _init_fn(self, init):
        if init.kind in ("recording", "seed-custom"):
            def user_init(pid, p):
                init.log.append((pid, tuple(p.shape)))
                if init.kind == "recording":
                    p.copy_(torch.as_tensor(self.rng.uniform(-0.5, 0.5, tuple(p.shape))))
                else:  # the seeds' MyInit in torch (d2l's my_init)
                    nn.init.uniform_(p, -10, 10)
                    p.mul_(p.abs() >= 5)
            return user_init
        fns = {"constant": lambda p: nn.init.constant_(p, init.value),
               "normal": lambda p: nn.init.normal_(p, std=init.value),
               "uniform": lambda p: nn.init.uniform_(p, -init.value, init.value),
               "xavier": nn.init.xavier_uniform_}
        return lambda pid, p: fns[init.kind](p)

    def _targets(self, net, target):
        """``[(layer index, module, roles)]`` that ``target`` covers."""
        layers = list(enumerate(_layers(net)))
        if target is None:
            return [(i, m, None) for i, m in layers]
        if isinstance(target, int):
            return [(target, layers[target][1], None)]
        index, role = target.split(".")
        return [(int(index), layers[int(index)][1], {role})]

    def initialize(self, net, init=None, force=False, target=None):
        targets = self._targets(net, target)
        if init is None or init.kind == "default":
            if force:
                for _, m, _ in targets:
                    vars(m).pop("reset_parameters", None)  # back to the class's own
                    m.reset_parameters()
            return []
        fn, seen = self._init_fn(init), set()

        def apply(i, m, roles):
            for role, attr in _roles(m).items():
                p = getattr(m, attr)
                if (roles is None or role in roles) and id(p) not in seen:
                    seen.add(id(p))
                    fn(f"{i}.{role}", p)

        with torch.no_grad():
            for i, m, roles in targets:
                if any(isinstance(p, UninitializedParameter) for p in m.parameters(False)):
                    # the maintainers' way (pytorch/pytorch#125861): override the instance's
                    # reset_parameters(), which materialization calls at the first forward
                    m.reset_parameters = _deferred(apply, i, m, roles)
                else:
                    apply(i, m, roles)
        return []

    def forward(self, net, x):
        net.eval()
        with torch.no_grad():
            return net(torch.as_tensor(x)).numpy()

    def backward_sum(self, net, x):
        net.zero_grad()
        net(torch.as_tensor(x)).sum().backward()
        return {pid: p.grad.numpy().copy() for pid, p in self._params(net).items()}

    def same_object(self, net, pid_a, pid_b):
        return self._param(net, pid_a) is self._param(net, pid_b)

    def save(self, net, directory):
        path = os.path.join(directory, "net.pt")
        torch.save(net.state_dict(), path)
        return path

    def load(self, net, path):
        net.load_state_dict(torch.load(path, weights_only=True))

    def doc_probe(self, claim):
        return dispatch_claim(self, claim, "PyTorch")

    def _claim_torch_lazy_module_warning(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            nn.LazyLinear(256)
        return any("Lazy modules are a new feature" in str(w.message) for w in caught)

    def _claim_torch_uninitialized_before_data(self):
        return type(self.build_mlp()[0].weight).__name__

    def _claim_torch_shape_after_forward(self):
        net = self.build_mlp()
        net(torch.rand(2, 20))
        return str(net[0].weight.shape)

    def classify_error(self, exc):
        text = str(exc)
        if isinstance(exc, MissingParameter):
            return "missing"
        if "uninitialized parameter" in text:
            return "not-initialized"
        if isinstance(exc, RuntimeError) and "dtype" in text:
            return "dtype-mismatch"
        if isinstance(exc, RuntimeError) and "shape" in text:
            return "shape-mismatch"
        return "other"


ADAPTER = TorchAdapter
