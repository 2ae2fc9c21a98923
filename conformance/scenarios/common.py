"""Inputs and small helpers shared by the scenarios."""
from __future__ import annotations

import numpy as np


def inputs(rows=2, features=20, seed=0):
    """The seeds' ``x = uniform(shape=(2, 20))``, reproducibly."""
    return np.random.default_rng(seed).uniform(0, 1, (rows, features)).astype(np.float32)


def shapes(fw, net, pids=None):
    """``{pid: shape}`` for ``pids`` (default: every parameter that exists)."""
    return {pid: fw.param_shape(net, pid) for pid in (pids or fw.param_ids(net))}


def calls(log, role=None, since=0):
    """The recorded initializer calls ``[pid, shape]`` after index ``since``."""
    return [[pid, list(shape)] for pid, shape in log[since:]
            if role is None or pid.endswith("." + role)]


def snapshot(fw, net):
    return {pid: fw.read_param(net, pid) for pid in fw.param_ids(net)}


def unchanged(before, after):
    return before.keys() == after.keys() and all(
        np.array_equal(before[k], after[k]) for k in before)


def summary(values) -> str:
    """``"all <v>"`` when every element equals one value, else ``"varied"``."""
    flat = np.asarray(values).ravel()
    return f"all {flat[0]:g}" if flat.size and (flat == flat[0]).all() else "varied"


def readable(fw, net):
    """The parameter ids whose value can be read now."""
    out = []
    for pid in fw.param_ids(net):
        try:
            fw.read_param(net, pid)
            out.append(pid)
        except Exception:  # noqa: BLE001 - unreadable is the observation
            pass
    return out
