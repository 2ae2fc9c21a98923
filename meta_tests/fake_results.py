"""Results files for the report's tests: written from data alone (``fake_run``), or
from a run of the reference adapter under any env name (``write_run``)."""
from __future__ import annotations

import json
from pathlib import Path

from adapters.reference import ReferenceAdapter
from conformance.differences import Catalogue, Difference
from conformance.results_file import SCHEMA, write_json_atomic
from conformance.session import Session
from reports.build import EXPECTED_ENVS, FamilyDifferences

DROP = object()  # a change that leaves the check out of the file (not run)


def fake_run(path: Path, env: str, catalogue, *, framework: str | None = None,
             version: str = "1.0", capabilities: dict | None = None, config: dict | None = None,
             changes: dict | None = None, complete: bool = True) -> dict:
    """Save and return a schema-2 results file of env ``env``: every check that
    applies to the family ``framework`` (default: the one ``reports.build``
    gives env) conforms, observed == expected, except ``changes``:
    ``{"behaviour/check": {field: value}}`` (``DROP``: left out)."""
    framework = framework or EXPECTED_ENVS.get(env, env)
    changes = dict(changes or {})
    results = []
    for b in catalogue:
        for c in b.checks_for(framework):
            where = f"{b.id}/{c.id}"
            change = changes.pop(where, {})
            if change is DROP:
                continue
            results.append({"behaviour": b.id, "check": c.id, "outcome": "conforms",
                            "expected": c.expected, "observed": c.expected, "message": "",
                            **change})
    assert not changes, f"no such check in the catalogue: {sorted(changes)}"
    data = {"schema": SCHEMA, "env": env, "complete": complete,
            "framework": {"name": env, "family": framework, "version": version,
                          "adapter": "fake",
                          "config": config or {}, "capabilities": capabilities or {}},
            "versions": {"python": "3.11.0", "numpy": "1.0"}, "results": results}
    write_json_atomic(Path(path), data)
    return data


def na(cause: dict, message: str = "") -> dict:
    """The fields of an n/a result owed to ``cause``."""
    return {"outcome": "n/a", "observed": None, "cause": cause,
            "message": message or f"needs {json.dumps(cause)}"}


def write_run(path: Path, env: str, catalogue, mutations=()) -> dict:
    """Run every check of ``catalogue`` on the reference adapter with ``mutations``,
    save it as env ``env`` at ``path`` and return the data."""
    s = Session(ReferenceAdapter(list(mutations)), catalogue, env, path)
    for b in catalogue:
        s.result(b.id, b.checks[0].id)
    s.write(final=True)
    return json.loads(Path(path).read_text())


def edit_result(path: Path, where: str, **changes) -> None:
    """Change fields (``outcome``, ``observed``, ``message``) of check ``where``."""
    data = json.loads(Path(path).read_text())
    r = next(r for r in data["results"] if f"{r['behaviour']}/{r['check']}" == where)
    r.update(changes)
    write_json_atomic(Path(path), data)


def edit_versions(path: Path, version: str | None = None, config: dict | None = None,
                  **versions) -> None:
    """Change what a results file records of its versions: the framework's
    ``version``, keys of ``framework.config`` and of ``versions``."""
    data = json.loads(Path(path).read_text())
    if version is not None:
        data["framework"]["version"] = version
    data["framework"]["config"].update(config or {})
    data["versions"].update(versions)
    write_json_atomic(Path(path), data)


MXNET_CAPS = {"params_before_data": "shaped", "init_step": "deferred",
              "model_wide_initializer": True, "per_layer_input": True, "model_input": True,
              "mutable_in_place": True, "name_selection": "regex"}
TORCH_CAPS = {**MXNET_CAPS, "params_before_data": "shapeless", "init_step": "none",
              "model_wide_initializer": False, "name_selection": "none"}
TF_CAPS = {**TORCH_CAPS, "params_before_data": "none"}
DEFERRED = na({"capability": "init_step=deferred"})
INIT_DEFERRED = ("initialize-deferred/states-after-initialize",
                 "initialize-deferred/weight-draws-at-initialize",
                 "initialize-deferred/read-raises-deferred")
