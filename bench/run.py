"""Benchmark: what the conformance run costs on top of importing each framework.

    python bench/run.py [--envs mxnet,mxnet-np,...] [--repeat 5] [--tox]

Needs the tox envs to exist (``tox -m all --notest`` creates them).
For each env it measures, in one go:
* the bare import time of the framework (median of ``--repeat`` fresh interpreters),
* the test phase: one ``pytest conformance`` process as tox runs it (wall time),
* their ratio, the median and max cost per behaviour after import (from the
  results file's ``seconds``), and the peak RSS of the test process;
* the behaviours behind the ``compile`` marker (``--compile -m compile``, as CI
  runs them too): that process's wall time and the behaviour's own seconds;
* the differential properties (``--properties -m property``, CI runs them too):
  that process's wall time and the examples per property.
With ``--tox`` it also times a warm ``tox -e <envs>`` end to end. Prints a table
and writes ``reports/bench.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: as tox.ini sets it: JAX's persistent compilation cache (warm after one tox run)
JAX_CACHE = {"JAX_COMPILATION_CACHE_DIR": str(REPO / ".tox" / "jax-cache"),
             "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
             "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "-1"}
#: env -> (the tox env whose interpreter runs it, its bare framework import, environment)
ENVS = {
    "mxnet": ("mxnet", "import mxnet", {}),
    "mxnet-np": ("mxnet", "import mxnet; mxnet.npx.set_np()", {}),
    "torch": ("torch", "import torch", {}),
    "keras-torch": ("torch", "import keras", {"KERAS_BACKEND": "torch"}),
    "tf": ("tf", "import keras, tensorflow", {}),
    "tf-keras": ("tf-keras", "import tensorflow as tf; tf.keras.layers",
                 {"TF_USE_LEGACY_KERAS": "1"}),
    "flax": ("flax", "import flax.linen", JAX_CACHE),
    "keras-jax": ("flax", "import keras", {"KERAS_BACKEND": "jax", **JAX_CACHE}),
}
#: the budgets: a default run's test phase <= RATIO_TARGET x the bare import (issue
#: 12); the properties run (``--properties -m property``, its own budget, issue 14)
#: <= PROPERTY_BUDGET_S with JAX's compilation cache warm
RATIO_TARGET, PROPERTY_BUDGET_S, TOX_TARGET = 2.0, 15.0, 1.3
ENV = {"KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "OMP_NUM_THREADS": "1",
       "JAX_PLATFORMS": "cpu",
       "PYTHONHASHSEED": "0", "MXNET_ENGINE_TYPE": "NaiveEngine"}


def timed(cmd, env=None) -> tuple[float, int, int]:
    """(wall seconds, exit code, peak RSS in MiB) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **ENV, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t0, proc.returncode, usage.ru_maxrss // 1024


def bench_env(env: str, repeat: int) -> dict:
    host, statement, extra = ENVS[env]
    python = REPO / ".tox" / host / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"bench: {python} missing; create it with: tox -e {host} --notest")
    imports = [timed([str(python), "-c", statement], env=extra)[0] for _ in range(repeat)]
    pytest_start = statistics.median(
        timed([str(python), "-m", "pytest", "--version"], env=extra)[0] for _ in range(repeat))
    def run(*args):
        """(wall, exit, peak RSS, seconds per behaviour) of one conformance process."""
        with tempfile.TemporaryDirectory() as tmp:
            results = Path(tmp) / f"{env}.json"
            out = timed([str(python), "-m", "pytest", "conformance", "-q", "-p",
                         "no:cacheprovider", "--exit-fast", "--framework", env, "--results",
                         str(results), *args], env={**extra, "LAZYINIT_FRAMEWORK": env})
            data = json.loads(results.read_text())
            return (*out, data["seconds"], data.get("properties", {}))

    wall, code, rss, seconds, _ = run()
    compile_wall, compile_code, _, compiled, _ = run("--compile", "-m", "compile")
    property_wall, property_code, _, _, props = run("--properties", "-m", "property")
    per = sorted(seconds.values())
    imp = statistics.median(imports)
    return {"env": env, "import_s": round(imp, 3), "pytest_start_s": round(pytest_start, 3),
            "test_phase_s": round(wall, 3),
            "ratio": round(wall / imp, 2), "behaviours": len(per),
            "median_behaviour_ms": round(statistics.median(per) * 1000, 1),
            "max_behaviour_ms": round(per[-1] * 1000, 1),
            "slowest": max(seconds, key=seconds.get), "peak_rss_mib": rss,
            "pytest_exit": code, "compile_marker_s": round(compile_wall, 3),
            "compile_behaviours_s": round(sum(compiled.values()), 3),
            "compile_exit": compile_code, "property_s": round(property_wall, 3),
            "property_examples": sorted({p["examples"] for p in props.values()}),
            "property_exit": property_code}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--envs", default=",".join(ENVS))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--tox", action="store_true", help="also time a warm tox run")
    ap.add_argument("--out", type=Path, default=REPO / "reports" / "bench.json")
    args = ap.parse_args(argv)
    envs = args.envs.split(",")
    rows = [bench_env(env, args.repeat) for env in envs]
    head = ("env", "import_s", "test_phase_s", "ratio", "median_behaviour_ms",
            "max_behaviour_ms", "slowest", "peak_rss_mib", "compile_marker_s",
            "compile_behaviours_s", "property_s", "property_examples")
    print("  ".join(f"{h:>{len(h)}}" for h in head))
    for r in rows:
        print("  ".join(f"{r[h]!s:>{len(h)}}" for h in head))
    over = [f"{r['env']} (ratio {r['ratio']})" for r in rows if r["ratio"] > RATIO_TARGET]
    slow = [f"{r['env']} ({r['property_s']:.1f} s)" for r in rows
            if r["property_s"] > PROPERTY_BUDGET_S]
    print(f"budget: test phase <= {RATIO_TARGET} x import: "
          f"{'over in ' + ', '.join(over) if over else 'met in every env'}; properties run "
          f"<= {PROPERTY_BUDGET_S:.0f} s: {'over in ' + ', '.join(slow) if slow else 'met in every env'}")
    report = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
              "budgets": {"ratio": RATIO_TARGET, "property_s": PROPERTY_BUDGET_S,
                          "tox_ratio": TOX_TARGET},
              "envs": rows}
    if args.tox:
        wall, code, _ = timed(["tox", "-e", ",".join(envs)])
        phases = sum(r["test_phase_s"] for r in rows)
        floor = sum(r["import_s"] + r["pytest_start_s"] for r in rows)
        report["tox_warm"] = {"wall_s": round(wall, 2), "sum_test_phases_s": round(phases, 2),
                              "sum_imports_and_pytest_start_s": round(floor, 2),
                              "ratio_to_imports": round(wall / floor, 2), "exit": code}
        print(f"warm tox -e {','.join(envs)}: {wall:.1f} s = {wall / floor:.2f} x the sum of "
              f"bare imports + pytest start-up ({floor:.1f} s; target {TOX_TARGET} x); "
              f"test phases sum {phases:.1f} s")
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"bench: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
