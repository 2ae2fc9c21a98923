"""The results-file format shared by the runner and the reporter (no numpy here)."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

SCHEMA = 2
OUTCOMES = ("conforms", "diverges", "unsupported", "n/a", "blocked", "error", "crash", "timeout")


def dumps_records(data: dict) -> str:
    """``data`` as JSON with one record a line: each top-level key on its own line and,
    where its value is a non-empty list or object, each entry of it (a check's
    result, a behaviour's seconds, a self-test) on a line of its own; deeper values
    stay on their entry's line. A diff of two runs then shows the changed checks."""
    def entries(value) -> str:
        if isinstance(value, dict) and value:
            inner, ends = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in value.items()], "{}"
        elif isinstance(value, list) and value:
            inner, ends = [json.dumps(v) for v in value], "[]"
        else:
            return json.dumps(value)
        return ends[0] + "\n  " + ",\n  ".join(inner) + "\n " + ends[1]

    return "{\n " + ",\n ".join(f"{json.dumps(k)}: {entries(v)}" for k, v in data.items()) + "\n}"


def write_json_atomic(path: Path, data: dict, compact: bool = False) -> None:
    """Write ``data`` to ``path`` via a temp file and a rename: never half a file.
    The one writer of results files: one record a line (``dumps_records``);
    ``compact``: one line (the progress writes after every behaviour)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(data, separators=(",", ":")) if compact
                    else dumps_records(data))
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> dict | None:
    """The results file at ``path``, or None when it is missing or unreadable."""
    return read_results(path)[0]


def read_results(path: Path) -> tuple[dict | None, str]:
    """(results, "") or (None, why it is unreadable): the one reader of results
    files (the runner's resume, the supervisor, the reporter, the tools)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"not valid JSON ({type(exc).__name__}: {str(exc)[:80]})"
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return None, "no 'results' list"
    if data.get("schema") != SCHEMA:
        return None, f"schema {data.get('schema')!r}, this reporter reads schema {SCHEMA}"
    return data, ""
