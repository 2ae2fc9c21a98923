"""Architectures, inputs and small observation helpers shared by the scenarios."""
from __future__ import annotations

import functools
import warnings

import numpy as np

from adapters.bugs import adapter_files, is_harness_bug
from adapters.interface import (BatchNorm, Conv2D, Dense, Flatten, Group, MissingGroup,
                                Unsupported)
from conformance.recorder import RAISES, Step, raised

#: the seeds' MLP: Dense(256, relu) -> Dense(10), no input dimension
MLP = (Dense(256, relu=True), Dense(10))
#: the MLP's parameter ids
MLP_PIDS = ("0.weight", "0.bias", "1.weight", "1.bias")
#: the first layer declares its input size, the second stays lazy
PARTIAL = (Dense(256, relu=True, in_units=20), Dense(10))
#: Dense(8) -> S -> S again (tied) -> Dense(10)
TIED = (Dense(8, relu=True), Dense(8, relu=True, share="s"), Dense(8, relu=True, share="s"),
        Dense(10))
#: the seeds' "Rube Goldberg" net: Sequential(4 x Sequential(Dense(32), Dense(16)), Dense(10))
NESTED = (Group(tuple(Group((Dense(32, relu=True), Dense(16, relu=True))) for _ in range(4))),
          Dense(10))
CONV = (Conv2D(16), BatchNorm(), Flatten(), Dense(10))


def uniform(shape, seed=0):
    """U[0, 1) float32 data of ``shape``, reproducibly (the seeds' ``uniform``): a
    fresh copy, drawn once per shape and seed."""
    return _drawn(tuple(np.atleast_1d(shape).tolist()), seed).copy()


@functools.lru_cache(maxsize=256)
def _drawn(shape: tuple, seed) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, 1, shape).astype(np.float32)


def inputs(rows=2, features=20, seed=0):
    """The seeds' ``x = uniform(shape=(2, 20))``, reproducibly."""
    return uniform((rows, features), seed)


def images(rows=2):
    return uniform((rows, 3, 32, 32))


def declared(fw, x) -> dict:
    """The build arguments of a network for the sample ``x`` where the framework builds
    no layer without its input size (capability deferred_input=False): the input
    declared (``input_shape``); else none, the input comes with the data."""
    if fw.capabilities.get("deferred_input", True):
        return {}
    return {"input_shape": tuple(np.shape(x)[1:])}


def ready(fw, arch=MLP, x=None, **build):
    """build -> initialize -> materialize(x): a network holding values (its input
    declared where the framework needs it: :func:`declared`)."""
    x = inputs() if x is None else x
    state = fw.initialize(fw.build(arch, **{**declared(fw, x), **build}))
    return fw.materialize(state, x)


def observe(fw, fn):
    """``fn()``, or ``"raises:<kind>"`` for a framework error (no-value kinds folded);
    ``Unsupported``, ``MissingGroup`` and a bug of the harness or adapter propagate."""
    try:
        return fn()
    except (Unsupported, MissingGroup):
        raise
    except Exception as exc:  # noqa: BLE001 - the error is the observation
        kind = fw.classify_error(exc)
        if kind == "other" and is_harness_bug(exc, adapter_files(fw)):
            raise
        return raised(kind)


def shapes(fw, state, pids=None):
    """``{pid: shape}``; an unreadable shape is marked ``raises:<kind>`` in its entry."""
    return {pid: observe(fw, lambda pid=pid: fw.param_shape(state, pid))
            for pid in (pids or fw.param_ids(state))}


def param_state(fw, state, pid):
    """``absent`` / ``materialized`` (value readable) / ``shape-known`` / ``declared``."""
    if pid not in fw.param_ids(state):
        return "absent"
    if has_value(fw, state, pid):
        return "materialized"
    shape = observe(fw, lambda: fw.param_shape(state, pid))
    return "shape-known" if isinstance(shape, tuple) and None not in shape else "declared"


def draws(init, role=None, since=0):
    """The calls of ``init`` that drew values, ``[pid, shape]``, after index ``since``."""
    return [[c.pid, list(c.shape)] for c in init.log[since:]
            if c.drew and (role is None or c.pid.endswith("." + role))]


def abstract_calls(init, since=0):
    """How many calls of ``init`` after ``since`` drew nothing (traced/abstract)."""
    return sum(not c.drew for c in init.log[since:])


def snapshot(fw, state):
    return {pid: fw.read_param(state, pid) for pid in fw.param_ids(state)}


def unchanged(before, after):
    return before.keys() == after.keys() and all(
        np.array_equal(before[k], after[k]) for k in before)


def summary(values) -> str:
    """``"all <v>"`` when every element equals one value, else ``"varied"``."""
    flat = np.asarray(values).ravel()
    return f"all {flat[0]:g}" if flat.size and (flat == flat[0]).all() else "varied"


def has_value(fw, state, pid) -> bool:
    """Whether ``pid``'s value can be read now."""
    return not str(observe(fw, lambda: fw.read_param(state, pid).shape)).startswith(RAISES)


def readable(fw, state):
    """The parameter ids whose value can be read now."""
    return [pid for pid in fw.param_ids(state) if has_value(fw, state, pid)]


def warned(fn):
    """``(fn(), [messages of the Python warnings it emitted])``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = fn()
    return value, [str(w.message) for w in caught]

#: one layer used on inputs of two widths: "s" sees 20 features, then 4
CONFLICT = (Dense(8, share="s"), Dense(4), Dense(8, share="s"))
#: a third layer the forward never calls
UNUSED = (Dense(256, relu=True), Dense(10), Dense(7, unused=True))


def premise(check_step, holds: bool, why: str):
    """A step standing for a premise observed by the check ``check_step``: checks that
    need it are ``n/a`` naming that check when it does not hold."""
    if not check_step.ok:
        return check_step
    return Step(check_step.check, holds, check_step.value, why, cause={"check": check_step.check})


def mlp_by_hand(params, x):
    """The MLP's output computed in float64 from read parameter values."""
    h = np.maximum(x.astype(np.float64) @ params["0.weight"].T.astype(np.float64)
                   + params["0.bias"], 0)
    return h @ params["1.weight"].T.astype(np.float64) + params["1.bias"]
