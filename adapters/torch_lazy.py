"""PyTorch adapter: ``nn.LazyLinear`` (no input dims) or ``nn.Linear`` (all given).

Torch has no "register an initializer" step: a lazy module materializes its
``UninitializedParameter`` s at the first forward and runs its own
``reset_parameters()``. So ``initialize``:
* ``init=None``: nothing (``force``: ``reset_parameters()`` of shaped layers);
* an initializer on a network with uninitialized parameters: ``Unsupported``,
  quoting the error torch raises when ``torch.nn.init`` meets one;
* an initializer on shaped parameters: applied at once to every parameter with
  ``torch.nn.init`` (torch dispatches nothing by weight/bias role, and has no
  ``force`` guard). Weight layout is already (out, in).
"""
from __future__ import annotations

import re

import numpy as np
import torch
from torch import nn
from torch.nn.parameter import UninitializedParameter

from adapters.interface import Adapter, Init, MissingParameter, Unsupported


class TorchAdapter(Adapter):
    name = "torch"
    unsupported = {"initialize": "no deferred-initializer registration for lazy modules"}

    def __init__(self):
        self.rng = np.random.default_rng(0)

    def framework_version(self):
        return torch.__version__

    def seed(self, n):
        torch.manual_seed(n)
        self.rng = np.random.default_rng(n)

    def build_mlp(self, in_units=None):
        if in_units:
            return nn.Sequential(nn.Linear(in_units, 256), nn.ReLU(), nn.Linear(256, 10))
        return nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10))

    def build_tied(self):
        shared = nn.LazyLinear(8)  # torch ties by reusing the module
        return nn.Sequential(nn.LazyLinear(8), nn.ReLU(), shared, nn.ReLU(), shared,
                             nn.ReLU(), nn.LazyLinear(10))

    def _layers(self, net):
        return [m for m in net if hasattr(m, "weight")]

    def _params(self, net):
        return {f"{i}.{role}": getattr(m, role)
                for i, m in enumerate(self._layers(net)) for role in ("weight", "bias")}

    def _param(self, net, pid):
        try:
            return self._params(net)[pid]
        except KeyError:
            raise MissingParameter(f"no parameter {pid!r}") from None

    def param_ids(self, net):
        return list(self._params(net))

    def param_shape(self, net, pid):
        return tuple(self._param(net, pid).shape)  # raises on an UninitializedParameter

    def native_name(self, net, pid):
        p = self._param(net, pid)
        return next(n for n, q in net.named_parameters(remove_duplicate=False) if q is p)

    def read_param(self, net, pid):
        return self._param(net, pid).detach().numpy().copy()

    def write_param(self, net, pid, value):
        with torch.no_grad():
            self._param(net, pid).copy_(torch.as_tensor(np.asarray(value)))

    def _init_fn(self, init):
        if init.kind == "recording":
            def record(pid, p):
                init.log.append((pid, tuple(p.shape)))
                p.copy_(torch.as_tensor(self.rng.uniform(-0.5, 0.5, tuple(p.shape))))
            return record
        fns = {"constant": lambda p: nn.init.constant_(p, init.value),
               "normal": lambda p: nn.init.normal_(p, std=init.value),
               "uniform": lambda p: nn.init.uniform_(p, -init.value, init.value),
               "xavier": nn.init.xavier_uniform_}
        return lambda pid, p: fns[init.kind](p)

    def initialize(self, net, init=None, force=False):
        if init is None or init.kind == "default":
            if force:
                for m in self._layers(net):
                    m.reset_parameters()
            return []
        params = self._params(net)
        lazy = [p for p in params.values() if isinstance(p, UninitializedParameter)]
        if lazy:
            try:
                with torch.no_grad():
                    nn.init.uniform_(lazy[0])
                why = "torch.nn.init accepted an UninitializedParameter"
            except Exception as exc:  # noqa: BLE001 - quoting torch's own refusal
                why = re.sub(r" at 0x[0-9a-f]+", "", f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
            raise Unsupported("torch has no deferred-initializer registration; "
                              f"torch.nn.init on an UninitializedParameter raises {why}")
        fn, seen = self._init_fn(init), set()
        with torch.no_grad():
            for pid, p in params.items():
                if id(p) not in seen:
                    seen.add(id(p))
                    fn(pid, p)
        return []

    def forward(self, net, x):
        with torch.no_grad():
            return net(torch.as_tensor(x)).numpy()

    def backward_sum(self, net, x):
        net.zero_grad()
        net(torch.as_tensor(x)).sum().backward()
        return {pid: p.grad.numpy().copy() for pid, p in self._params(net).items()}

    def same_object(self, net, pid_a, pid_b):
        return self._param(net, pid_a) is self._param(net, pid_b)

    def classify_error(self, exc):
        text = str(exc)
        if isinstance(exc, MissingParameter):
            return "missing"
        if "uninitialized parameter" in text:
            return "not-initialized"
        if isinstance(exc, RuntimeError) and "shape" in text:
            return "shape-mismatch"
        return "other"


ADAPTER = TorchAdapter
