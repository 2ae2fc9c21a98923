"""The child processes of ``shard_init`` (group sharded), framework-free:
a request is pickled to a temp file, the child (``python -m adapters.shard_child
MODULE:FUNCTION REQUEST OUT``) loads the adapter by name and pickles back its result, its
``Unsupported`` or its error. Used by ``adapters/{torch,flax,keras}_sharded.py``."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

from adapters.bugs import is_harness_bug
from adapters.interface import (PLAIN_ERRORS, Dense, Flatten, PlatformLacks, Unsupported,
                                leaves)

REPO = Path(__file__).resolve().parents[1]
#: seconds a child may take (start-up, devices or rendezvous, the initialization):
#: below the suite's per-behaviour limit (45 s), so the adapter ends its children
TIMEOUT = 40
#: the child's module (``adapters/shard_child.py``)
CHILD = "adapters.shard_child"
#: the contract's plain Python errors by name: the child's adapter bugs (``adapters.bugs``,
#: the recorder's judge), raised again in the parent
PLAIN = {e.__name__: e for e in PLAIN_ERRORS}


class ShardProcessError(RuntimeError):
    """The child failed with the framework's error, or did not finish in time (its
    traceback in ``trace``)."""

    def __init__(self, message: str, trace: str = ""):
        super().__init__(message)
        self.trace = trace


def dense_weight_ids(arch) -> list:
    """The logical ids of the Dense weights of ``arch`` (parameterised layers counted
    in forward order; a shared layer at each use)."""
    out, index = [], 0
    for node in leaves(arch):
        if isinstance(node, Flatten):
            continue
        if isinstance(node, Dense):
            out.append(f"{index}.weight")
        index += 1
    return out


def child_env(extra: dict) -> dict:
    """The parent's environment, the repository on ``PYTHONPATH``, and ``extra``."""
    path = [str(REPO)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(path), **extra)


def run_child(work: str, request: dict, env: dict, timeout: float = TIMEOUT) -> dict:
    """Run ``work`` (``module:function``) in ``python -m adapters.shard_child`` on
    ``request`` and return its pickled result (re-raising its ``Unsupported`` or
    reporting its error)."""
    with tempfile.TemporaryDirectory(prefix="lazyinit-shard-") as tmp:
        req, out = Path(tmp, "request.pkl"), Path(tmp, "result.pkl")
        req.write_bytes(pickle.dumps(request))
        try:
            proc = subprocess.run([sys.executable, "-m", CHILD, work, str(req), str(out)],
                                  cwd=str(REPO), env=env, capture_output=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired as exc:   # subprocess.run has killed it
            tail = (exc.stderr or b"").decode("utf-8", "replace")[-1500:]
            raise ShardProcessError(f"{work} did not finish within {timeout} s", tail) \
                from None
        if not out.exists():
            tail = (proc.stderr or b"").decode("utf-8", "replace")[-1500:]
            raise ShardProcessError(f"{work} exited {proc.returncode} without a result",
                                    tail)
        result = pickle.loads(out.read_bytes())
    return raise_result(result)


def raise_result(result: dict, where: str = "") -> dict:
    """A child's result, or what it raised raised again here: ``Unsupported``,
    ``PlatformLacks``, an adapter bug as its own plain Python error (so the suite
    says "error", fix the adapter), else the framework's error (``ShardProcessError``)."""
    if "unsupported" in result:
        raise Unsupported(*result["unsupported"])
    if "lacks" in result:
        raise PlatformLacks(*result["lacks"])
    if "bug" in result:
        kind, message, trace = result["bug"]
        raise PLAIN[kind](f"{where}{message} (in the child process: {trace})")
    if "error" in result:
        kind, message, trace = result["error"]
        raise ShardProcessError(f"{where}{kind}: {message}", trace)
    return result


def child_main(argv, work) -> int:
    """A child's entry point: ``work(request)`` -> the pickled result, or the
    ``Unsupported`` / error it raised, judged as the recorder judges it
    (``adapters.bugs.is_harness_bug``: this repository's adapters are its own code)."""
    request_path, out_path = argv[0], argv[1]
    request = pickle.loads(Path(request_path).read_bytes())
    try:
        result = work(request)
    except Unsupported as exc:
        result = {"unsupported": (exc.what, exc.reason)}
    except PlatformLacks as exc:
        result = {"lacks": (exc.premise.split(":", 1)[1], str(exc).split(": ", 1)[1])}
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        what = (type(exc).__name__, str(exc), traceback.format_exc())
        result = {"bug": what} if is_harness_bug(exc) else {"error": what}
    Path(out_path).write_bytes(pickle.dumps(result))
    return 0
