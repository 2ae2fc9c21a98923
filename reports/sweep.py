"""One system over a list of releases, each in its own environment, and the drift
between them.

    python -m reports.sweep keras-jax --pin keras 3.10.0 3.12.0 3.14.0 3.15.1
    python -m reports.sweep flax --pin flax 0.12.8 0.12.12 --with jax=0.12.0.1 --out sweep/flax

Each release runs ``tox -e <system>`` with the pin's tox variable set
(``LAZYINIT_PIN_<DIST>``, the overrides ``tox.ini`` reads; ``--with`` sets others for
every release) in a work dir of its own (``.tox-sweep/<system>/<dist>-<version>``), on
the interpreter the release requires (the first of ``--pythons`` pip can install it
for), and writes ``<out>/<dist>-<version>/<system>.json``. Then ``<out>/drift.md``:
per release its versions and outcome counts, the adapter's faults apart (never a
finding about the framework), and between consecutive releases each check whose
outcome or observed value changed (floats within ``reports.diff``'s tolerance are
the same), with the versions that changed.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from adapters.systems import SYSTEMS
from conformance.results_file import read_results
from reports import diff

REPO = Path(__file__).resolve().parents[1]
#: outcomes that are the adapter's (fix the adapter), never the framework's
ADAPTER_OUTCOMES = ("blocked", "error")


@dataclass(frozen=True)
class Release:
    dist: str
    version: str
    python: str = "python3.11"

    @property
    def label(self) -> str:
        return f"{self.dist}-{self.version}"


def pin_variable(dist: str) -> str:
    """The tox variable that overrides ``dist``'s pin: ``LAZYINIT_PIN_<DIST>``."""
    return "LAZYINIT_PIN_" + re.sub(r"[^A-Za-z0-9]", "_", dist).upper()


def basepython_variable(host: str) -> str:
    return "LAZYINIT_BASEPYTHON_" + re.sub(r"[^A-Za-z0-9]", "_", host).upper()


def check_pin(system: str, dist: str, tox_ini: str) -> None:
    """The host env of ``system`` must read ``dist``'s pin variable in ``tox.ini``."""
    host = SYSTEMS[system].host
    section = re.search(rf"^\[testenv:{re.escape(host)}\]\n(.*?)(?=^\[|\Z)", tox_ini,
                        re.M | re.S)
    if not section or "{env:" + pin_variable(dist) + ":" not in section.group(1):
        raise SystemExit(f"reports.sweep: tox.ini [testenv:{host}] (the env {system} runs "
                         f"in) has no pin {pin_variable(dist)} for {dist}: add "
                         f"'{dist}=={{env:{pin_variable(dist)}:<version>}}' to its deps")


def find_python(name: str) -> str | None:
    """``name`` (``python3.12``) as an absolute path that runs: on ``PATH``, else a
    pyenv install of that version (whose shim refuses it while another is global)."""
    candidates = [shutil.which(name)] + sorted(
        Path.home().glob(f".pyenv/versions/{name.removeprefix('python')}*/bin/{name}"))
    for path in filter(None, candidates):
        if subprocess.run([str(path), "-c", "pass"], capture_output=True).returncode == 0:
            return str(path)
    return None


def host_deps(system: str, env: dict) -> list:
    """The requirements ``tox.ini`` gives the env ``system`` runs in, under ``env``'s
    overrides (``tox config``: tox's own reading of the file)."""
    host = SYSTEMS[system].host
    got = subprocess.run(["tox", "config", "-e", host, "-k", "deps"], cwd=REPO, env=env,
                         capture_output=True, text=True)
    return [line.strip() for line in got.stdout.splitlines()[2:] if line.strip()]


def interpreter_for(requirements: list, pythons: list) -> str:
    """The first interpreter of ``pythons`` for which pip resolves all of an env's
    ``requirements`` (each release's ``Requires-Python``, as pip reads it): what the
    release, and the env's other pins, require."""
    for name in pythons:
        python = find_python(name)
        if python is None:
            continue
        got = subprocess.run([python, "-m", "pip", "install", "--dry-run", "--ignore-installed",
                              "-q", *requirements], capture_output=True, text=True)
        if got.returncode == 0:
            return python
    raise SystemExit(f"reports.sweep: no interpreter of {pythons} can install "
                     f"{' '.join(requirements)}")


def run_release(system: str, release: Release, extra: dict, out: Path) -> Path:
    """``tox -e system`` for one release in its own work dir; its results file."""
    host = SYSTEMS[system].host
    results_dir = out / release.label
    results_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, **extra, **{pin_variable(release.dist): release.version,
                                       basepython_variable(host): release.python,
                                       "LAZYINIT_RESULTS_DIR": str(results_dir),
                                       "LAZYINIT_JUNIT_DIR": str(results_dir)})
    workdir = REPO / ".tox-sweep" / system / release.label
    log = results_dir / "tox.log"
    with log.open("w") as fh:
        subprocess.run(["tox", "--workdir", str(workdir), "-e", system], cwd=REPO, env=env,
                       stdout=fh, stderr=subprocess.STDOUT)
    return results_dir / f"{system}.json"


