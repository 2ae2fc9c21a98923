"""Adapter registry: ``load(name)`` returns a ready adapter instance.

The one place the framework is chosen (``--framework`` or ``LAZYINIT_FRAMEWORK``).
"""
from __future__ import annotations

import importlib

from adapters.interface import OPERATIONS, Adapter, Init, MissingParameter, Unsupported

__all__ = ["load", "MODULES", "Adapter", "Init", "MissingParameter", "Unsupported",
           "AdapterLoadError"]

#: --framework name -> module holding its adapter class ``ADAPTER``
MODULES = {
    "mxnet": "adapters.mxnet_gluon",
    "torch": "adapters.torch_lazy",
    "tf": "adapters.keras_tf",
    "reference": "adapters.reference",
}


class AdapterLoadError(Exception):
    """One-line, user-facing reason an adapter cannot be loaded."""


def check_contract(cls) -> None:
    """Fail at once, naming every operation of the interface ``cls`` misses."""
    missing = [op for op in OPERATIONS if getattr(cls, op, None) is getattr(Adapter, op)]
    if missing:
        raise AdapterLoadError(f"adapter {cls.__module__}.{cls.__name__} misses "
                               f"operation(s): {', '.join(missing)} (see adapters/interface.py)")
    unknown = sorted(set(cls.unsupported) - set(OPERATIONS))
    if unknown:
        raise AdapterLoadError(f"adapter {cls.__name__}: `unsupported` names unknown "
                               f"operation(s): {', '.join(unknown)}")


def load(name: str, **options) -> Adapter:
    if name not in MODULES:
        raise AdapterLoadError(f"unknown framework {name!r}; choose one of "
                               f"{', '.join(MODULES)}")
    try:
        module = importlib.import_module(MODULES[name])
    except ImportError as exc:
        raise AdapterLoadError(f"framework {name!r} is not installed here ({exc}); "
                               f"run it in its own env: tox -e {name}") from None
    cls = module.ADAPTER
    check_contract(cls)
    return cls(**options)
