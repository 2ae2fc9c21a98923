"""Whose bug is an exception: the adapter's (or the harness's) -- outcome ``error``,
"fix the adapter" -- or the framework's behaviour, observed as such. One judge for
the recorder (``conformance/recorder.py``) and for the child processes of
``shard_init`` (``adapters/shard_process.py``), so an error gets one verdict
wherever it is raised; the rule is the contract's (``adapters/interface.py``, module
doc: "Any other exception ...")."""
from __future__ import annotations

import builtins
import dis
import inspect
import itertools
import re
from pathlib import Path

from adapters.interface import PLAIN_ERRORS

REPO = Path(__file__).resolve().parents[1]
_FRAMEWORK_FILES = (REPO / "adapters" / "reference.py",)  # the reference "framework"


def adapter_files(fw) -> tuple:
    """The source files of the adapter's class and its bases (an adapter outside
    this repository is its own code too: a bug there is ``error``); a harness proxy
    (``Traced``, a vacuity perturbation) names the adapter it wraps as ``__wrapped__``."""
    files = []
    while "__wrapped__" in vars(type(fw)):
        fw = fw.__wrapped__
    for cls in type(fw).__mro__:
        try:
            files.append(Path(inspect.getfile(cls)).resolve())
        except (TypeError, OSError):
            pass
    return tuple(f for f in files if f not in _FRAMEWORK_FILES)


#: a TypeError a call raises before the callee runs: the caller passed wrong arguments
_ARITY = re.compile(r"(takes|expected) .*(argument|positional)|missing \d+ required|"
                    r"unexpected keyword argument|got multiple values")
_CALLS = ("CALL", "CALL_FUNCTION", "CALL_METHOD", "CALL_FUNCTION_EX", "CALL_KW", "PRECALL")


def _ours(path: Path, own) -> bool:
    installed = "site-packages" in path.parts or "dist-packages" in path.parts
    return (REPO in path.parents and path not in _FRAMEWORK_FILES and not installed) or \
        path in own


def _callee(tb):
    """The object a call instruction at ``tb`` called, when the call expression is a
    plain dotted name (``pickle.dumps``, ``self.net``); else None."""
    code, frame = tb.tb_frame.f_code, tb.tb_frame
    try:
        line, end, col, _ = next(itertools.islice(code.co_positions(), tb.tb_lasti // 2, None))
        lines, first = inspect.getsourcelines(code)
        first = first or 1
        expr = "".join(lines[line - first:end - first + 1])[col:]
        name = re.match(r"\s*([A-Za-z_][\w.]*)\s*\(", expr).group(1)
    except (StopIteration, OSError, TypeError, IndexError, AttributeError):
        return None
    head, *rest = name.split(".")
    scopes = (frame.f_locals, frame.f_globals, vars(builtins))
    obj = next((sc[head] for sc in scopes if head in sc), None)
    for part in rest:
        obj = inspect.getattr_static(obj, part, None) if obj is not None else None
    return obj


def _raised_by_call(tb) -> bool:
    """Whether the exception left the frame ``tb`` from a call instruction: the
    callee raised it without a Python frame of its own (C code: ``pickle.dumps``, a
    framework's kernels)."""
    try:
        op = next(i.opname for i in dis.get_instructions(tb.tb_frame.f_code)
                  if i.offset == tb.tb_lasti)
    except StopIteration:
        return False
    return op in _CALLS


def is_harness_bug(exc: BaseException, own=()) -> bool:
    """A plain Python error (``PLAIN_ERRORS``) raised by this repository's own code or
    one of the files ``own`` (the adapter's), judged by the *raising operation*, not
    only the innermost frame: an error that comes out of a call the adapter makes
    into code without a Python frame (C: ``pickle.dumps`` of a closure, a framework
    kernel) is that call's, so the framework's -- unless the call itself was wrong
    (an arity ``TypeError``) or the callee is a Python builtin or the adapter's own
    function. Installed packages (``site-packages``, a framework in ``.tox/``) are
    never ours."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None or type(exc) not in PLAIN_ERRORS:
        return False
    path = Path(tb.tb_frame.f_code.co_filename).resolve()
    if not _ours(path, own):
        return False
    if not _raised_by_call(tb) or (type(exc) is TypeError and _ARITY.search(str(exc))):
        return True
    callee = _callee(tb)
    if callee is None:
        return False
    module = getattr(callee, "__module__", None) or getattr(
        getattr(callee, "__self__", None), "__name__", None)
    if module == "builtins":
        return True
    try:
        where = Path(inspect.getfile(callee)).resolve()
    except (TypeError, OSError):
        return False
    return _ours(where, own)
