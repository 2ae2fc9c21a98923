"""MXNet 1.9 Gluon adapter: ``gluon.nn.Dense``, ``Block.initialize``, ``mxnet.init``.

The reference semantics come from this framework's tutorials, so this adapter is
a direct translation: ``initialize`` is ``net.initialize(init, force_reinit)``,
reads are ``Parameter.data()``, writes ``Parameter.set_data``. MXNet 1.x marks an
unknown dimension with 0 (2.x: -1); both are reported as ``None``.
"""
from __future__ import annotations

import warnings

import mxnet as mx
import numpy as np
from mxnet import autograd, nd
from mxnet.gluon import nn
from mxnet.gluon.parameter import DeferredInitializationError

from adapters.interface import Adapter, Init, MissingParameter


def _recording(log, names):
    class Recording(mx.init.Initializer):
        """The seeds' PrintInit: overrides ``_init_weight`` and logs each call."""

        def _init_weight(self, name, arr):
            log.append((names.get(str(name), str(name)), tuple(arr.shape)))
            arr[:] = nd.random.uniform(-0.5, 0.5, shape=arr.shape)

    return Recording()


class MXNetAdapter(Adapter):
    name = "mxnet"

    def framework_version(self):
        return mx.__version__

    def seed(self, n):
        mx.random.seed(n)

    def build_mlp(self, in_units=None):
        net = nn.Sequential()
        net.add(nn.Dense(256, activation="relu", in_units=in_units or 0),
                nn.Dense(10, in_units=256 if in_units else 0))
        return net

    def build_tied(self):
        shared = nn.Dense(8, activation="relu")
        net = nn.Sequential()
        net.add(nn.Dense(8, activation="relu"), shared,
                nn.Dense(8, activation="relu", params=shared.params), nn.Dense(10))
        return net

    def _params(self, net):
        return {f"{i}.{role}": getattr(net[i], role)
                for i in range(len(net)) for role in ("weight", "bias")}

    def _param(self, net, pid):
        try:
            return self._params(net)[pid]
        except KeyError:
            raise MissingParameter(f"no parameter {pid!r}") from None

    def param_ids(self, net):
        return list(self._params(net))

    def param_shape(self, net, pid):
        return tuple(None if d in (0, -1) else d for d in self._param(net, pid).shape)

    def native_name(self, net, pid):
        return self._param(net, pid).name

    def read_param(self, net, pid):
        return self._param(net, pid).data().asnumpy()

    def write_param(self, net, pid, value):
        self._param(net, pid).set_data(nd.array(value))

    def _native_init(self, net, init):
        init = init or Init()
        kind = init.kind
        if kind == "recording":
            names = {p.name: pid for pid, p in reversed(self._params(net).items())}
            return _recording(init.log, names)
        return {"default": mx.init.Uniform(), "constant": mx.init.Constant(init.value),
                "normal": mx.init.Normal(init.value), "uniform": mx.init.Uniform(init.value),
                "xavier": mx.init.Xavier()}[kind]

    def initialize(self, net, init=None, force=False):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            net.initialize(self._native_init(net, init), force_reinit=force)
        return [str(w.message) for w in caught]

    def forward(self, net, x):
        return net(nd.array(x)).asnumpy()

    def backward_sum(self, net, x):
        with autograd.record():
            out = net(nd.array(x))
        out.backward()
        return {pid: p.grad().asnumpy() for pid, p in self._params(net).items()}

    def same_object(self, net, pid_a, pid_b):
        return self._param(net, pid_a) is self._param(net, pid_b)

    def classify_error(self, exc):
        text = str(exc)
        if isinstance(exc, DeferredInitializationError):
            return "deferred-init"
        if isinstance(exc, MissingParameter):
            return "missing"
        if isinstance(exc, RuntimeError) and "has not been initialized" in text:
            return "not-initialized"
        if isinstance(exc, mx.base.MXNetError) and "shape" in text.lower():
            return "shape-mismatch"
        return "other"


ADAPTER = MXNetAdapter
