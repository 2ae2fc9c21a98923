"""The report of the committed results files, built as ``tox -e report`` builds it
(``tox.ini``'s ``[testenv:report]``: from the repository root, ``reports/results``
named as such in the report), into a directory of the test's: what the committed
generated files must equal, and the ``parity.html`` the repository does not commit."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from reports import build

REPO = Path(__file__).resolve().parents[1]
#: what regenerates the committed files (tox.ini's [testenv:report] command)
COMMAND = ("tox -e report  (python -m reports.build reports/results --out reports "
           "--readme README.md --spec-doc docs/spec.md)")


def build_committed(out: Path) -> Path:
    """Build the report of ``reports/results`` into ``out``: ``parity.*``,
    ``heatmap.svg``, ``systems/``, ``spec.md`` (docs/spec.md) and ``README.md`` (a
    copy of the README with its matrix refreshed). Returns ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "README.md", out / "README.md")
    here = Path.cwd()
    os.chdir(REPO)
    try:
        assert build.main(["reports/results", "--out", str(out), "--readme",
                           str(out / "README.md"), "--spec-doc", str(out / "spec.md")]) == 0
    finally:
        os.chdir(here)
    return out
