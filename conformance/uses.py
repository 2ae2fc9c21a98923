"""What a check's observation went through: the adapter operations it used, named
as *uses* -- ``build``, ``build(weight_init)``, ``arch[BatchNorm]``,
``reinitialize(target=layer)``, ``copy(pickle)``, ``init(xavier)``,
``capability:init_step`` -- the same vocabulary the adapter self-tests cover
(``conformance/selftests``). A check one of whose uses a failed self-test covers is
``blocked`` (an adapter fault); so is one that went through a core operation the
adapter refused (``Traced.refusals``: ``Unsupported`` from ``CORE``)."""
from __future__ import annotations

import inspect
import time

from adapters.interface import (CAPABILITIES, CORE, ELEMENTS, GROUP_OF, INIT_KINDS, OPERATIONS,
                                Conv2D, Dense, Init, MissingElement,
                                MissingGroup, MissingInput, Unsupported, elements_of,
                                groups_of, leaves, needs_input)
from adapters.signatures import DECLARED

#: operation -> (the argument whose value names the variant used, its values)
VARIANTS = {"copy": ("how", ("deepcopy", "pickle")),
            "make_optimizer": ("kind", ("sgd", "adagrad")),
            "cast": ("dtype", ("float64", "float16")),
            "freeze": ("way", ("layer", "parameter"))}
#: operation -> the arguments whose presence (not None) is a use of their own
PRESENT = {"build": ("input_shape", "weight_init", "bias_init"), "initialize": ("init",)}
TARGETS = ("network", "layer", "parameter")
#: the arch features that are uses of their own besides the element names
FEATURES = ("in_units", "share", "unused", "stride")
BUILDS = ("build", "build_eager", "build_abstract", "shard_init")


def vocabulary() -> set:
    """Every use the harness can trace: what the self-tests must cover together."""
    out = set(OPERATIONS)
    out |= {f"{op}({v})" for op, (_, values) in VARIANTS.items() for v in values}
    out |= {f"{op}({a})" for op, args in PRESENT.items() for a in args}
    out |= {f"reinitialize(target={t})" for t in TARGETS}
    out |= {f"arch[{e}]" for e in (*ELEMENTS, *FEATURES)}
    out |= {f"init({k})" for k in INIT_KINDS}
    return out | {f"capability:{c}" for c in CAPABILITIES}


def arch_uses(arch) -> set:
    """``arch[<element>]`` for each element used, ``arch[in_units]``, ``arch[share]``,
    ``arch[unused]`` and ``arch[stride]`` where present."""
    out = {f"arch[{e}]" for e in elements_of(arch)}
    for node in leaves(arch):
        if isinstance(node, Dense):
            out |= {f"arch[{f}]" for f in ("in_units", "share", "unused")
                    if getattr(node, f)}
        elif isinstance(node, Conv2D) and node.stride > 1:
            out.add("arch[stride]")
    return out


def _plain(signature: inspect.Signature) -> tuple | None:
    """(parameter names, their defaults) of a declaration whose every parameter is
    positional-or-keyword (all of them today), else None."""
    params = list(signature.parameters.values())
    if any(p.kind is not p.POSITIONAL_OR_KEYWORD for p in params):
        return None
    return (tuple(p.name for p in params),
            {p.name: p.default for p in params if p.default is not p.empty})


#: operation -> ``_plain`` of its declaration: ``arguments`` binds those itself
PLAIN = {op: _plain(signature) for op, signature in DECLARED.items()}


def arguments(op: str, args: tuple, kwargs: dict) -> dict | None:
    """The arguments of one adapter call ``op(*args, **kwargs)`` by name in declared
    order, defaults applied (``self`` bound to None), as ``Signature.bind`` +
    ``apply_defaults`` give them; None when the harness called it wrongly (the call
    itself will say so). Bound once per call, by hand where the declaration is
    ``PLAIN`` (``Signature.bind`` was the cost of a traced call)."""
    plain = PLAIN[op]
    if plain is None:
        try:
            bound = DECLARED[op].bind(None, *args, **kwargs)
        except TypeError:
            return None
        bound.apply_defaults()
        return dict(bound.arguments)
    names, defaults = plain
    given = dict(zip(names, (None, *args)))
    if len(args) >= len(names) or any(k in given or k not in defaults and k not in names
                                        for k in kwargs):
        return None
    given.update(kwargs)
    if any(n not in given and n not in defaults for n in names):
        return None
    return {n: given[n] if n in given else defaults[n] for n in names}


