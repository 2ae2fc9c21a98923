"""The 1 B-parameter abstract build, in a fresh child process of the env's own
interpreter and environment (``bench/run.py --abstract-child ENV``): the adapter
loaded, a warm-up abstract build of a tiny arch (JAX's first trace costs ~47 MiB),
then ``build_abstract((Dense(16384),) * 4, (16384,))`` (1 073 807 360 parameters,
4 GiB as float32): wall time, growth of the current RSS (``/proc/self/statm``) and of
``ru_maxrss``, the parameter count and ``memory_bytes == 0``.

The guard: before the build ``RLIMIT_AS`` is set to the virtual size reached after
imports and warm-up + 1.5 GiB (JAX and TensorFlow reserve much virtual memory at
import, so a limit set earlier would break them); a 2 GiB ``mmap`` probe proves the
limit holds, else an RSS watchdog ends the child at +1.5 GiB. An adapter that
materialises fails its child, never the machine. A system without the group says n/a
naming ``group:abstract-build``. Not a test: bench output only (the budget shown,
RSS_BUDGET_MIB, is the design's)."""
from __future__ import annotations

import json
import math
import mmap
import os
import resource
import subprocess
import threading
import time
from pathlib import Path

from adapters import load
from adapters.interface import Dense, groups_of  # no framework
from bench.budgets import RSS_BUDGET_MIB
from bench.envs import ENV, REPO, interpreter

#: the build: 4 x Dense(16384) on 16384 features, and the tiny warm-up before it
BIG_ARCH, BIG_INPUT = (Dense(16384),) * 4, (16384,)
BIG_PARAMS = 4 * (16384 * 16384 + 16384)
WARM_ARCH, WARM_INPUT = (Dense(8), Dense(4)), (16,)
#: the child's headroom over its virtual size (RLIMIT_AS) or its RSS (the watchdog)
HEADROOM = 3 << 29
#: the script whose ``--abstract-child ENV`` runs ``abstract_1b_child``
CHILD = REPO / "bench" / "run.py"


def _memory() -> tuple:
    """(current RSS, virtual size, peak RSS) of this process in bytes: the first two
    from ``/proc/self/statm`` (Linux), the peak from ``ru_maxrss`` (KiB on Linux)."""
    size, rss = (int(v) * os.sysconf("SC_PAGE_SIZE")
                 for v in Path("/proc/self/statm").read_text().split()[:2])
    return rss, size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _watchdog(rss: int) -> None:
    """End this process once its RSS grows past ``rss`` + ``HEADROOM`` (polls every
    5 ms, so one native call that allocates without releasing the GIL can overshoot)."""
    while True:
        if _memory()[0] > rss + HEADROOM:
            print(json.dumps({"error": f"RSS watchdog: grew past {HEADROOM >> 20} MiB"}),
                  flush=True)
            os._exit(3)
        time.sleep(0.005)


def _guard(virtual: int, rss: int) -> str:
    """Cap this process at ``virtual`` + ``HEADROOM`` of address space (RLIMIT_AS) and
    prove it with a 2 GiB ``mmap`` that must fail; where it does not (a hard limit
    already lower, or none enforced), an RSS watchdog thread (``_watchdog``) instead.
    Returns which guard holds."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = virtual + HEADROOM
    if hard == resource.RLIM_INFINITY or want <= hard:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
        try:
            mmap.mmap(-1, 2 << 30).close()
        except OSError:
            return f"RLIMIT_AS +{HEADROOM >> 20} MiB"
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    threading.Thread(target=_watchdog, args=(rss,), daemon=True).start()
    return f"RSS watchdog +{HEADROOM >> 20} MiB"


def _warm_up(fw) -> float:
    """Seconds of the tiny abstract build and the reads the big one gets."""
    t0 = time.perf_counter()
    warm = fw.build_abstract(WARM_ARCH, WARM_INPUT)
    fw.memory_bytes(warm)
    for pid in fw.param_ids(warm):
        fw.param_shape(warm, pid)
    return time.perf_counter() - t0


def abstract_1b_child(name: str) -> dict:
    """In the env's own interpreter (``--abstract-child``): the adapter, a warm-up
    abstract build, the guard, then the 1 B-parameter abstract build, measured."""
    fw = load(name)
    if "abstract-build" not in groups_of(fw):
        return {"na": "group:abstract-build"}
    warm_s = _warm_up(fw)
    rss0, virtual0, peak0 = _memory()
    guard = _guard(virtual0, rss0)
    t0 = time.perf_counter()
    try:
        state = fw.build_abstract(BIG_ARCH, BIG_INPUT)
    except MemoryError as exc:   # it materialised: the guard stopped it
        return {"error": f"{type(exc).__name__} under the {guard}: {str(exc)[:120]}"}
    seconds = time.perf_counter() - t0
    rss1, _, peak1 = _memory()
    params = sum(math.prod(fw.param_shape(state, pid)) for pid in fw.param_ids(state))
    return {"seconds": round(seconds, 4), "warmup_s": round(warm_s, 3),
            "rss_growth_mib": round((rss1 - rss0) / 2 ** 20, 1),
            "maxrss_growth_mib": round((peak1 - peak0) / 2 ** 20, 1),
            "rss_mib": round(rss0 / 2 ** 20), "virtual_mib": round(virtual0 / 2 ** 20),
            "params": int(params), "memory_bytes": int(fw.memory_bytes(state)),
            "guard": guard}


def abstract_1b(env: str, timeout: float = 300) -> dict:
    """The 1 B-parameter abstract build of ``env`` in a fresh child process (its
    interpreter and environment from the registry); what the child printed last, or
    why it failed, with the verdicts on budget, parameter count and memory."""
    python, extra = interpreter(env)
    try:
        proc = subprocess.run([str(python), str(CHILD), "--abstract-child", env], cwd=REPO,
                              capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **ENV, **extra, "LAZYINIT_FRAMEWORK": env})
    except subprocess.TimeoutExpired:
        return {"error": f"no answer in {timeout:.0f} s"}
    lines = [x for x in proc.stdout.splitlines() if x.startswith("{")]
    got = json.loads(lines[-1]) if lines else {}
    if proc.returncode and "error" not in got:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        got = {"error": f"exit {proc.returncode}: {tail[:200]}"}
    if "seconds" in got:
        grew = max(got["rss_growth_mib"], got["maxrss_growth_mib"])
        got.update(under_budget=grew < RSS_BUDGET_MIB, params_ok=got["params"] == BIG_PARAMS,
                   no_memory=got["memory_bytes"] == 0)
    return got
