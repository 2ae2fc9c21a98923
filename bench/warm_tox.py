"""With ``--tox``: a warm ``tox -e <envs>`` timed end to end, as a user runs it (median
of ``--tox-repeat`` runs), against the sum of floors + pytest start-ups (budget
TOX_TARGET x, ``bench.budgets``) and of bare imports + start-ups; the results and JUnit
files it rewrites are put back afterwards. (Not named tox.py: ``python bench/run.py``
puts bench/ first on ``sys.path``, where it would shadow the tox package.)"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bench.budgets import TOX_TARGET, verdict
from bench.envs import REPO, timed
from bench.floor import floors_and_starts


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


def tox_report(envs: list, rows: list, repeat: int, phases: float) -> dict:
    """Time ``repeat`` warm tox runs over ``envs`` (at least one), print the median
    against the envs' ``rows`` and return it (``phases``: the test phases' sum)."""
    runs = [tox_warm(envs) for _ in range(max(1, repeat))]
    walls = sorted(w for w, _ in runs)
    wall, code = walls[len(walls) // 2], max(c for _, c in runs)
    floors = floors_and_starts(rows)
    imports = sum(r["import_s"] + r["pytest_start_s"] for r in rows)
    got = {"wall_s": round(wall, 2), "walls_s": [round(w, 2) for w in walls],
           "sum_test_phases_s": phases, "sum_floors_and_pytest_start_s": round(floors, 2),
           "ratio_to_floors": round(wall / floors, 2),
           "verdict": verdict(wall / floors, TOX_TARGET),
           "sum_imports_and_pytest_start_s": round(imports, 2),
           "ratio_to_imports": round(wall / imports, 2), "exit": code}
    shown = ", ".join(f"{w:.1f}" for w in walls)
    print(f"warm tox -e {','.join(envs)} (median of {shown} s): {wall:.1f} s = "
          f"{wall / floors:.2f} x the sum of floors + pytest start-ups ({floors:.1f} s; "
          f"target {TOX_TARGET} x: {got['verdict']}); {wall / imports:.2f} x the sum of bare "
          f"imports + start-ups ({imports:.1f} s); test phases sum {phases:.1f} s")
    return got
