"""The test phase and where its time goes beyond the floor (``bench.floor``).

* the test phase: ``pytest conformance`` as tox runs it (``-rN --exit-fast
  --junitxml``; wall time), each between bare imports (``bench.floor.bare_import``; the
  median of three, ``import_and_run``); of ``--repeat`` such pairs, the one with the
  median phase / floor ratio is reported;
* where the rest goes: the same pytest command with nothing selected (start-up, the
  harness and adapter imports, collection): *fixed* = it - import; *per-test* (the
  rest) = phase - it - framework;
* the median and max cost per behaviour, the peak RSS of the test process;
* the behaviours behind the ``compile`` marker (``--compile -m compile``, as CI runs
  them too): that process's wall time and the behaviour's own seconds;
* the differential properties (``--properties -m property``, CI runs them too): that
  process's wall time and the examples per property."""
from __future__ import annotations

import json
import statistics
import tempfile
from pathlib import Path
from typing import NamedTuple

from bench.deferred import deferred_family, family_seconds
from bench.envs import interpreter, timed
from bench.floor import (bare_import, floor_columns, framework_seconds, preloaded_share,
                         run_floor, start_up)


class Run(NamedTuple):
    """One conformance process: wall seconds, exit code, peak RSS in MiB, its results
    file and the framework's work in it (``framework_seconds``)."""
    wall: float
    exit: int
    rss: int
    data: dict
    work: dict


def conformance_run(env: str, *args) -> Run:
    """One conformance process of ``env`` with tox's options (``-rN --exit-fast
    --junitxml``) and ``args``."""
    python, extra = interpreter(env)
    with tempfile.TemporaryDirectory() as tmp:
        results, junit = Path(tmp) / f"{env}.json", Path(tmp) / f"{env}.xml"
        out = timed([str(python), "-m", "pytest", "conformance", "-rN", "-p",
                     "no:cacheprovider", "--exit-fast", "--framework", env, "--results",
                     str(results), f"--junitxml={junit}", *args],
                    env={**extra, "LAZYINIT_FRAMEWORK": env})
        data = json.loads(results.read_text()) if results.is_file() else {}
        return Run(*out, data, framework_seconds(data, junit))


def import_and_run(env: str) -> tuple:
    """(bare import, run): one test phase between bare imports (two before it, one
    after), the import their median: one fresh interpreter's import varies by up to
    30 % from one minute to the next on this 2-core machine, a median of three
    around the run much less."""
    imports = [bare_import(env), bare_import(env)]
    run = conformance_run(env)
    imports.append(bare_import(env))
    return statistics.median(imports), run


def floor_ratio(run: Run, preloaded: float) -> float:
    """One test phase over its own floor (``bench.floor.run_floor``)."""
    return run.wall / run_floor(run.data, sum(run.work.values()), preloaded)


def median_pair(pairs: list, preloaded: float) -> tuple:
    """Of ``(bare import, run)`` pairs, the one with the median phase / floor ratio."""
    return sorted(pairs, key=lambda pair: floor_ratio(pair[1], preloaded))[len(pairs) // 2]


def spreads(pairs: list, preloaded: float) -> dict:
    """Every pair's test phase, its ratio to its own floor and to the fresh floor."""
    def fresh(imp, run):
        return run.wall / (imp + sum(run.work.values()))
    return {"test_phases_s": [round(r.wall, 3) for _, r in pairs],
            "floor_ratios": [round(floor_ratio(r, preloaded), 3) for _, r in pairs],
            "fresh_floor_ratios": [round(fresh(i, r), 3) for i, r in pairs]}


def harness_columns(wall: float, imp: float, fw: float, empty: float, floor: float) -> dict:
    """The test phase ``wall`` beyond its ``floor``, split by the nothing-selected run
    ``empty`` into fixed (``empty`` - the bare import ``imp``) and per-test (the rest
    beyond the framework's work ``fw``)."""
    return {"test_phase_s": round(wall, 3), "harness_s": round(wall - floor, 3),
            "nothing_selected_s": round(empty, 3), "harness_fixed_s": round(empty - imp, 3),
            "harness_per_test_s": round(wall - empty - fw, 3)}


def behaviour_costs(seconds: dict) -> dict:
    """The median and max seconds per behaviour (in ms) and the slowest behaviour."""
    per = sorted(seconds.values())
    return {"behaviours": len(per),
            "median_behaviour_ms": round(statistics.median(per) * 1000, 1) if per else None,
            "max_behaviour_ms": round(per[-1] * 1000, 1) if per else None,
            "slowest": max(seconds, key=seconds.get) if seconds else None}


def marker_runs(env: str) -> dict:
    """The ``compile`` marker's run and the properties run of ``env``."""
    compiled = conformance_run(env, "--compile", "-m", "compile")
    props = conformance_run(env, "--properties", "-m", "property")
    examples = {p["examples"] for p in props.data.get("properties", {}).values()}
    return {"compile_marker_s": round(compiled.wall, 3),
            "compile_behaviours_s": round(sum(compiled.data.get("seconds", {}).values()), 3),
            "compile_exit": compiled.exit, "property_s": round(props.wall, 3),
            "property_examples": sorted(examples), "property_exit": props.exit}


def bench_env(env: str, repeat: int) -> dict:
    """One env's row: the deferred family's seconds, the floor, the test phases and
    where their time goes, the behaviours' costs, the compile and properties runs."""
    interpreter(env, required=True)
    start, preloaded = start_up(env, repeat), preloaded_share(env)
    pairs = [import_and_run(env) for _ in range(repeat)]
    imp, run = median_pair(pairs, preloaded)
    start = {**start, "import_s": imp}
    empty = statistics.median(conformance_run(env, "-k", "lazyinit_selects_nothing").wall
                              for _ in range(max(1, repeat // 2)))
    floor = floor_columns(start, run, preloaded)
    return {**family_seconds(run.data, deferred_family()), "env": env, **floor,
            **spreads(pairs, preloaded),
            **harness_columns(run.wall, imp, floor["framework_s"], empty, floor["floor_s"]),
            **behaviour_costs(run.data.get("seconds", {})),
            "peak_rss_mib": run.rss, "pytest_exit": run.exit,
            "pytest_exits": [r.exit for _, r in pairs], **marker_runs(env)}