def summary(data: dict) -> dict:
    counts = Counter(r["outcome"] for r in data["results"])
    faults = [f"{r['behaviour']}/{r['check']}: {r['outcome']} ({r.get('reason', '')[:160]})"
              for r in data["results"] if r["outcome"] in ADAPTER_OUTCOMES]
    failed = [s for s, v in (data.get("selftests") or {}).items()
              if isinstance(v, dict) and v.get("outcome") == "fault"]
    return {"counts": counts, "faults": faults, "selftest_faults": failed}


def changed_versions(old: dict, new: dict) -> list:
    """``["jax 0.10.2 -> 0.12.1", ...]``: ``reports.diff``'s reading of two results files."""
    moved = diff.version_changes(diff.recorded_versions(old), diff.recorded_versions(new))
    return [diff.versions_text([v]) for v in moved]


def drift_lines(old: dict, new: dict) -> list:
    """Each check whose outcome or observed value moved from ``old`` to ``new``
    (``reports.diff.check_changes``: floats within its tolerance are the same)."""
    keyed = lambda data: {(r["behaviour"], r["check"]): r for r in data["results"]}  # noqa: E731
    return [f"| {c['behaviour']}/{c['check']} | {c['outcome'][0]} -> {c['outcome'][1]} | "
            f"`{diff.show(c['observed'][0])}` -> `{diff.show(c['observed'][1])}` |"
            for c in diff.check_changes(keyed(old), keyed(new))]


def release_section(release: Release, data, why: str) -> list:
    if data is None:
        return [f"### {release.label} (Python {release.python})", "",
                f"**No results**: {why} (see its tox.log).", ""]
    s = summary(data)
    counts = ", ".join(f"{n} {o}" for o, n in sorted(s["counts"].items()))
    python = data.get("versions", {}).get("python", "?")
    lines = [f"### {release.label} (Python {python}: {release.python})", "",
             f"{data['framework']['name']} {data['framework']['version']}: {counts}.", ""]
    if s["faults"] or s["selftest_faults"]:
        lines += ["Adapter faults (the adapter's, not the framework's: fix the adapter "
                  "for this release):", ""]
        lines += [f"- self-test {t}: fault" for t in s["selftest_faults"]]
        lines += [f"- {f}" for f in s["faults"]] + [""]
    else:
        lines += ["No adapter fault.", ""]
    return lines


def render(system: str, releases: list, loaded: list) -> str:
    lines = [f"# Drift of {system} over {', '.join(r.label for r in releases)}", "",
             "Observed floats within reports.diff's tolerance count as equal.", "",
             "## Releases", ""]
    for release, (data, why) in zip(releases, loaded):
        lines += release_section(release, data, why)
    lines += ["## Changes between consecutive releases", ""]
    pairs = list(zip(zip(releases, loaded), zip(releases[1:], loaded[1:])))
    for (ra, (a, _)), (rb, (b, _)) in pairs:
        lines += [f"### {ra.label} -> {rb.label}", ""]
        if a is None or b is None:
            lines += ["Not compared: a side has no results.", ""]
            continue
        versions = changed_versions(a, b)
        lines += [f"Versions: {'; '.join(versions) or 'none changed'}.", ""]
        moved = drift_lines(a, b)
        lines += (["| check | outcome | observed |", "|---|---|---|", *moved] if moved
                  else ["No check changed."]) + [""]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reports.sweep",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("system", choices=sorted(SYSTEMS))
    ap.add_argument("--pin", nargs="+", required=True, metavar=("DIST", "VERSION"),
                    help="the distribution to sweep and its releases, oldest first")
    ap.add_argument("--with", dest="extra", action="append", default=[],
                    metavar="DIST=VERSION", help="another pin for every release")
    ap.add_argument("--pythons", default="python3.11,python3.12",
                    help="interpreters to try, in order (comma-separated)")
    ap.add_argument("--out", type=Path, default=None,
                    help="default: sweep/<system>")
    ap.add_argument("--report-only", action="store_true",
                    help="rebuild drift.md from the results already in --out")
    args = ap.parse_args(argv)
    dist, versions = args.pin[0], args.pin[1:]
    if not versions:
        ap.error("--pin needs a distribution and at least one version")
    tox_ini = (REPO / "tox.ini").read_text(encoding="utf-8")
    extra = {}
    for item in args.extra:
        name, _, version = item.partition("=")
        check_pin(args.system, name, tox_ini)
        extra[pin_variable(name)] = version
    check_pin(args.system, dist, tox_ini)
    out = args.out or REPO / "sweep" / args.system
    pythons = args.pythons.split(",")
    releases, loaded = [], []
    for version in versions:
        pinned = dict(os.environ, **extra, **{pin_variable(dist): version})
        python = (find_python(pythons[0]) or pythons[0] if args.report_only
                  else interpreter_for(host_deps(args.system, pinned), pythons))
        release = Release(dist, version, python)
        path = (out / release.label / f"{args.system}.json" if args.report_only
                else run_release(args.system, release, extra, out))
        print(f"reports.sweep: {release.label} on {python}: {path}", flush=True)
        releases.append(release)
        loaded.append(read_results(path) if path.exists() else (None, "tox wrote no results"))
    (out / "drift.md").write_text(render(args.system, releases, loaded), encoding="utf-8")
    print(f"reports.sweep: wrote {out / 'drift.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