def uses_of(op: str, a: dict | None) -> set:
    """The uses of one adapter call ``op`` with ``arguments`` ``a``."""
    if a is None:
        return {op}
    out = {op} | {f"{op}({name})" for name in PRESENT.get(op, ()) if a.get(name) is not None}
    out |= {f"init({v.kind})" for v in a.values() if isinstance(v, Init)}
    if op in VARIANTS and a.get(VARIANTS[op][0]) is not None:
        out.add(f"{op}({a[VARIANTS[op][0]]})")
    if op in BUILDS:
        out |= arch_uses(a["arch"])
    if op == "reinitialize":
        target = a["target"]
        out.add("reinitialize(target=%s)" % ("network" if target is None else
                                             "parameter" if isinstance(target, str) else "layer"))
    return out


def undeclared(fw, op: str, a: dict | None) -> str | None:
    """The first architecture element a build-like call (``arguments`` ``a``) asks
    for that ``fw`` does not declare in ``elements``."""
    if op not in BUILDS or a is None or "arch" not in a:
        return None
    declared = getattr(fw, "elements", ELEMENTS)
    return next((e for e in ELEMENTS if e in elements_of(a["arch"]) and e not in declared),
                None)


#: the builds that take their input sizes from the arch and ``input_shape`` (capability
#: deferred_input); ``build_eager`` is asked without them on purpose (eager-required)
SIZED_BUILDS = ("build", "build_abstract")


def input_unknown(fw, op: str, a: dict | None) -> bool:
    """Whether a build-like call (``arguments`` ``a``) leaves an input size unknown on
    a system that declares ``deferred_input=False`` (``needs_input``)."""
    if op not in SIZED_BUILDS or a is None or fw.capabilities.get("deferred_input", True):
        return False
    return needs_input(a["arch"], a.get("input_shape"))


def refusal(op: str, exc: Unsupported) -> str | None:
    """Why an ``Unsupported`` raised by operation ``op`` is the adapter's fault, or
    None when it is a finding (an optional group's operation, with a reason)."""
    if op in CORE:
        return (f"{op} raised Unsupported({exc}); a core operation must be mapped "
                "(Unsupported is for an optional group, a capability or an element the "
                "system declares it lacks): map this operation")
    if not exc.reason:
        return (f"{op} raised Unsupported({exc.what!r}) without a reason: name the native "
                "APIs considered")
    return None


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
    ``MissingGroup``, a build of an element it does not declare ``MissingElement``,
    a build leaving an input size unknown on a system without ``deferred_input``
    ``MissingInput`` (the check that needs it is n/a naming them). An ``Unsupported``
    that is the adapter's fault (``refusal``) is kept in ``refusals`` (use -> sentence) and
    reported as the use ``refused:<op>``. ``memo`` (a dict shared by one run):
    ``shard_init``, a function of its arguments that starts processes of its own,
    runs once per arguments (its self-test and its check ask the same)."""

    def __init__(self, fw, use, clock=None, memo: dict | None = None):
        self._fw, self._use, self._clock, self._memo = fw, use, clock, memo
        self._groups = groups_of(fw)
        self.refusals: dict[str, str] = {}

    @property
    def __wrapped__(self):
        """The adapter itself (``recorder.adapter_files``: whose bug is an error)."""
        return self._fw

    def __getattr__(self, name):
        attr = getattr(self._fw, name)
        if name not in DECLARED or not callable(attr):
            return attr
        clock = self._clock
        if name in GROUP_OF and GROUP_OF[name] not in self._groups:
            def missing(*args, **kwargs):
                raise MissingGroup(name, GROUP_OF[name], self._fw.name)
            return missing

        def operation(*args, **kwargs):
            a = arguments(name, args, kwargs)
            element = undeclared(self._fw, name, a)
            if element is not None:
                raise MissingElement(element, self._fw.name)
            if input_unknown(self._fw, name, a):
                raise MissingInput(name, self._fw.name)
            for u in uses_of(name, a):
                self._use(u)
            if name == "shard_init" and self._memo is not None:
                key = (name, repr(args), repr(sorted(kwargs.items())))
                if key not in self._memo:
                    self._memo[key] = call(*args, **kwargs)
                return self._memo[key]
            return call(*args, **kwargs)

        def call(*args, **kwargs):
            try:
                if clock is None:
                    return attr(*args, **kwargs)
                return clock.call(attr, args, kwargs)
            except Unsupported as exc:
                why = refusal(name, exc)
                if why is not None:
                    self.refusals[f"refused:{name}"] = exc.refusal = why
                    self._use(f"refused:{name}")
                raise
        return operation
