"""The bench's budgets, in one place, and the lines that say where they stand.

A default run's test phase <= FLOOR_TARGET x its floor (bare import + the framework's
own work in the run, ``bench.floor``); a warm tox over the envs <= TOX_TARGET x (the
sum of floors + pytest start-ups, ``bench.warm_tox``); RATIO_TARGET: the earlier
budget (test phase <= 2x the bare import), still printed; the properties run
(``--properties -m property``, its own budget) <= PROPERTY_BUDGET_S with JAX's
compilation cache warm; the 1 B-parameter abstract build's RSS growth <
RSS_BUDGET_MIB (the design's, ``bench.abstract_1b``)."""
from __future__ import annotations

FLOOR_TARGET, TOX_TARGET, RATIO_TARGET, PROPERTY_BUDGET_S = 1.3, 1.3, 2.0, 15.0
RSS_BUDGET_MIB = 50
#: as the JSON report states them
REPORTED = {"floor_ratio": FLOOR_TARGET, "tox_floor_ratio": TOX_TARGET,
            "import_ratio": RATIO_TARGET, "property_s": PROPERTY_BUDGET_S}


def verdict(ratio: float, target: float) -> str:
    return "met" if ratio <= target else "over"


def _where(over: list, sep: str) -> str:
    return f"over in {sep.join(over)}" if over else "met in every env"


def budget_lines(rows: list) -> list:
    """Where the per-env budgets stand over ``rows``, and a warning naming the runs
    that did not pass (their numbers are not the suite's)."""
    over = [f"{r['env']} ({r['floor_ratio']}: {r['harness_s']:.2f} s over the floor, of it "
            f"{r['harness_fixed_s']:.2f} s fixed, {r['harness_per_test_s']:.2f} s per-test)"
            for r in rows if r["floor_verdict"] != "met"]
    old = [f"{r['env']} ({r['ratio']})" for r in rows if r["ratio"] > RATIO_TARGET]
    slow = [f"{r['env']} ({r['property_s']:.1f} s)" for r in rows
            if r["property_s"] > PROPERTY_BUDGET_S]
    lines = [f"budget: test phase <= {FLOOR_TARGET} x floor: {_where(over, '; ')}",
             f"old budget: test phase <= {RATIO_TARGET} x import: {_where(old, ', ')}; "
             f"properties run <= {PROPERTY_BUDGET_S:.0f} s: {_where(slow, ', ')}"]
    broken = [f"{r['env']} (exit {r['pytest_exits']}, compile {r['compile_exit']}, properties "
              f"{r['property_exit']})" for r in rows
              if {*r["pytest_exits"], r["compile_exit"], r["property_exit"]} - {0}]
    if broken:
        lines.append(f"WARNING: runs that did not pass, their numbers are not the suite's: "
                     f"{'; '.join(broken)}")
    return lines
