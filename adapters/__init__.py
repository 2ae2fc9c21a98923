"""Adapter registry: ``load(name)`` returns a ready adapter instance.

The one place the framework is chosen (``--framework`` or ``LAZYINIT_FRAMEWORK``):
* a name shipped here (``MODULES``);
* a name registered by an installed package under the entry-point group
  ``lazyinit_conformance.adapters`` (``flaxish = "pkg.module:Class"``);
* ``package.module:Class`` (or ``package.module``, whose ``ADAPTER`` is the class),
  importable from ``sys.path`` -- an adapter that lives outside this repository.
"""
from __future__ import annotations

import importlib
import inspect
import os
import sys
from dataclasses import fields
from importlib.metadata import entry_points

from adapters.interface import (CAPABILITIES, CORE, ELEMENTS, GROUPS, Adapter, Init,
                                MissingParameter, Unsupported)
from adapters.signatures import mismatches
from adapters.systems import SYSTEMS, System

__all__ = ["load", "MODULES", "Adapter", "Init", "MissingParameter", "Unsupported",
           "AdapterLoadError", "ENTRY_POINTS", "source_of"]

#: --framework name -> module holding its adapter class ``ADAPTER`` (the systems of
#: ``adapters/systems.py``, and the reference)
MODULES = {**{s.name: s.adapter for s in SYSTEMS.values()}, "reference": "adapters.reference"}
#: the process environment a system needs before its framework is imported
#: (Keras reads its backend, and tf.keras its major version, at import)
ENVIRONMENT = {s.name: s.environment for s in SYSTEMS.values() if s.environment}
ENTRY_POINTS = "lazyinit_conformance.adapters"
#: what the registry states of a system shipped here (besides its ``name``): never
#: written again on its adapter class (``family_of`` reads the registry)
REGISTRY_FACTS = tuple(f.name for f in fields(System) if f.name != "name")


class AdapterLoadError(Exception):
    """One-line, user-facing reason an adapter cannot be loaded."""


def check_contract(cls) -> None:
    """Fail at once, naming every operation ``cls`` misses or defines with other
    parameters than the contract declares, every capability it does not declare (or
    declares with a value the contract does not know), and a registry fact it repeats."""
    where = f"adapter {cls.__module__}.{cls.__name__}"
    declared = getattr(cls, "groups", None)
    unknown = [g for g in declared or () if g not in GROUPS]
    if unknown:
        raise AdapterLoadError(f"{where}: unknown group(s) {', '.join(unknown)} in groups; "
                               f"choose from {', '.join(GROUPS)}")
    required = CORE + tuple(op for g in declared or () for op in GROUPS[g])
    missing = [op for op in required if getattr(cls, op, None) is getattr(Adapter, op)]
    if missing:
        raise AdapterLoadError(f"{where} misses operation(s): {', '.join(missing)} "
                               "(see adapters/interface.py CORE and GROUPS)")
    wrong = mismatches(cls)
    if wrong:
        raise AdapterLoadError(f"{where} ({_file(cls)}): {'; '.join(wrong)}")
    _check_registry_facts(cls, where)
    caps = getattr(cls, "capabilities", {})
    undeclared = [c for c in CAPABILITIES if c not in caps]
    if undeclared:
        raise AdapterLoadError(f"{where} does not declare capabilities: "
                               f"{', '.join(undeclared)} (see adapters/interface.py CAPABILITIES)")
    unknown = [e for e in getattr(cls, "elements", ELEMENTS) if e not in ELEMENTS]
    if unknown:
        raise AdapterLoadError(f"{where}: unknown element(s) {', '.join(unknown)} in "
                               f"elements; choose from {', '.join(ELEMENTS)}")
    for cap, value in caps.items():
        if cap not in CAPABILITIES:
            raise AdapterLoadError(f"{where}: unknown capability {cap!r}")
        if value not in CAPABILITIES[cap][0]:
            raise AdapterLoadError(f"{where}: capability {cap}={value!r}; allowed: "
                                   f"{', '.join(map(repr, CAPABILITIES[cap][0]))}")


def _check_registry_facts(cls, where: str) -> None:
    """A system of the registry takes its facts from it alone: its adapter class (or a
    base) that sets one again (``family = ...``) is refused, naming the file."""
    if getattr(cls, "name", None) not in SYSTEMS:
        return
    for base in cls.__mro__[:cls.__mro__.index(Adapter)]:
        again = [fact for fact in REGISTRY_FACTS if fact in vars(base)]
        if again:
            raise AdapterLoadError(
                f"{where}: {base.__name__} in {_file(base)} sets {', '.join(again)}, which "
                f"adapters/systems.py states for the system {cls.name!r}; delete it from "
                "the class (family_of and the reporter read the registry)")


def _file(cls) -> str:
    try:
        return inspect.getfile(cls)
    except (TypeError, OSError):
        return "?"


def _registered() -> dict:
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINTS)}


def known_names() -> list:
    return [*MODULES, *_registered()]


def _resolve(target: str, name: str):
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if module_name.startswith("adapters.") or name in MODULES:
            raise AdapterLoadError(f"framework {name!r} is not installed here ({exc}); "
                                   f"run it in its own env: tox -e {name}") from None
        raise AdapterLoadError(f"cannot import adapter module {module_name!r} ({exc}); put its "
                               "directory on PYTHONPATH or install its package") from None
    cls = getattr(module, attr or "ADAPTER", None)
    if cls is None:
        raise AdapterLoadError(f"{module_name} has no {attr or 'ADAPTER'!r}; name the class "
                               f"({module_name}:ClassName) or set ADAPTER = ClassName")
    if not (inspect.isclass(cls) and issubclass(cls, Adapter)):
        raise AdapterLoadError(f"{target} is not a subclass of adapters.interface.Adapter")
    return cls


def _select_environment(name: str) -> None:
    """Set what ``name`` needs before its framework is imported; refuse when the
    framework was already imported under another setting."""
    for key, value in ENVIRONMENT.get(name, {}).items():
        if os.environ.get(key, value) != value and ("keras" in sys.modules
                                                    or "tf_keras" in sys.modules):
            raise AdapterLoadError(f"framework {name!r} needs {key}={value}, but this process "
                                   f"imported Keras with {key}={os.environ[key]}; run it in "
                                   f"its own env: tox -e {name}")
        os.environ[key] = value


def adapter_class(name: str):
    if name in MODULES:
        _select_environment(name)
        cls = _resolve(MODULES[name], name)
        if cls.name != name:
            raise AdapterLoadError(f"framework {name!r}: its module set up {cls.name!r} "
                                   f"(the process environment chose it); run tox -e {name}")
        return cls
    registered = _registered()
    if name in registered:
        return _resolve(registered[name], name)
    if ":" in name or "." in name:
        return _resolve(name, name)
    raise AdapterLoadError(f"unknown framework {name!r}; choose one of "
                           f"{', '.join(known_names())}, or name an adapter outside this "
                           "repository as package.module:Class")


def load(name: str, **options) -> Adapter:
    cls = adapter_class(name)
    check_contract(cls)
    return cls(**options)


def source_of(fw) -> str:
    """Where the adapter was loaded from: ``module:Class (file)``."""
    cls = type(fw)
    return f"{cls.__module__}:{cls.__qualname__} ({_file(cls)})"
