"""What a check's observation went through: the adapter operations it used, named
as *uses* -- ``build``, ``build(weight_init)``, ``arch[BatchNorm]``,
``reinitialize(target=layer)``, ``copy(pickle)``, ``capability:init_step`` -- the
same vocabulary the adapter self-tests cover (``conformance/selftest.py``). A check
one of whose uses a failed self-test covers is ``blocked`` (an adapter fault)."""
from __future__ import annotations

import inspect
import time

from adapters.interface import (GROUP_OF, OPERATIONS, Adapter, Conv2D, Dense, Group,
                                MissingGroup, groups_of, leaves)

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
    if op in ("build", "build_eager", "build_abstract", "shard_init"):
        out |= arch_uses(a["arch"])
    if op == "reinitialize":
        target = a["target"]
        out.add("reinitialize(target=%s)" % ("network" if target is None else
                                             "parameter" if isinstance(target, str) else "layer"))
    return out


class Clock:
    """Wall seconds spent inside adapter operations: the framework's own calls (an
    adapter operation is a thin mapping onto the framework's API). Only the
    outermost operation is timed: an operation entered while another runs (an
    adapter or a callback calling back through a ``Traced`` proxy) is not counted
    twice. ``seconds`` accumulates; ``lap()`` gives the seconds since the last lap."""

    def __init__(self):
        self.seconds, self._depth, self._lapped = 0.0, 0, 0.0

    def call(self, fn, args=(), kwargs=None):
        kwargs = kwargs or {}
        if self._depth:
            return fn(*args, **kwargs)
        self._depth = 1
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - t0
            self._depth = 0

    def lap(self) -> float:
        lapped, self._lapped = self.seconds - self._lapped, self.seconds
        return lapped


class Traced:
    """``fw`` whose every contract operation reports its uses to ``use`` first; all
    else (capabilities, name, helpers) is the adapter's own. With a ``clock``
    (``Clock``) the operations' wall time is added to it (bench/run.py: the floor).
    An operation of an optional group the adapter does not map raises
    ``MissingGroup`` (the check that needs it is n/a naming the group)."""

    def __init__(self, fw, use, clock=None):
        self._fw, self._use, self._clock = fw, use, clock
        self._groups = groups_of(fw)

    @property
    def __wrapped__(self):
        """The adapter itself (``recorder.adapter_files``: whose bug is an error)."""
        return self._fw

    def __getattr__(self, name):
        attr = getattr(self._fw, name)
        if name not in _SIGNATURES or not callable(attr):
            return attr
        clock = self._clock
        if name in GROUP_OF and GROUP_OF[name] not in self._groups:
            def missing(*args, **kwargs):
                raise MissingGroup(name, GROUP_OF[name], self._fw.name)
            return missing

        def operation(*args, **kwargs):
            for u in uses_of(name, args, kwargs):
                self._use(u)
            if clock is None:
                return attr(*args, **kwargs)
            return clock.call(attr, args, kwargs)
        return operation
