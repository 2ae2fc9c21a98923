"""The registry of the systems this repository ships: one line each.

A *system* is one column of the report: a framework in one mode or on one backend.
Everything else reads it -- the adapter registry (``adapters.MODULES``), the
reporter's columns (``reports.build``), the bench (``bench/run.py``) and the meta
tests that hold ``tox.ini`` and ``docs/ci.md`` to it. ``tox.ini`` stays tox's own
file: a new system adds its env there and one line here.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class System:
    name: str           # the column, the tox env, the adapter's ``name``
    family: str         # differences file, documentation claims, applies_to
    adapter: str        # ``module`` (its ``ADAPTER``) or ``module:Class``
    host: str           # the tox env whose interpreter runs it (installs nothing twice)
    bare_import: str    # the framework's import alone (the bench's floor)
    environment: dict = field(default_factory=dict)  # set before the framework's import


SYSTEMS = {s.name: s for s in (
    System("mxnet", "mxnet", "adapters.mxnet_gluon", "mxnet", "import mxnet"),
    System("mxnet-np", "mxnet", "adapters.mxnet_gluon:MXNetNumpyAdapter", "mxnet",
           "import mxnet; mxnet.npx.set_np()"),
    System("torch", "torch", "adapters.torch_lazy", "torch", "import torch"),
    System("tf", "keras", "adapters.keras_layers", "tf", "import keras, tensorflow",
           {"KERAS_BACKEND": "tensorflow"}),
    System("tf-keras", "keras", "adapters.keras_layers", "tf-keras",
           "import tensorflow as tf; tf.keras.layers",
           {"KERAS_BACKEND": "tensorflow", "TF_USE_LEGACY_KERAS": "1"}),
    System("keras-jax", "keras", "adapters.keras_layers", "flax", "import keras",
           {"KERAS_BACKEND": "jax"}),
    System("keras-torch", "keras", "adapters.keras_layers", "torch", "import keras",
           {"KERAS_BACKEND": "torch"}),
    System("flax", "flax", "adapters.flax_linen", "flax", "import flax.linen"),
    System("pyg", "pyg", "adapters.pyg_linear", "torch", "import torch_geometric.nn"),
    System("haiku", "haiku", "adapters.haiku_modules", "flax", "import haiku"),
    System("paddle", "paddle", "adapters.paddle_nn", "paddle", "import paddle"),
)}
