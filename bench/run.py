"""Benchmark: what the conformance run costs on top of the framework's own work.

    python bench/run.py [--envs mxnet,mxnet-np,...] [--repeat 5] [--tox [--tox-repeat 3]]
                        [--no-abstract-1b | --deferred-only]

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
  ``conformance.uses.Clock``) + the repros (plain framework scripts that
  ``test_repros.py`` runs in one fresh interpreter of their own, its framework
  import included; their test times from the JUnit XML). The budget
  is the test phase <= FLOOR_TARGET x the floor; the old ratio (test phase / bare
  import, the earlier budget of 2x) is kept alongside;
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

Deferred materialization, per env, a second table:
* the family's run time: the behaviours whose operations use the groups
  abstract-build or sharded (``spec/catalogue.py``), summed from the run's results
  file (``seconds``, ``framework_seconds`` per behaviour);
* the 1 B-parameter abstract build, in a fresh child process of the env's own
  interpreter and environment: the adapter loaded, a warm-up abstract build of a tiny
  arch (JAX's first trace costs ~47 MiB), then ``build_abstract((Dense(16384),) * 4,
  (16384,))`` (1 073 807 360 parameters, 4 GiB as float32): wall time, growth of the
  current RSS (``/proc/self/statm``) and of ``ru_maxrss``, the parameter count and
  ``memory_bytes == 0``. Before the build ``RLIMIT_AS`` is set to the virtual size
  reached after imports and warm-up + 1.5 GiB (JAX and TensorFlow reserve much
  virtual memory at import, so a limit set earlier would break them); a 2 GiB
  ``mmap`` probe proves the limit holds, else an RSS watchdog ends the child at
  +1.5 GiB. An adapter that materialises fails its child, never the machine. A
  system without the group says n/a naming ``group:abstract-build``. Not a test:
  bench output only (the budget shown, < 50 MiB, is the design's).
``--no-abstract-1b`` leaves the 1 B build out; ``--deferred-only`` runs only the
second table, with the family's time from ``reports/results/<env>.json`` (the last
tox run) instead of a conformance run, and writes ``--out`` only when given.
Prints the tables and writes ``reports/bench.json``.
"""
from __future__ import annotations

