"""MXNet 1.9 Gluon adapter: ``gluon.nn.Dense``, ``Block.initialize``, ``mxnet.init``.

The reference semantics come from this framework's tutorials, so this adapter is
a direct translation: ``initialize`` is ``Block/Parameter.initialize(init,
force_reinit)``, reads are ``Parameter.data()``, writes ``Parameter.set_data``.
MXNet 1.x marks an unknown dimension with 0 (2.x: -1); both are reported as
``None``. Inputs keep their numpy dtype (``nd.array(x, dtype=x.dtype)``).
"""
from __future__ import annotations

import os
import re
import warnings

import mxnet as mx
import numpy as np
from mxnet import autograd, nd
from mxnet.gluon import nn
from mxnet.gluon.parameter import DeferredInitializationError

from adapters.interface import Adapter, Init, MissingParameter, dispatch_claim

ROLES = ("weight", "bias", "gamma", "beta")


def _user_init(init, names):
    """The seeds' way to write an initializer: subclass and override _init_weight."""
    class UserInit(mx.init.Initializer):
        def _init_weight(self, name, arr):
            init.log.append((names.get(str(name), str(name)), tuple(arr.shape)))
            if init.kind == "recording":
                arr[:] = nd.random.uniform(-0.5, 0.5, shape=arr.shape)
            else:  # the seeds' MyInit, verbatim
                arr[:] = nd.random.uniform(low=-10, high=10, shape=arr.shape)
                arr *= arr.abs() >= 5

    return UserInit()


def _layers(block):
    """Parameterised blocks in forward order, descending into Sequential."""
    if isinstance(block, nn.Sequential):
        return [leaf for i in range(len(block)) for leaf in _layers(block[i])]
    return [block]


