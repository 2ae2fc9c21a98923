"""What one framework does with one random architecture, in the terms
the reference model predicts, and the differences between two such profiles.

A profile is plain data, one entry per property:
* ``shapes``: every parameter's shape after the first data (reference layout);
* ``states``: per phase (``built``, ``initialized``, ``first-data``) each parameter's
  state (``absent`` / ``declared`` / ``shape-known`` / ``materialized``);
* ``draws``: per phase the parameters a recording initializer drew values for
  (``second-data``: the draws of a later forward);
* ``output``: the first data's output shape;
* ``mismatch``: what an input of another feature (channel) count does afterwards;
* ``abstract`` (its own profile, :func:`abstract`; group abstract-build): built
  abstractly for the first data's shape, each parameter's shape and the memory held;
  then materialised, which parameters hold a value, their shapes and the memory.
A step the framework refuses ends that profile there: ``"raises:<kind>"``.
"""
from __future__ import annotations

from adapters.interface import Init, Unsupported
from conformance.recorder import RAISES
from conformance.scenarios.common import observe, param_state, shapes, uniform

PROPERTIES = ("shapes", "states", "draws", "output", "mismatch", "abstract")
PHASES = ("built", "initialized", "first-data")
#: property -> the optional adapter group it needs (without it: skipped, naming it)
NEEDS = {"abstract": "abstract-build"}
#: a profile value that the framework refused by ``Unsupported`` (no observation)
UNSUPPORTED = "unsupported:"


def profile(fw, case) -> dict:
    init = Init.recording()
    out: dict = {"states": {}, "draws": {}}
    steps = (("built", lambda _: fw.build(case.arch, weight_init=init, bias_init=init)),
             ("initialized", fw.initialize),
             ("first-data", lambda s: fw.materialize(s, uniform(case.x_shape))))
    state, seen = None, 0
    for phase, step in steps:
        state = observe(fw, lambda step=step, state=state: step(state))
        out["draws"][phase] = sorted({c.pid for c in init.log[seen:] if c.drew})
        seen = len(init.log)
        if _raised(state):
            out["states"][phase] = state
            return {**out, **{p: state for p in ("shapes", "output", "mismatch")}}
        out["states"][phase] = {pid: param_state(fw, state, pid) for pid in fw.param_ids(state)}
    out["shapes"] = {k: list(v) if isinstance(v, tuple) else v
                     for k, v in shapes(fw, state).items()}
    y = observe(fw, lambda: fw.forward(state, uniform(case.x_shape, 1)))
    out["output"] = y if isinstance(y, str) else list(y[0].shape)
    out["draws"]["second-data"] = sorted({c.pid for c in init.log[seen:] if c.drew})
    if not isinstance(y, str):
        state = y[1]
    bad = observe(fw, lambda: fw.forward(state, uniform(case.bad_shape, 2)))
    out["mismatch"] = bad if isinstance(bad, str) else "runs"
    return out


def abstract(fw, case) -> dict:
    """The ``abstract`` profile: ``build_abstract(arch, x_shape[1:])`` -> the memory
    held (first, before anything reads the state) and every parameter's shape; then
    ``materialize_abstract`` -> each parameter's state (which hold a value), its shape
    and the memory. Values are not read before materialising: what such a read does
    is the behaviour build-without-memory's (a Keras 3 read draws a placeholder).
    ``Unsupported`` is recorded as ``"unsupported:<what>"``; ``MissingGroup``
    propagates."""
    def phase(state, states=False) -> dict:
        got = {"memory": observe(fw, lambda: fw.memory_bytes(state))}
        if states:
            got["states"] = {pid: param_state(fw, state, pid) for pid in fw.param_ids(state)}
        got["shapes"] = {k: list(v) if isinstance(v, tuple) else v
                         for k, v in shapes(fw, state).items()}
        return got

    out: dict = {}
    try:
        state = observe(fw, lambda: fw.build_abstract(case.arch, tuple(case.x_shape[1:])))
        if _raised(state):
            return {"abstract": state}
        out["built"] = phase(state)
        state = observe(fw, lambda: fw.materialize_abstract(state))
        out["materialized"] = state if _raised(state) else phase(state, states=True)
    except Unsupported as exc:
        return {"abstract": UNSUPPORTED + exc.what}
    return {"abstract": out}


def undefined(prop: str, reference: dict) -> bool:
    """Whether the reference model defines nothing to compare for this case: it
    refused the step as ``Unsupported`` (the reference's ``build(input_shape=)``
    declares Dense stacks only, so ``abstract`` compares MLPs)."""
    part = reference[prop]
    return isinstance(part, str) and part.startswith(UNSUPPORTED)


def _raised(value) -> bool:
    return isinstance(value, str) and value.startswith(RAISES)


def normalized(prop: str, profile: dict, capabilities: dict):
    """One property of a profile in the phases a framework with ``capabilities`` has:
    without an initialize step (``init_step`` none) construction is where MXNet's
    initialize acts, so ``built`` and ``initialized`` are one phase; with no
    parameters before data (``params_before_data`` none) there is no phase before
    the first data (draws until then are one). Without readable shapes before data
    (``shapeless``) a shape-known parameter counts as declared there."""
    part = profile[prop]
    if prop not in ("states", "draws") or isinstance(part, str):
        return part
    none = capabilities.get("params_before_data") == "none"
    merge = PHASES if none else (
        ("built", "initialized") if capabilities.get("init_step") == "none" else ())
    out = {k: v for k, v in part.items() if k not in merge}
    if merge and prop == "draws":
        out[merge[-1]] = sorted({p for k in merge for p in part.get(k, [])})
    elif merge:  # the state at the end of the merged phases (where it was reached)
        reached = [k for k in merge if k in part]
        out[merge[-1]] = part[reached[-1]] if reached else None
    if prop == "states" and capabilities.get("params_before_data") == "shapeless":
        for k in ("built", "initialized"):
            if isinstance(out.get(k), dict):
                out[k] = {p: "declared" if v == "shape-known" else v
                          for p, v in out[k].items()}
    return {k: v for k, v in out.items() if v is not None}