import argparse
import json
import math
import mmap
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
from adapters.interface import Dense, groups_of  # noqa: E402  (no framework)
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
#: the framework's own work in the run), and a warm tox over the envs <=
#: TOX_TARGET x (the sum of floors + pytest start-ups); RATIO_TARGET: the earlier
#: budget (test phase <= 2x the bare import), still printed; the properties
#: run (``--properties -m property``, its own budget) <= PROPERTY_BUDGET_S
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
    (plain framework scripts ``test_repros.py`` runs in one fresh interpreter)."""
    repros = 0.0
    if junit.is_file():
        for case in ET.parse(junit).iter("testcase"):
            if case.get("classname", "").endswith("test_repros"):
                repros += float(case.get("time") or 0)
    parts = {"behaviours_s": sum(data.get("framework_seconds", {}).values()),
             "selftests_s": sum(data.get("selftest_framework_seconds", {}).values()),
             "setup_s": data.get("setup_framework_seconds", 0.0), "repros_s": repros}
    return {k: round(v, 3) for k, v in parts.items()}


#: the deferred-materialization family: the catalogue's group of that name
FAMILY_GROUP = "materialise"
#: the 1 B-parameter abstract build: 4 x Dense(16384) on 16384 features, and the
#: tiny warm-up before it; the child's headroom over its virtual size (RLIMIT_AS)
BIG_ARCH, BIG_INPUT = (Dense(16384),) * 4, (16384,)
BIG_PARAMS = 4 * (16384 * 16384 + 16384)
WARM_ARCH, WARM_INPUT = (Dense(8), Dense(4)), (16,)
HEADROOM, RSS_BUDGET_MIB = 3 << 29, 50


def deferred_family() -> list:
    """The ids of the catalogue's behaviours of group ``FAMILY_GROUP``
    (build-without-memory, ..., sharded-init-equals-whole)."""
    from spec.catalogue import load_catalogue  # no framework import
    return [b.id for b in load_catalogue() if b.group == FAMILY_GROUP]


def family_seconds(data: dict, family: list) -> dict:
    """The family's seconds (and framework seconds) in one results file, and how many
    of its behaviours the file has."""
    seconds, inside = data.get("seconds", {}), data.get("framework_seconds", {})
    ran = [b for b in family if b in seconds]
    return {"family_s": round(sum(seconds[b] for b in ran), 3),
            "family_framework_s": round(sum(inside.get(b, 0.0) for b in ran), 3),
            "family_ran": f"{len(ran)}/{len(family)}",
            "family_slowest": max(ran, key=seconds.get) if ran else None}


def _memory() -> tuple:
    """(current RSS, virtual size, peak RSS) of this process in bytes: the first two
    from ``/proc/self/statm`` (Linux), the peak from ``ru_maxrss`` (KiB on Linux)."""
    import resource
    size, rss = (int(v) * os.sysconf("SC_PAGE_SIZE")
                 for v in Path("/proc/self/statm").read_text().split()[:2])
    return rss, size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _guard(virtual: int, rss: int) -> str:
    """Cap this process at ``virtual`` + ``HEADROOM`` of address space (RLIMIT_AS) and
    prove it with a 2 GiB ``mmap`` that must fail; where it does not (a hard limit
    already lower, or none enforced), an RSS watchdog thread ends the process at
    ``rss`` + ``HEADROOM`` instead (it polls every 5 ms, so one native call that
    allocates without releasing the GIL can overshoot). Returns which guard holds."""
    import resource
    import threading
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = virtual + HEADROOM
    if hard == resource.RLIM_INFINITY or want <= hard:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
        try:
            mmap.mmap(-1, 2 << 30).close()
        except OSError:
            return f"RLIMIT_AS +{HEADROOM >> 20} MiB"
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))

    def watch():
        while True:
            if _memory()[0] > rss + HEADROOM:
                print(json.dumps({"error": "RSS watchdog: grew past "
                                  f"{HEADROOM >> 20} MiB"}), flush=True)
                os._exit(3)
            time.sleep(0.005)
    threading.Thread(target=watch, daemon=True).start()
    return f"RSS watchdog +{HEADROOM >> 20} MiB"


def abstract_1b_child(name: str) -> dict:
    """In the env's own interpreter (``--abstract-child``): the adapter, a warm-up
    abstract build, the guard, then the 1 B-parameter abstract build, measured."""
    from adapters import load
    fw = load(name)
    if "abstract-build" not in groups_of(fw):
        return {"na": "group:abstract-build"}
    t0 = time.perf_counter()
    warm = fw.build_abstract(WARM_ARCH, WARM_INPUT)
    fw.memory_bytes(warm)
    for pid in fw.param_ids(warm):
        fw.param_shape(warm, pid)
    warm_s = time.perf_counter() - t0
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
    why it failed."""
    host, _, extra = ENVS[env]
    cmd = [str(REPO / ".tox" / host / "bin" / "python"), str(Path(__file__).resolve()),
           "--abstract-child", env]
    try:
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout,
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
    return {**family_seconds(data, deferred_family()),
            "env": env, "import_s": round(imp, 3), "pytest_start_s": round(pytest_start, 3),
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
    ap.add_argument("--out", type=Path, default=None,
                    help="the JSON report (default reports/bench.json; with "
                    "--deferred-only none unless given)")
    ap.add_argument("--no-abstract-1b", action="store_true",
                    help="leave out the 1 B-parameter abstract build per env")
    ap.add_argument("--deferred-only", action="store_true",
                    help="only the deferred-materialization table: the 1 B build, and the "
                    "family's time from reports/results/<env>.json")
    ap.add_argument("--abstract-child", metavar="ENV", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.abstract_child:   # the child process of abstract_1b, in the env's interpreter
        print(json.dumps(abstract_1b_child(args.abstract_child)), flush=True)
        return 0
    envs = args.envs.split(",")
    if args.deferred_only:
        deferred_table(envs, [], not args.no_abstract_1b, args.out)
        return 0
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
    report["deferred"] = deferred_table(envs, rows, not args.no_abstract_1b, None)
    out = args.out or REPO / "reports" / "bench.json"
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"bench: wrote {out}")
    return 0


DEFERRED_HEAD = ("env", "family s", "framework s", "ran", "1B build s", "RSS growth MiB",
                 f"< {RSS_BUDGET_MIB} MiB", "params", "memory 0", "guard")


def deferred_table(envs: list, rows: list, big: bool, out: Path | None):
    """Print the deferred-materialization table: per env the family's time (from
    ``rows``, the bench's own runs, else ``reports/results/<env>.json``) and the 1 B
    abstract build (``big``). Returns its rows; writes them to ``out`` if given."""
    family, found = deferred_family(), {r["env"]: r for r in rows}
    table = []
    for env in envs:
        row = found.get(env)
        if row is None:
            path = REPO / "reports" / "results" / f"{env}.json"
            data = json.loads(path.read_text()) if path.is_file() else {}
            row = family_seconds(data, family)
        got = abstract_1b(env) if big else {}
        table.append({"env": env, **{k: row.get(k) for k in
                      ("family_s", "family_framework_s", "family_ran", "family_slowest")},
                      "abstract_1b": got})
        print(f"bench: {env} deferred done", file=sys.stderr, flush=True)
    cells = [[r["env"], r["family_s"], r["family_framework_s"], r["family_ran"],
              *_big_cells(r["abstract_1b"], big)] for r in table]
    widths = [max(len(h), *(len(str(c[i])) for c in cells))
              for i, h in enumerate(DEFERRED_HEAD)]
    print(f"deferred materialization (family: {', '.join(family)})")
    print("  ".join(f"{h:>{w}}" for h, w in zip(DEFERRED_HEAD, widths)))
    for c in cells:
        print("  ".join(f"{v!s:>{w}}" for v, w in zip(c, widths)))
    print(f"(family s = the family's behaviours' seconds in the run, framework s = inside "
          f"the adapter's operations, ran = behaviours in the results / in the family; "
          f"1B = build_abstract((Dense(16384),) * 4, (16384,)) after a warm-up, RSS growth "
          f"= current / ru_maxrss, budget < {RSS_BUDGET_MIB} MiB on the larger)")
    if out is not None:
        out.write_text(json.dumps({"deferred": table}, indent=1) + "\n")
        print(f"bench: wrote {out}")
    return table


def _big_cells(got: dict, big: bool) -> list:
    """The 1 B columns of one env: its numbers, n/a naming the group, or the error."""
    if not big:
        return ["not run"] + [""] * 5
    if "na" in got:
        return [f"n/a ({got['na']})"] + [""] * 5
    if "error" in got:
        return [f"FAILED: {got['error']}"] + [""] * 5
    yes = {True: "yes", False: "NO"}
    return [got["seconds"], f"{got['rss_growth_mib']} / {got['maxrss_growth_mib']}",
            yes[got["under_budget"]], f"{got['params']:,}" + ("" if got["params_ok"] else " (!)"),
            yes[got["no_memory"]], got["guard"]]


if __name__ == "__main__":
    sys.exit(main())
