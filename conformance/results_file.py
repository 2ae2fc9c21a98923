"""The results-file format shared by the runner and the reporter (no numpy here).

A run in progress keeps its results in a *progress file* beside the results file
(``<results>.progress``, ``progress_path``): JSON lines, the first a whole results
record, each later one what changed (``append_progress``: a behaviour's results, a
self-test, what is running); ``replay`` folds them into one record. The run ends by
writing the results file (``write_json_atomic``) and removing the progress file.
Every reader goes through ``read_results``, which replays the progress file where
no results file was written yet (a run killed halfway, or still running)."""
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


def write_json_atomic(path: Path, data: dict) -> None:
    """Write ``data`` to ``path`` via a temp file and a rename: never half a file.
    The one writer of results files: one record a line (``dumps_records``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(dumps_records(data))
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: keys a progress line adds to (a list extended, an object updated); any other key's
#: value replaces the one before
ADDED = ("results", "seconds", "framework_seconds", "selftest_seconds",
         "selftest_framework_seconds", "selftests")


def progress_path(path: Path) -> Path:
    """The progress file of the results file ``path``."""
    return Path(path).with_name(Path(path).name + ".progress")


def start_progress(path: Path, data: dict) -> None:
    """Begin ``path``'s progress file with the whole record ``data``; a results file
    left at ``path`` by an earlier run is removed (it would be read instead)."""
    progress = progress_path(path)
    progress.parent.mkdir(parents=True, exist_ok=True)
    progress.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    Path(path).unlink(missing_ok=True)


def append_progress(path: Path, entry: dict) -> None:
    """Add one line (what changed, ``ADDED``) to ``path``'s progress file: a small
    append where a rewrite of the whole file cost ~2 ms a behaviour."""
    with open(progress_path(path), "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, separators=(",", ":")) + "\n")


def replay(text: str) -> dict:
    """The record a progress file's lines fold into. A last line cut short (the
    process killed while appending it) is left out."""
    data: dict = {}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            if i == len(lines) - 1:
                break
            raise
        merge(data, entry)
    return data


def merge(data: dict, entry: dict) -> dict:
    """Fold one progress line ``entry`` into the record ``data`` (``ADDED``: added
    to; any other key: replaced); returns ``data``."""
    for key, value in entry.items():
        if key == "results":
            data.setdefault(key, []).extend(value)
        elif key in ADDED and isinstance(value, dict):
            data[key] = {**(data.get(key) or {}), **value}
        else:
            data[key] = value
    return data


def end_progress(path: Path, data: dict) -> None:
    """Write the results file (the run's last record) and remove the progress file."""
    write_json_atomic(path, data)
    progress_path(path).unlink(missing_ok=True)


def read_json(path: Path) -> dict | None:
    """The results file at ``path``, or None when it is missing or unreadable."""
    return read_results(path)[0]


def read_results(path: Path) -> tuple[dict | None, str]:
    """(results, "") or (None, why it is unreadable): the one reader of results
    files (the runner's resume, the supervisor, the reporter, the tools); where
    only the progress file is there, its replay."""
    path, progress = Path(path), progress_path(path)
    try:
        data = (replay(progress.read_text(encoding="utf-8"))
                if progress.is_file() and not path.is_file()
                else json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"not valid JSON ({type(exc).__name__}: {str(exc)[:80]})"
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return None, "no 'results' list"
    if data.get("schema") != SCHEMA:
        return None, f"schema {data.get('schema')!r}, this reporter reads schema {SCHEMA}"
    return data, ""
