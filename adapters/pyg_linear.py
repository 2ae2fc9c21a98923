"""PyTorch Geometric adapter: ``torch_geometric.nn.Linear`` inside
``torch_geometric.nn.Sequential`` (every optional group of the contract).

PyG is built on torch, so this adapter is the torch adapter (``adapters/torch_lazy.py``)
with PyG's layers: ``Linear(-1, units)`` where an input size is unknown ("initialized
lazily in case it is given as -1", its docstring), ``Linear(in_units, units)`` where it
is declared, each child given as ``(module, 'x -> x')`` to
``Sequential('x', [...])``; ``torch.nn.ReLU`` / ``torch.nn.Flatten`` between them, a
nested ``Sequential`` for a group, the same module twice for a tied layer, and an
unused layer a registered child (``add_module``) that the Sequential's children list
never calls. PyG has no image convolution or 2-D batch norm: ``elements`` leaves out
Conv2D and BatchNorm.

A lazy ``Linear`` holds its weight as a torch ``UninitializedParameter`` but allocates
its bias at construction (``Parameter(torch.empty(out))``); its forward pre-hook
materializes the weight at the first data and calls ``self.reset_parameters()``, which
draws both. Initializers: PyG's own constructor arguments where it has the kind
(``weight_initializer="glorot"`` for xavier, ``bias_initializer="zeros"``), else a
``reset_parameters`` override on the instance, as for torch's lazy modules
(pytorch/pytorch#125861; PyG's hook calls the instance's method): the layer's own reset,
then the requested ``torch.nn.init``-style function on its role. Everything else -- reads,
writes, ``state_dict`` saving, ``torch.optim``, ``requires_grad_``, ``copy.deepcopy`` /
``pickle``, ``FakeTensorMode`` on a meta input, ``torch.compile``, ``Module.to(dtype)``,
the meta device, parameter ties, FSDP2 -- is torch's, inherited from the torch adapter.
Differences from torch: an abstract build is materialised by ``to_empty`` and the
network's own ``reset_parameters()`` (PyG's ``Sequential`` defines one that resets its
children), and no PyG layer refuses deferral (``build_eager`` is unsupported).

``Sequential`` renders its ``forward`` from a template that imports the module that
constructed it by its file's base name (``from pyg_linear import *`` here): that import
fails for this package module and PyG silently keeps its generic
``Sequential.forward``, which calls the same children in the same order (each
construction still writes the rendered template to a new file in the temp directory).
"""
from __future__ import annotations

import torch
import torch_geometric
from torch.nn.parameter import is_lazy
from torch_geometric.nn import Linear, Sequential

from adapters.interface import Flatten, Table, Unsupported, listing, render_layers
from adapters.torch_lazy import TableModule, TorchAdapter, _Reset, _roles, _unwrap

#: contract Init kind -> PyG's own initializer name, per role (torch_geometric.nn.Linear's
#: weight_initializer / bias_initializer); other kinds go through reset_parameters
PYG_INITIALIZERS = {"weight": {"xavier": "glorot"}, "bias": {"zeros": "zeros"}}


def _lazy(module) -> bool:
    """Whether a PyG ``Linear`` still holds its weight as an ``UninitializedParameter``
    (PyG's ``is_uninitialized_parameter``; it has no ``LazyModuleMixin``)."""
    return any(is_lazy(p) for p in module.parameters(recurse=False))


def _walk(module, prefix=""):
    """``(native prefix, module)`` of the parameterised modules in forward order: a
    ``Sequential``'s children by registration (a reused module at each use, unused ones
    last, as the arch writes them)."""
    module, prefix = _unwrap(module, prefix)
    if isinstance(module, Sequential):
        for key, child in module._modules.items():
            yield from _walk(child, f"{prefix}{key}.")
    elif list(module.parameters(recurse=False)) or isinstance(module, TableModule):
        yield prefix, module


def _sequential(items):
    """``Sequential('x', [(module, 'x -> x'), ...])`` of ``[(module, unused)]``; the unused
    ones registered after it (``add_module``) under the next positional names."""
    used = [m for m, skip in items if not skip]
    net = Sequential("x", [(m, "x -> x") for m in used])
    for k, m in enumerate([m for m, skip in items if skip], start=len(used)):
        net.add_module(f"module_{k}", m)
    return net


