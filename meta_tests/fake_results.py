"""Results files of reference runs, saved under any env name (no framework needed)."""
from __future__ import annotations

import json
from pathlib import Path

from adapters.reference import ReferenceAdapter
from conformance.session import Session


def write_run(path: Path, env: str, catalogue, mutations=()) -> dict:
    """Run every check of ``catalogue`` on the reference adapter with ``mutations``,
    save it as env ``env`` at ``path`` and return the data."""
    s = Session(ReferenceAdapter(list(mutations)), catalogue, env, path)
    for b in catalogue:
        s.result(b.id, b.checks[0].id)
    s.write()
    return json.loads(Path(path).read_text())


def edit_result(path: Path, where: str, **changes) -> None:
    """Change fields (``outcome``, ``observed``, ``message``) of check ``where``."""
    data = json.loads(Path(path).read_text())
    r = next(r for r in data["results"] if f"{r['behaviour']}/{r['check']}" == where)
    r.update(changes)
    Path(path).write_text(json.dumps(data))
