"""The envs the bench measures, each in its host tox env's interpreter
(``.tox/<host>/bin/python``; ``tox -m all --notest`` creates them) with the environment
tox gives it, and one timed child process."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from adapters.systems import SYSTEMS  # the registry; no framework import

REPO = Path(__file__).resolve().parents[1]
#: as tox.ini sets it: JAX's persistent compilation cache (warm after one tox run)
JAX_CACHE = {"JAX_COMPILATION_CACHE_DIR": str(REPO / ".tox" / "jax-cache"),
             "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
             "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "-1",
             "XLA_FLAGS": "--xla_force_host_platform_device_count=1"}
#: env -> (the tox env whose interpreter runs it, its bare framework import, environment):
#: the registry (adapters/systems.py), JAX's systems with the compilation cache as tox
#: sets it
ENVS = {s.name: (s.host, s.bare_import,
                 {**s.environment, **(JAX_CACHE if s.host == "flax" else {})})
        for s in SYSTEMS.values()}
#: the environment of every child process, as tox sets it
ENV = {"KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "OMP_NUM_THREADS": "1",
       "JAX_PLATFORMS": "cpu",
       "PYTHONHASHSEED": "0", "MXNET_ENGINE_TYPE": "NaiveEngine",
       "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
       "PYTEST_ADDOPTS": "--assert=plain -p no:logging -p no:warnings -p no:threadexception "
                         "-p no:unraisableexception -p no:doctest -p no:pastebin "
                         "-p no:legacypath -p no:monkeypatch -p no:recwarn -p no:setuponly "
                         "-p no:setupplan -p no:stepwise -p no:subtests"}


def interpreter(env: str, required: bool = False) -> tuple[Path, dict]:
    """The interpreter of ``env`` and the environment its system needs; ``required``:
    stop the bench, saying how to create it, where it is missing."""
    host, _, extra = ENVS[env]
    python = REPO / ".tox" / host / "bin" / "python"
    if required and not python.exists():
        raise SystemExit(f"bench: {python} missing; create it with: tox -e {host} --notest")
    return python, extra


def timed(cmd, env=None) -> tuple[float, int, int]:
    """(wall seconds, exit code, peak RSS in MiB) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **ENV, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t0, proc.returncode, usage.ru_maxrss // 1024