class MXNetAdapter(Adapter):
    name = "mxnet"

    def framework_version(self):
        return mx.__version__

    def seed(self, n):
        mx.random.seed(n)

    def build_mlp(self, in_units=None, first_only=False):
        net = nn.Sequential()
        net.add(nn.Dense(256, activation="relu", in_units=in_units or 0),
                nn.Dense(10, in_units=256 if in_units and not first_only else 0))
        return net

    def build_tied(self):
        shared = nn.Dense(8, activation="relu")
        net = nn.Sequential()
        net.add(nn.Dense(8, activation="relu"), shared,
                nn.Dense(8, activation="relu", params=shared.params), nn.Dense(10))
        return net

    def build_nested(self):
        def block1():
            net = nn.Sequential()
            net.add(nn.Dense(32, activation="relu"), nn.Dense(16, activation="relu"))
            return net

        block2 = nn.Sequential()
        for _ in range(4):
            block2.add(block1())
        rgnet = nn.Sequential()
        rgnet.add(block2, nn.Dense(10))
        return rgnet

    def build_conv(self):
        net = nn.Sequential()
        net.add(nn.Conv2D(16, kernel_size=3), nn.BatchNorm(), nn.Dense(10))
        return net

    def layout(self):
        return "NCHW"

    def _params(self, net):
        return {f"{i}.{role}": getattr(layer, role) for i, layer in enumerate(_layers(net))
                for role in ROLES if isinstance(getattr(layer, role, None), mx.gluon.Parameter)}

    def _param(self, net, pid):
        try:
            return self._params(net)[pid]
        except KeyError:
            raise MissingParameter(f"no parameter {pid!r}") from None

    def _pid_of(self, net, param):
        return next(pid for pid, p in self._params(net).items() if p is param)

    def param_ids(self, net):
        return list(self._params(net))

    def param_shape(self, net, pid):
        return tuple(None if d in (0, -1) else d for d in self._param(net, pid).shape)

    def param_dtype(self, net, pid):
        return np.dtype(self._param(net, pid).dtype).name

    def native_name(self, net, pid):
        return self._param(net, pid).name

    def nested_lookup(self, net, path, role):
        block = net
        for i in path:
            block = block[i]
        return self._pid_of(net, getattr(block, role))

    def select_params(self, net, pattern):
        return [self._pid_of(net, p) for p in net.collect_params(pattern).values()]

    def read_param(self, net, pid):
        return self._param(net, pid).data().asnumpy()

    def write_param(self, net, pid, value):
        self._param(net, pid).set_data(nd.array(value))

    def inplace_add(self, net, pid, delta):
        self._param(net, pid).data()[:] += delta

    def _native_init(self, net, init):
        init = init or Init()
        if init.kind in ("recording", "seed-custom"):
            names = {p.name: pid for pid, p in reversed(self._params(net).items())}
            return _user_init(init, names)
        return {"default": mx.init.Uniform(), "constant": mx.init.Constant(init.value),
                "normal": mx.init.Normal(init.value), "uniform": mx.init.Uniform(init.value),
                "xavier": mx.init.Xavier()}[init.kind]

    def initialize(self, net, init=None, force=False, target=None):
        if target is None:
            obj = net
        elif isinstance(target, int):
            obj = _layers(net)[target]
        else:
            obj = self._param(net, target)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            obj.initialize(self._native_init(net, init), force_reinit=force)
        return [str(w.message) for w in caught]

    def forward(self, net, x):
        return net(nd.array(x, dtype=x.dtype)).asnumpy()

    def backward_sum(self, net, x):
        with autograd.record():
            out = net(nd.array(x, dtype=x.dtype))
        out.backward()
        return {pid: p.grad().asnumpy() for pid, p in self._params(net).items()}

    def same_object(self, net, pid_a, pid_b):
        return self._param(net, pid_a) is self._param(net, pid_b)

    def save(self, net, directory):
        path = os.path.join(directory, "net.params")
        net.save_parameters(path)
        return path

    def load(self, net, path):
        net.load_parameters(path)  # MXNet's own NDArray format: no pickle

    def doc_probe(self, claim):
        return dispatch_claim(self, claim, "MXNet")

    def _claim_mxnet_unknown_dim_shown_as_none(self):
        return re.search(r"Dense\((\S+) -> 256", str(self.build_mlp())).group(1)

    def _claim_mxnet_unknown_dim_is_minus_one(self):
        return self.build_mlp()[0].weight.shape[1]

    def _claim_mxnet_data_before_initialize_raises(self):
        try:
            self.build_mlp()[0].weight.data()
        except Exception as exc:  # noqa: BLE001 - the claim is about the class
            return type(exc).__name__
        return "no error"

    def _claim_mxnet_initialize_changes_nothing(self):
        net = self.build_mlp()
        before = str(net.collect_params())
        net.initialize()
        return str(net.collect_params()) == before

    def _claim_mxnet_listing_after_forward(self):
        net = self.build_mlp()
        net.initialize()
        net(nd.ones((2, 20)))
        return re.sub(r"^Parameter \S+ ", "", str(net[0].weight))

    def _claim_mxnet_default_init(self):
        net = self.build_mlp()
        net.initialize()
        net(nd.ones((2, 20)))
        return [float(np.abs(net[0].weight.data().asnumpy()).max()) <= 0.07,
                bool((net[0].bias.data().asnumpy() == 0).all())]

    def _claim_mxnet_constant_one_sets_all(self):
        net = self.build_mlp(in_units=20)
        net.initialize(mx.init.Constant(1))
        return all(bool((p.data().asnumpy() == 1).all()) for p in self._params(net).values())

    def _claim_mxnet_grad_zero_before_backward(self):
        net = self.build_mlp(in_units=20)
        net.initialize()
        return bool((net[0].weight.grad().asnumpy() == 0).all())

    def classify_error(self, exc):
        text = str(exc)
        if isinstance(exc, DeferredInitializationError):
            return "deferred-init"
        if isinstance(exc, MissingParameter):
            return "missing"
        if isinstance(exc, (RuntimeError, AssertionError)) and "has not been initialized" in text:
            return "not-initialized"
        if isinstance(exc, mx.base.MXNetError):
            if "shape" in text.lower():  # "Shape inconsistent, Provided = [256,20], ..."
                return "shape-mismatch"
            if "expected float" in text or "dtype" in text.lower():
                return "dtype-mismatch"
        return "other"


ADAPTER = MXNetAdapter