REPRO_CODE = "import torch\nprint('OBSERVED unknown-dims/weight-shapes', 1 < 2)\n"


def diverges(observed, difference: str = "", **more) -> dict:
    return {"outcome": "diverges", "observed": observed, "difference": difference, **more}


def fake_world(directory: Path, catalogue) -> tuple[Path, dict]:
    """Results of mxnet (all conform), torch 2.0.1 and tf 3.15.1 (a few differences,
    n/a checks of each kind of cause), flax not run; and the differences that
    explain them, as ``reports.build.load_differences`` gives them (``{family:
    FamilyDifferences}``, repros in ``directory/repros``). Returns (results
    directory, differences)."""
    results, repros = Path(directory) / "results", Path(directory) / "repros"
    results.mkdir(parents=True)
    repros.mkdir()
    (repros / "shapeless.py").write_text(REPRO_CODE, encoding="utf-8")
    fake_run(results / "mxnet.json", "mxnet", catalogue, version="1.9.1",
             capabilities=MXNET_CAPS, config={"numpy_shape": False, "numpy_array": False},
             changes={
                 "doc-claims/mxnet-constant-one-sets-all": diverges(False)})
    fake_run(results / "torch.json", "torch", catalogue, version="2.0.1",
             capabilities=TORCH_CAPS, changes={
                 "unknown-dims/weight-shapes": diverges(
                     {"0.weight": "raises:no-value", "1.weight": "raises:no-value"},
                     "torch/shapeless-uninitialized"),
                 "unknown-dims/bias-shapes": na({"capability": "params_before_data=shaped"}),
                 **dict.fromkeys(INIT_DEFERRED, DEFERRED),
                 "partial-spec/second-shape-before-data":
                     na({"capability": "params_before_data=shaped"}),
                 "save-load/load-into-never-run": diverges("raises:other",
                                                           "torch/load-needs-forward"),
                 "save-load/shapes-after-load": na({"check": "load-into-never-run"}),
                 "save-load/values-equal": na({"check": "load-into-never-run"}),
                 "default-init/bias-values": diverges("drawn"),
                 "varying-input/extra-axes-output": diverges([2, 4, 10], "torch/last-axis"),
                 "doc-claims/torch-shape-after-forward": diverges("torch.Size([20, 256])")})
    fake_run(results / "tf.json", "tf", catalogue, version="3.15.1", capabilities=TF_CAPS,
             changes={
                 "unknown-dims/param-ids": diverges([], "keras/no-weights-before-build"),
                 "unknown-dims/weight-shapes": na({"capability": "params_before_data!=none"}),
                 **dict.fromkeys(INIT_DEFERRED, DEFERRED),
                 "partial-spec/second-shape-before-data":
                     na({"capability": "params_before_data=shaped"}),
                 "varying-input/extra-axes-output": diverges([2, 4, 10], "keras/dense-last-axis"),
                 "naming/regex-select": {"outcome": "unsupported", "observed": None,
                                         "message": "no regex API",
                                         "difference": "keras/no-regex-selection"},
                 "doc-claims/tf-get-weights-raises": diverges("returned []")})

    def cat(fw, *items):
        return FamilyDifferences.of(Catalogue(
            fw, Path(directory) / f"{fw}.toml",
            [Difference(i, f"{i} statement", f"{i} evidence", repros / r, tuple(e))
             for i, r, e in items]))

    return results, {
        "mxnet": cat("mxnet"),
        "torch": cat("torch",
                     ("torch/shapeless-uninitialized", "shapeless.py",
                      ["unknown-dims/weight-shapes"]),
                     ("torch/load-needs-forward", "missing.py",
                      ["save-load/load-into-never-run"]),
                     ("torch/last-axis", "last_axis.py", ["varying-input/extra-axes-output"]),
                     ("torch/idle-one", "idle.py", ["naming/unique"])),
        "keras": cat("keras",
                  ("keras/no-weights-before-build", "no_weights.py", ["unknown-dims/param-ids"]),
                  ("keras/dense-last-axis", "dense.py", ["varying-input/extra-axes-output"]),
                  ("keras/no-regex-selection", "regex.py", ["naming/regex-select"]))}
