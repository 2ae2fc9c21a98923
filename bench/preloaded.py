"""The framework's import as a test phase pays it, scaled to a whole bare import.

A run times its adapter's load in-process (results ``import_seconds``): the same
process and moment as the rest of the test phase, so the ratio does not swing with
the machine's speed between two processes (a fresh interpreter's import varies by up
to 30 % from one minute to the next here). But pytest and the suite had already
imported some modules the framework's import needs (``typing``, ``logging``,
``inspect``...), which a bare import pays. ``share`` is their part of a bare import,
from ``python -X importtime`` (each module's own time); the import the floor counts is
``import_seconds / (1 - share)``.

``python -m pytest -p bench.preloaded`` (this module as a pytest plugin, env
``LAZYINIT_BENCH_PRELOADED=<file>``) writes the modules loaded when the adapter's load
begins; it wraps ``adapters.load`` before the suite's conftest imports it."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

VARIABLE = "LAZYINIT_BENCH_PRELOADED"


def _wrap_load() -> None:
    import adapters

    load = adapters.load

    def recording_load(*args, **kwargs):
        Path(os.environ[VARIABLE]).write_text(json.dumps(sorted(sys.modules)))
        return load(*args, **kwargs)

    adapters.load = recording_load


if os.environ.get(VARIABLE):   # imported as the plugin of the bench's helper run
    _wrap_load()


def self_times(importtime: str) -> dict:
    """``{module: own microseconds}`` from ``python -X importtime``'s stderr."""
    out = {}
    for line in importtime.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            own, _, name = line[len("import time:"):].split("|")
            out[name.strip()] = int(own)
    return out


def share(bare: dict, preloaded: set) -> float:
    """The part of a bare import (``self_times``) spent on modules already loaded."""
    total = sum(bare.values())
    return sum(us for m, us in bare.items() if m in preloaded) / total if total else 0.0
