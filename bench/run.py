"""Benchmark: what the conformance run costs on top of the framework's own work.

    python bench/run.py [--envs mxnet,mxnet-np,...] [--repeat 5] [--tox [--tox-repeat 3]]

Needs the tox envs to exist (``tox -m all --notest`` creates them).
For each env it measures, in one go:
* the bare import time of the framework (median of ``--repeat`` fresh interpreters)
  and pytest's start-up (``pytest --version``);
* the test phase: ``pytest conformance`` as tox runs it (wall time; median of
  ``--repeat`` runs, the run with the median ratio is reported);
* the **floor**: the bare import + the framework's own work in that run, measured
  inside it (same process, same warm state, same calls): the wall time inside the
  adapter's operations (results ``framework_seconds`` per behaviour,
  ``selftest_framework_seconds`` per adapter self-test, ``setup_framework_seconds``;
  ``conformance.uses.Clock``) + the repros (plain framework scripts run in the same
  process by ``test_repros.py``; their test times from the JUnit XML). The budget
  is the test phase <= FLOOR_TARGET x the floor; the old ratio (test phase / bare
  import, budget 2x until issue 23) is kept alongside;
* where the rest goes: the same pytest command with nothing selected (start-up,
  the harness and adapter imports, collection) and the per-test harness (the rest);
* the median and max cost per behaviour, the peak RSS of the test process;
* the behaviours behind the ``compile`` marker (``--compile -m compile``, as CI
  runs them too): that process's wall time and the behaviour's own seconds;
* the differential properties (``--properties -m property``, CI runs them too):
  that process's wall time and the examples per property.
With ``--tox`` it also times a warm ``tox -e <envs>`` end to end (median of
``--tox-repeat`` runs) against the sum of floors + pytest start-ups (the results and
JUnit files it rewrites are put back afterwards).
Prints a table and writes ``reports/bench.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from adapters.systems import SYSTEMS  # noqa: E402  (the registry; no framework import)

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
#: the budgets: a default run's test phase <= FLOOR_TARGET x its floor (bare import +
#: the framework's own work in the run; issue 23), and a warm tox over the envs <=
#: TOX_TARGET x (the sum of floors + pytest start-ups); RATIO_TARGET: the budget before
#: issue 23 (test phase <= 2x the bare import, issue 12), still printed; the properties
#: run (``--properties -m property``, its own budget, issue 14) <= PROPERTY_BUDGET_S
#: with JAX's compilation cache warm
FLOOR_TARGET, TOX_TARGET, RATIO_TARGET, PROPERTY_BUDGET_S = 1.3, 1.3, 2.0, 15.0
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




def framework_seconds(data: dict, junit: Path) -> dict:
    """The framework's own work in one run, from its results file and JUnit XML:
    inside the adapter's operations (behaviours, self-tests, set-up) and the repros
    (plain framework scripts run in the same process by ``test_repros.py``)."""
    repros = 0.0
    if junit.is_file():
        for case in ET.parse(junit).iter("testcase"):
            if case.get("classname", "").endswith("test_repros"):
                repros += float(case.get("time") or 0)
    parts = {"behaviours_s": sum(data.get("framework_seconds", {}).values()),
             "selftests_s": sum(data.get("selftest_framework_seconds", {}).values()),
             "setup_s": data.get("setup_framework_seconds", 0.0), "repros_s": repros}
    return {k: round(v, 3) for k, v in parts.items()}


def bench_env(env: str, repeat: int) -> dict:
    host, statement, extra = ENVS[env]
    python = REPO / ".tox" / host / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"bench: {python} missing; create it with: tox -e {host} --notest")
    imports = [timed([str(python), "-c", statement], env=extra)[0] for _ in range(repeat)]
    pytest_start = statistics.median(
        timed([str(python), "-m", "pytest", "--version"], env=extra)[0] for _ in range(repeat))
    # what the adapter module imports and its construction (the framework modules
    # beyond the bare import, e.g. optax, flax.nnx): part of the run's fixed cost
    adapter_load = statistics.median(
        timed([str(python), "-c", f"from adapters import load; load({env!r})"],
              env={**extra, "LAZYINIT_FRAMEWORK": env})[0] for _ in range(repeat))

    def run(*args):
        """(wall, exit, peak RSS, results, framework work) of one conformance process,
        with tox's options (``-rN --exit-fast --junitxml``)."""
        with tempfile.TemporaryDirectory() as tmp:
            results, junit = Path(tmp) / f"{env}.json", Path(tmp) / f"{env}.xml"
            out = timed([str(python), "-m", "pytest", "conformance", "-rN", "-p",
                         "no:cacheprovider", "--exit-fast", "--framework", env, "--results",
                         str(results), f"--junitxml={junit}", *args],
                        env={**extra, "LAZYINIT_FRAMEWORK": env})
            data = json.loads(results.read_text()) if results.is_file() else {}
            return (*out, data, framework_seconds(data, junit))

    imp = statistics.median(imports)
    runs = [run() for _ in range(repeat)]
    ratios = sorted(r[0] / (imp + sum(r[4].values())) for r in runs)
    wall, code, rss, data, work = next(r for r in runs if r[0] / (imp + sum(r[4].values()))
                                       == ratios[len(ratios) // 2])
    empty_wall = statistics.median(run("-k", "lazyinit_selects_nothing")[0]
                                   for _ in range(max(1, repeat // 2)))
    compile_wall, compile_code, _, compiled, _ = run("--compile", "-m", "compile")
    property_wall, property_code, _, props, _ = run("--properties", "-m", "property")
    seconds = data.get("seconds", {})
    per = sorted(seconds.values())
    fw = round(sum(work.values()), 3)
    floor = imp + fw
    return {"env": env, "import_s": round(imp, 3), "pytest_start_s": round(pytest_start, 3),
            "framework_s": fw, "framework_parts": work, "floor_s": round(floor, 3),
            "test_phase_s": round(wall, 3), "test_phases_s": [round(r[0], 3) for r in runs],
            "floor_ratio": round(wall / floor, 2),
            "floor_verdict": "met" if wall / floor <= FLOOR_TARGET else "over",
            "harness_s": round(wall - floor, 3),
            "nothing_selected_s": round(empty_wall, 3),
            "adapter_load_s": round(adapter_load, 3),
            "adapter_extra_s": round(adapter_load - imp, 3),
            "harness_fixed_s": round(empty_wall - imp, 3),
            "harness_per_test_s": round(wall - empty_wall - fw, 3),
            "ratio": round(wall / imp, 2), "behaviours": len(per),
            "median_behaviour_ms": round(statistics.median(per) * 1000, 1) if per else None,
            "max_behaviour_ms": round(per[-1] * 1000, 1) if per else None,
            "slowest": max(seconds, key=seconds.get) if seconds else None,
            "peak_rss_mib": rss, "pytest_exit": code, "pytest_exits": [r[1] for r in runs],
            "compile_marker_s": round(compile_wall, 3),
            "compile_behaviours_s": round(sum(compiled.get("seconds", {}).values()), 3),
            "compile_exit": compile_code, "property_s": round(property_wall, 3),
            "property_examples": sorted({p["examples"] for p in
                                         props.get("properties", {}).values()}),
            "property_exit": property_code}


def tox_warm(envs: list) -> tuple[float, int]:
    """Wall time and exit code of a warm ``tox -e <envs>`` as a user runs it; the
    results and JUnit files it rewrites are put back as they were."""
    keep = [REPO / "reports" / "results", REPO / "reports" / "junit"]
    with tempfile.TemporaryDirectory() as tmp:
        saved = []
        for i, d in enumerate(keep):
            if d.is_dir():
                shutil.copytree(d, Path(tmp) / str(i))
                saved.append((d, Path(tmp) / str(i)))
        try:
            wall, code, _ = timed(["tox", "-e", ",".join(envs)])
        finally:
            for d, copy in saved:
                for f in copy.iterdir():
                    shutil.copy2(f, d / f.name)
    return wall, code


HEAD = (("env", "env"), ("import", "import_s"), ("start", "pytest_start_s"),
        ("framework", "framework_s"), ("floor", "floor_s"), ("phase", "test_phase_s"),
        ("/floor", "floor_ratio"), ("verdict", "floor_verdict"), ("/import", "ratio"),
        ("adapter", "adapter_load_s"), ("empty", "nothing_selected_s"),
        ("fixed", "harness_fixed_s"),
        ("per-test", "harness_per_test_s"), ("med ms", "median_behaviour_ms"),
        ("max ms", "max_behaviour_ms"), ("RSS", "peak_rss_mib"),
        ("compile", "compile_marker_s"), ("properties", "property_s"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--envs", default=",".join(ENVS))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--tox", action="store_true", help="also time a warm tox run")
    ap.add_argument("--tox-repeat", type=int, default=1,
                    help="warm tox runs to time (the median is reported)")
    ap.add_argument("--out", type=Path, default=REPO / "reports" / "bench.json")
    args = ap.parse_args(argv)
    envs = args.envs.split(",")
    rows = []
    for env in envs:
        rows.append(bench_env(env, args.repeat))
        print(f"bench: {env} done", file=sys.stderr, flush=True)
    widths = [max(len(h), *(len(str(r[k])) for r in rows)) for h, k in HEAD]
    print("  ".join(f"{h:>{w}}" for (h, _), w in zip(HEAD, widths)))
    for r in rows:
        print("  ".join(f"{r[k]!s:>{w}}" for (_, k), w in zip(HEAD, widths)))
    print("(seconds; framework = inside the adapter's operations + the repros; floor = "
          "import + framework; adapter = a fresh interpreter loading the adapter (its "
          "framework imports); empty = the same pytest command with nothing selected; "
          "fixed = empty - import; per-test = phase - empty - framework)")
    over = [f"{r['env']} ({r['floor_ratio']}: {r['harness_s']:.2f} s over the floor, of it "
            f"{r['harness_fixed_s']:.2f} s fixed, {r['harness_per_test_s']:.2f} s per-test)"
            for r in rows if r["floor_verdict"] != "met"]
    old = [f"{r['env']} ({r['ratio']})" for r in rows if r["ratio"] > RATIO_TARGET]
    slow = [f"{r['env']} ({r['property_s']:.1f} s)" for r in rows
            if r["property_s"] > PROPERTY_BUDGET_S]
    print(f"budget: test phase <= {FLOOR_TARGET} x floor: "
          f"{'over in ' + '; '.join(over) if over else 'met in every env'}")
    print(f"old budget: test phase <= {RATIO_TARGET} x import: "
          f"{'over in ' + ', '.join(old) if old else 'met in every env'}; properties run "
          f"<= {PROPERTY_BUDGET_S:.0f} s: "
          f"{'over in ' + ', '.join(slow) if slow else 'met in every env'}")
    broken = [f"{r['env']} (exit {r['pytest_exits']}, compile {r['compile_exit']}, properties "
              f"{r['property_exit']})" for r in rows
              if {*r["pytest_exits"], r["compile_exit"], r["property_exit"]} - {0}]
    if broken:
        print(f"WARNING: runs that did not pass, their numbers are not the suite's: "
              f"{'; '.join(broken)}")
    floors = sum(r["floor_s"] + r["pytest_start_s"] for r in rows)
    report = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
              "budgets": {"floor_ratio": FLOOR_TARGET, "tox_floor_ratio": TOX_TARGET,
                          "import_ratio": RATIO_TARGET, "property_s": PROPERTY_BUDGET_S},
              "repeat": args.repeat, "envs": rows,
              "sum_test_phases_s": round(sum(r["test_phase_s"] for r in rows), 2),
              "sum_floors_and_pytest_start_s": round(floors, 2)}
    if args.tox:
        tox_runs = [tox_warm(envs) for _ in range(max(1, args.tox_repeat))]
        walls = sorted(w for w, _ in tox_runs)
        wall, code = walls[len(walls) // 2], max(c for _, c in tox_runs)
        phases = report["sum_test_phases_s"]
        imports = sum(r["import_s"] + r["pytest_start_s"] for r in rows)
        report["tox_warm"] = {"wall_s": round(wall, 2), "walls_s": [round(w, 2) for w in walls],
                              "sum_test_phases_s": phases,
                              "sum_floors_and_pytest_start_s": round(floors, 2),
                              "ratio_to_floors": round(wall / floors, 2),
                              "verdict": "met" if wall / floors <= TOX_TARGET else "over",
                              "sum_imports_and_pytest_start_s": round(imports, 2),
                              "ratio_to_imports": round(wall / imports, 2), "exit": code}
        shown = ", ".join(f"{w:.1f}" for w in walls)
        print(f"warm tox -e {','.join(envs)} (median of {shown} s): {wall:.1f} s = "
              f"{wall / floors:.2f} x the sum of "
              f"floors + pytest start-ups ({floors:.1f} s; target {TOX_TARGET} x: "
              f"{report['tox_warm']['verdict']}); {wall / imports:.2f} x the sum of bare "
              f"imports + start-ups ({imports:.1f} s); test phases sum {phases:.1f} s")
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"bench: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
