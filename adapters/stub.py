"""A starting point for a new adapter: every operation is mapped to nothing yet.

Copy this file next to your own code (it need not live in this repository), rename
the class, set ``name`` and ``capabilities``, and replace each ``Unsupported`` with
the framework's native call as ``adapters/interface.py`` describes it. Run it with
``--framework yourpackage.yourmodule:YourAdapter``; every check starts out
``unsupported`` or ``n/a`` (never ``error``). The guide: docs/writing-an-adapter.md.
"""
from __future__ import annotations

from adapters.interface import OPERATIONS, Adapter, Unsupported


def _not_mapped(op):
    def operation(self, *args, **kwargs):
        raise Unsupported(op, "not mapped yet")
    operation.__name__ = op
    operation.__doc__ = getattr(Adapter, op).__doc__
    return operation


class StubAdapter(Adapter):
    name = "stub"
    #: declare what your framework has (values: adapters/interface.py CAPABILITIES)
    capabilities = {"params_before_data": "none", "init_step": "none",
                    "model_wide_initializer": False, "per_layer_input": False,
                    "model_input": False, "mutable_in_place": False, "name_selection": "none",
                    "trainable_flag": False}

    # the session needs these three before any check runs
    def framework_version(self):
        return "0+stub"

    def framework_config(self):
        return {}

    def seed(self, n):
        pass


for _op in OPERATIONS:
    if _op not in vars(StubAdapter):
        setattr(StubAdapter, _op, _not_mapped(_op))

ADAPTER = StubAdapter
