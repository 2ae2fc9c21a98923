"""Scenarios: the framework-neutral procedure behind each behaviour.

One module per behaviour (module name = behaviour id with ``_``), each with
``run(fw, rec)``: drive the adapter ``fw`` and record one observation per check.
"""
from __future__ import annotations

import importlib
import pkgutil

SCENARIOS = {}
for _info in pkgutil.iter_modules(__path__):
    if _info.name != "common":
        _mod = importlib.import_module(f"{__name__}.{_info.name}")
        SCENARIOS[_info.name.replace("_", "-")] = _mod.run