class PygAdapter(TorchAdapter):
    name = "pyg"
    groups = ("training", "copy", "compile-cast", "abstract", "abstract-build", "sharded")
    #: no image convolution, no 2-D batch norm in torch_geometric.nn
    elements = ("Dense", "Flatten", "Group", "Table")
    #: torch's (the same torch objects and calls): the weight an UninitializedParameter
    #: (``shapeless``; the bias is allocated with its shape but drawn only at the first
    #: data), Linear(20, 256) next to Linear(-1, 10), no initialize step, ...
    capabilities = dict(TorchAdapter.capabilities)

    # -- identity --------------------------------------------------------------
    def framework_version(self):
        return torch_geometric.__version__

    def framework_config(self):
        return {**super().framework_config(), "torch": torch.__version__}

    # -- lifecycle -------------------------------------------------------------
    _sequential = staticmethod(_sequential)

    def _dense(self, in_units, units, index, inits, eager):
        """``Linear(in_units or -1, units)`` (-1: PyG's lazy size; ``eager`` is always
        False here, ``build_eager`` refuses); PyG's initializer names given at
        construction where they exist, the other kinds through ``_given``."""
        named = {f"{r}_initializer": PYG_INITIALIZERS[r][i.kind] for r, i in inits.items()
                 if i.kind in PYG_INITIALIZERS[r]}
        rest = {r: i for r, i in inits.items() if i.kind not in PYG_INITIALIZERS[r]}
        return self._given(Linear(-1 if in_units is None else in_units, units, **named),
                           index, rest)

    def _given(self, module, index, inits):
        """The kinds PyG has no name for: the reset_parameters override, run at once on
        a layer holding values (its constructor has drawn already)."""
        if inits:
            reset = self._install(module, index, inits)
            if not _lazy(module):
                reset()
        return module

    def _reset_now_or_later(self, m, index, request):
        """A lazy layer: the request in its reset_parameters override (PyG's hook calls
        it at the first data); else the layer's own reset (PyG's ``reset_parameters``
        re-runs the initializers it was built with) and the request on the weight."""
        if _lazy(m):
            self._install(m, index, request)
            return
        old = vars(m).get("reset_parameters")
        if isinstance(old, _Reset):
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

    # -- around lazy initialization --------------------------------------------
    def build_eager(self, arch):
        raise Unsupported("build_eager", "PyG spells an unknown input size in_channels=-1 "
                          "(any value <= 0), which is its lazy mode: torch_geometric.nn.Linear"
                          "(-1, n) and Linear(0, n) both defer the weight; in_channels is an "
                          "int (Linear(None, n) is a TypeError of the comparison, not a "
                          "refusal of deferral); no PyG layer refuses deferral")

    def materialize_abstract(self, state):
        """``to_empty(device="cpu")``, then the network's ``reset_parameters()``: PyG's
        ``Sequential`` defines one that resets each child that has one (the FSDP2
        error's recipe: ``module.to_empty(device)``, then ``module.reset_parameters()``)."""
        state = state.to_empty(device="cpu")
        state.reset_parameters()
        return state

    def shard_init(self, arch, input_shape, seed):
        """FSDP2 on 2 gloo processes (``adapters/torch_sharded.py``) over this adapter."""
        from adapters.torch_sharded import shard_init
        return shard_init(arch, input_shape, seed, adapter=f"{__name__}:PygAdapter")

    # -- reports (optional, Adapter.source) -------------------------------------
    def source(self, arch, input_shape):
        """``build``'s modules as code: ``Linear(-1 | in_units, units)``, ``ReLU()``,
        ``Flatten()``, each as ``(module, 'x -> x')`` in ``Sequential('x', [...])``; a
        tied layer is one module used twice."""
        if any(isinstance(n, Table) for n in arch):
            return None

        def layer(node):
            if isinstance(node, Flatten):
                return "torch.nn.Flatten()", [], ""
            size = node.in_units if node.in_units is not None else -1
            return f"Linear({size}, {node.units})", ["torch.nn.ReLU()"] * node.relu, ""

        rendered = render_layers(arch, layer)
        if rendered is None:
            return None
        setup, items = rendered
        items = [f"({item}, 'x -> x')" for item in items]
        return "\n".join(["import torch", "from torch_geometric.nn import Linear, Sequential",
                          "", *setup, listing("net = Sequential('x', [", items, "])"),
                          "net.eval()", f"x = torch.rand{tuple(input_shape)}", "y = net(x)"])

    # -- documentation claims ----------------------------------------------------
    def doc_probe(self, claim):
        raise Unsupported("doc_probe", f"claim {claim!r} is not about pyg (the catalogue "
                          "holds no PyG documentation claim)")


ADAPTER = PygAdapter
