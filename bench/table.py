"""The bench's tables: right-aligned columns as wide as their widest cell, and the
per-env table's columns (``bench.floor``, ``bench.phases``)."""
from __future__ import annotations

#: the per-env table: (heading, the row's key)
HEAD = (("env", "env"), ("import", "import_s"), ("in run", "import_in_run_s"),
        ("share", "preloaded_share"), ("start", "pytest_start_s"),
        ("framework", "framework_s"), ("floor", "floor_s"), ("phase", "test_phase_s"),
        ("/floor", "floor_ratio"), ("verdict", "floor_verdict"),
        ("/fresh", "fresh_floor_ratio"), ("/import", "ratio"),
        ("adapter", "adapter_load_s"), ("empty", "nothing_selected_s"),
        ("fixed", "harness_fixed_s"),
        ("per-test", "harness_per_test_s"), ("med ms", "median_behaviour_ms"),
        ("max ms", "max_behaviour_ms"), ("RSS", "peak_rss_mib"),
        ("compile", "compile_marker_s"), ("properties", "property_s"))
LEGEND = ("(seconds; import = a bare import in fresh interpreters around the phase; in run = "
          "the adapter's load timed inside the phase; share = the part of a bare import the "
          "phase had paid before it (bench.preloaded); framework = inside the adapter's "
          "operations + the repros; floor = in run / (1 - share) + framework; /fresh = phase "
          "/ (import + framework); adapter = a fresh interpreter loading the adapter (its "
          "framework imports); empty = the same pytest command with nothing selected; "
          "fixed = empty - import; per-test = phase - empty - framework)")


def print_table(head, cells: list) -> None:
    """Print ``head`` and the rows ``cells``, each column right-aligned."""
    widths = [max(len(h), *(len(str(c[i])) for c in cells)) for i, h in enumerate(head)]
    print("  ".join(f"{h:>{w}}" for h, w in zip(head, widths)))
    for c in cells:
        print("  ".join(f"{v!s:>{w}}" for v, w in zip(c, widths)))


def print_envs(rows: list) -> None:
    """Print the per-env table of ``rows`` and its legend."""
    print_table([h for h, _ in HEAD], [[r[k] for _, k in HEAD] for r in rows])
    print(LEGEND)
