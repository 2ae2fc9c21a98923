"""What a check's observation went through: the adapter operations it used, named
as *uses* -- ``build``, ``build(weight_init)``, ``arch[BatchNorm]``,
``reinitialize(target=layer)``, ``copy(pickle)``, ``capability:init_step`` -- the
same vocabulary the adapter self-tests cover (``conformance/selftest.py``). A check
one of whose uses a failed self-test covers is ``blocked`` (an adapter fault)."""
from __future__ import annotations

import inspect

from adapters.interface import OPERATIONS, Adapter, Conv2D, Dense, Group, leaves

#: operation -> the argument whose value names the variant used
VARIANTS = {"copy": "how", "make_optimizer": "kind", "cast": "dtype", "freeze": "way"}
#: operation -> the arguments whose presence (not None) is a use of their own
PRESENT = {"build": ("input_shape", "weight_init", "bias_init"), "initialize": ("init",)}
_SIGNATURES = {op: inspect.signature(getattr(Adapter, op)) for op in OPERATIONS}


def arch_uses(arch) -> set:
    """``arch[<layer type>]`` for each kind of layer, ``arch[in_units]``,
    ``arch[share]``, ``arch[unused]`` and ``arch[Group]`` where present."""
    out = {"arch[Group]"} if any(isinstance(n, Group) for n in arch) else set()
    for node in leaves(arch):
        out.add(f"arch[{type(node).__name__}]")
        if isinstance(node, Dense):
            out |= {f"arch[{f}]" for f in ("in_units", "share", "unused")
                    if getattr(node, f)}
        elif isinstance(node, Conv2D) and node.stride > 1:
            out.add("arch[stride]")
    return out


def uses_of(op: str, args: tuple, kwargs: dict) -> set:
    """The uses of one adapter call ``op(*args, **kwargs)`` (``self`` not included)."""
    try:
        bound = _SIGNATURES[op].bind(None, *args, **kwargs)
    except TypeError:   # the harness called it wrongly: the call itself will say so
        return {op}
    bound.apply_defaults()
    a = bound.arguments
    out = {op} | {f"{op}({name})" for name in PRESENT.get(op, ()) if a.get(name) is not None}
    if op in VARIANTS and a.get(VARIANTS[op]) is not None:
        out.add(f"{op}({a[VARIANTS[op]]})")
    if op in ("build", "build_eager"):
        out |= arch_uses(a["arch"])
    if op == "reinitialize":
        target = a["target"]
        out.add("reinitialize(target=%s)" % ("network" if target is None else
                                             "parameter" if isinstance(target, str) else "layer"))
    return out


class Traced:
    """``fw`` whose every contract operation reports its uses to ``use`` first; all
    else (capabilities, name, helpers) is the adapter's own."""

    def __init__(self, fw, use):
        self._fw, self._use = fw, use

    def __getattr__(self, name):
        attr = getattr(self._fw, name)
        if name not in _SIGNATURES or not callable(attr):
            return attr

        def operation(*args, **kwargs):
            for u in uses_of(name, args, kwargs):
                self._use(u)
            return attr(*args, **kwargs)
        return operation