def differences(prop: str, reference: dict, other: dict, capabilities: dict) -> dict:
    """``{class: detail}``: how ``other`` differs from ``reference`` in one property,
    in the phases of a framework with ``capabilities`` (:func:`normalized`).
    A class is stable across examples (what differs, not the sizes), so one
    difference of a framework is one class however many examples show it."""
    ref, got = (normalized(prop, p, capabilities) for p in (reference, other))
    if ref == got:
        return {}
    if prop == "abstract" and not (isinstance(ref, str) or isinstance(got, str)):
        return _abstract_differences(ref, got)
    if isinstance(ref, str) or isinstance(got, str):  # one side raised
        return {f"{prop}:{_kind(ref)}->{_kind(got)}": f"expected {ref}, observed {got}"}
    if prop == "output":
        return {f"output:rank {len(ref)}->{len(got)}": f"expected {ref}, observed {got}"}
    out = {}
    for phase in ref if prop in ("states", "draws") else [None]:
        a, b = (ref[phase], got.get(phase)) if phase else (ref, got)
        if a == b or (phase and phase not in got):  # not reached: an earlier phase raised
            continue
        if isinstance(a, str) or isinstance(b, str):
            out[f"{prop}:{phase}:{_kind(a)}->{_kind(b)}"] = f"expected {a}, observed {b}"
        elif prop == "draws":
            out[f"draws:{phase}:{_roles(a, b)}"] = f"expected {a}, observed {b}"
        else:
            for pid in sorted(set(a) | set(b)):
                if a.get(pid) != b.get(pid):
                    what = (f"{_kind(a.get(pid))}->{_kind(b.get(pid))}" if prop == "states"
                            else _shape_class(a.get(pid), b.get(pid)))
                    key = f"{prop}:{phase + ':' if phase else ''}{pid.split('.')[1]}:{what}"
                    out.setdefault(key, f"{pid}: expected {a.get(pid)}, observed {b.get(pid)}")
    return out


def _abstract_differences(ref: dict, got: dict) -> dict:
    """``abstract:<phase>:<role>:<shape class>``, ``abstract:materialized:<role>:<state>
    -><state>`` and ``abstract:<phase>:memory:<class>``. A class per cause: a
    parameter's shape is compared only where nothing about it differed before (its
    abstract shape, its state), and the memory by more / fewer bytes only where no
    parameter differed (else only none -> some)."""
    out, differed = {}, set()   # the parameters a class names already
    for phase in ("built", "materialized"):
        a, b = ref.get(phase), got.get(phase)
        if b is None or a == b:          # not reached (an earlier step raised), or equal
            continue
        if isinstance(a, str) or isinstance(b, str):
            out[f"abstract:{phase}:{_kind(a)}->{_kind(b)}"] = f"expected {a}, observed {b}"
            continue
        for key in ("states", "shapes"):
            x, y = a.get(key, {}), b.get(key, {})
            for pid in sorted(set(x) | set(y)):
                if x.get(pid) == y.get(pid) or (key == "shapes" and pid in differed):
                    continue
                differed.add(pid)
                what = (_shape_class if key == "shapes" else
                        lambda u, v: f"{_kind(u)}->{_kind(v)}")(x.get(pid), y.get(pid))
                out.setdefault(f"abstract:{phase}:{pid.split('.')[1]}:{what}",
                               f"{pid} {key[:-1]}: expected {x.get(pid)}, observed {y.get(pid)}")
        what = _memory_class(a["memory"], b["memory"], exact=not differed)
        if what:
            out[f"abstract:{phase}:memory:{what}"] = (f"memory: expected {a['memory']} bytes, "
                                                      f"observed {b['memory']}")
    return out


def _memory_class(a, b, exact: bool) -> str:
    """``none->some``/``some->none``, or ``more``/``fewer`` bytes than the reference
    (``exact``); ``""`` when that does not differ."""
    if isinstance(a, str) or isinstance(b, str):
        return "" if a == b else f"{_kind(a)}->{_kind(b)}"
    if (a == 0) != (b == 0):
        return "none->some" if a == 0 else "some->none"
    return ("more" if b > a else "fewer") if exact and a != b else ""


def _kind(v) -> str:
    """A value's class: a raised kind, a state name, or ``value``/``absent``."""
    if v is None:
        return "absent"
    if isinstance(v, str):
        return v
    return "value"


def _roles(a, b) -> str:
    extra = sorted({p.split(".")[1] for p in set(b) - set(a)})
    missing = sorted({p.split(".")[1] for p in set(a) - set(b)})
    return f"extra {','.join(extra) or '-'} missing {','.join(missing) or '-'}"


def _shape_class(a, b) -> str:
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return f"{_kind(a)}->{_kind(b)}"
    if len(a) != len(b):
        return f"rank {len(a)}->{len(b)}"
    return "dims " + ",".join(str(i) for i, (p, q) in enumerate(zip(a, b)) if p != q)
