"""A starting point for a new adapter: every core operation is mapped to nothing yet.

Copy this file next to your own code (it need not live in this repository), rename
the class, set ``name`` and ``capabilities``, and replace each ``Unsupported`` with
the framework's native call as ``adapters/interface.py`` describes it. Run it with
``--framework yourpackage.yourmodule:YourAdapter``; every check starts out
``blocked`` ("map this operation": ``Unsupported`` from a core operation is the
adapter's, never the framework's) or ``n/a`` (never ``error``). It maps the
contract's ``CORE`` only:
the checks that need an optional group (``GROUPS``: training, copy, compile-cast,
abstract) are ``n/a`` naming it until you add the group's operations and name the
group in ``groups``. The guide: docs/writing-an-adapter.md.
"""
from __future__ import annotations

import functools

from adapters.interface import CORE, Adapter, Unsupported


def _not_mapped(op):
    """``op`` refusing every call, with the contract's declaration (its parameters and
    docstring): replace it by a method with the same parameters."""
    @functools.wraps(getattr(Adapter, op))
    def operation(self, *args, **kwargs):
        raise Unsupported(op, "not mapped yet")
    return operation


class StubAdapter(Adapter):
    name = "stub"
    #: the optional groups you map (adapters/interface.py GROUPS): none yet
    groups = ()
    #: the architecture elements your framework builds (adapters/interface.py
    #: ELEMENTS); a check needing another is n/a naming arch:<element>
    elements = ("Dense", "Conv2D", "BatchNorm", "Flatten", "Group", "Table")
    #: declare what your framework has (values: adapters/interface.py CAPABILITIES)
    capabilities = {"params_before_data": "none", "init_step": "none",
                    "model_wide_initializer": False, "per_layer_input": False,
                    "model_input": False, "mutable_in_place": False, "name_selection": "none",
                    "trainable_flag": False, "parameter_tie": False,
                    "deferred_input": True}

    # the session needs these three before any check runs
    def framework_version(self):
        return "0+stub"

    def framework_config(self):
        return {}

    def seed(self, n):
        pass


for _op in CORE:
    if _op not in vars(StubAdapter):
        setattr(StubAdapter, _op, _not_mapped(_op))

ADAPTER = StubAdapter
