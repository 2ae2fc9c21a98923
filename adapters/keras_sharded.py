"""Keras ``shard_init`` (group sharded): Keras 3 on JAX and Keras 2 (DTensor).

Two of the four Keras systems have a native sharded initializer; the parent (the
adapter's process) runs one child, ``adapters.keras_sharded:_work`` in ``python -m
adapters.shard_child``, with 2 devices configured before the framework starts, in the parent's Keras
environment (``KERAS_BACKEND``, ``TF_USE_LEGACY_KERAS``):

* Keras 3 on JAX (``keras-jax``): ``XLA_FLAGS=--xla_force_host_platform_device_count=2``;
  ``keras.distribution.ModelParallel(layout_map=LayoutMap(DeviceMesh((2,), ["model"])))``
  with every Dense kernel ``(None, "model")`` (its output units, Keras's last axis),
  the arch built in its ``scope()``. The JAX variable draws a kernel of at least
  250 MiB x devices with ``jax.jit(initializer, out_shardings=layout)`` and a smaller
  one whole, then ``distribute_tensor`` (``keras/src/backend/jax/core.py``,
  ``should_shard_at_init``).
* Keras 2 (``tf-keras``): 2 logical CPUs (``tf.config.set_logical_device_configuration``);
  ``tf_keras.dtensor.experimental.LayoutMap`` over ``dtensor.create_mesh([("model", 2)])``
  with every Dense kernel ``Layout([UNSHARDED, "model"])``, the arch built in its
  ``scope()``; the shards are ``dtensor.unpack(kernel.read_value())``.

Whole: the same arch built with the adapter's ``build`` (a ``keras.Input`` first: every
layer draws at construction) after the same ``seed(seed)``, outside any distribution.
Keras 3 on TensorFlow has no layout hook in its ``Variable``
(``keras/src/backend/tensorflow/core.py``; its ``distribution_lib`` is marked "DO NOT
USE"), on PyTorch no ``distribution_lib`` at all (``keras/src/backend/__init__.py``
sets it to ``None``): ``shard_init`` raises ``Unsupported`` there. The child imports
the adapter by its ``module:Class`` name and nothing from pytest or the conformance
suite.
"""
from __future__ import annotations

import os
import sys

from adapters.interface import PlatformLacks, PrivateNameMissing, Unsupported, private
from adapters.shard_process import child_env, dense_weight_ids, run_child

DEVICES = 2
ADAPTER = "adapters.keras_layers:KerasAdapter"


def keras_mode() -> str:
    """``keras2``, or the Keras 3 backend this process runs (the adapter's choice)."""
    if os.environ.get("TF_USE_LEGACY_KERAS", "").lower() in ("1", "true"):
        return "keras2"
    if "keras" in sys.modules:
        return sys.modules["keras"].backend.backend()
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def shard_init(arch, input_shape, seed, adapter: str = ADAPTER) -> dict:
    """``{"whole": {pid: ndarray}, "shards": {pid: [device 0's rows, device 1's]}}``
    for the Dense weights of ``arch`` (reference layout: (out, in))."""
    mode = keras_mode()
    if mode == "tensorflow":
        raise Unsupported("shard_init/tensorflow", "Keras 3's TensorFlow Variable has no "
                          "layout hook (keras/src/backend/tensorflow/core.py) and its "
                          "distribution_lib is a prototype marked \"DO NOT USE\"; "
                          "considered: keras.distribution.ModelParallel, LayoutMap")
    if mode not in ("jax", "keras2"):
        raise Unsupported(f"shard_init/{mode}", f"Keras 3 has no distribution_lib on the "
                          f"{mode} backend (keras/src/backend/__init__.py sets it to None); "
                          "considered: keras.distribution.ModelParallel, LayoutMap")
    extra = {"XLA_FLAGS": f"--xla_force_host_platform_device_count={DEVICES}",
             "JAX_PLATFORMS": "cpu"} if mode == "jax" else {}
    request = {"arch": tuple(arch), "input_shape": tuple(input_shape), "seed": int(seed),
               "adapter": adapter, "mode": mode}
    return run_child("adapters.keras_sharded:_work", request, child_env(extra))


# -- the child ------------------------------------------------------------------
def _whole(fw, request, pids):
    fw.seed(request["seed"])
    model = fw.build(request["arch"], input_shape=request["input_shape"])
    return {pid: fw.read_param(model, pid) for pid in pids}


def _variables(fw, model, pids, name):
    """``{pid: the model's variable}``, found by the adapter's native name."""
    by_name = {name(v): v for v in model.weights}
    return {pid: by_name[fw.native_name(model, pid)] for pid in pids}


def _keras3_jax(request, pids, load):
    import numpy as np

    fw = load()
    import keras
    devices = keras.distribution.list_devices()
    if len(devices) < DEVICES:
        raise PlatformLacks("devices", f"Keras sees {len(devices)} device(s), "
                            f"{DEVICES} needed")
    whole = _whole(fw, request, pids)
    mesh = keras.distribution.DeviceMesh((DEVICES,), ["model"], devices[:DEVICES])
    layout_map = keras.distribution.LayoutMap(mesh)
    layout_map[r".*/dense(_\d+)?/kernel"] = (None, "model")
    distribution = keras.distribution.ModelParallel(layout_map=layout_map)
    with distribution.scope():
        fw.seed(request["seed"])
        model = fw.build(request["arch"], input_shape=request["input_shape"])
    shards = {}
    variables = _variables(fw, model, pids, lambda v: v.path)
    for pid, var in variables.items():
        parts = sorted(var.value.addressable_shards, key=lambda s: s.index[-1].start or 0)
        shards[pid] = [np.asarray(s.data).T.copy() for s in parts]
    return {"whole": whole, "shards": shards, "note": _drawn_whole_note(variables)}


def _drawn_whole_note(variables) -> str:
    """An informational note, from a private Keras function (no public API says whether
    a variable was drawn whole before it was distributed): where a release lacks it, the
    note says so and the check still runs (the check does not depend on the note)."""
    try:
        should_shard = private("keras.src.backend.jax.core", "should_shard_at_init")
        whole_first = [pid for pid, var in variables.items()
                       if not should_shard(var._layout.backend_layout, var.shape)]
    except (PrivateNameMissing, AttributeError) as exc:   # var._layout: private too
        return f"whether Keras drew a kernel whole is not known in this release: {exc}"
    return (f"Keras drew {', '.join(whole_first)} whole, then distributed them (under "
            "250 MiB per device: keras/src/backend/jax/core.py should_shard_at_init), so "
            "their shards equal the whole by construction") if whole_first else ""


def _keras2_dtensor(request, pids, load):
    import tensorflow as tf
    cpus = tf.config.list_physical_devices("CPU")
    if not cpus:
        raise PlatformLacks("devices", "TensorFlow lists no CPU device")
    tf.config.set_logical_device_configuration(
        cpus[0], [tf.config.LogicalDeviceConfiguration()] * DEVICES)
    from tensorflow.experimental import dtensor

    fw = load()
    keras = tf.keras
    whole = _whole(fw, request, pids)
    mesh = dtensor.create_mesh([("model", DEVICES)], device_type="CPU")
    layout_map = keras.dtensor.experimental.LayoutMap(mesh=mesh)
    layout_map[r"dense(_\d+)?\.kernel$"] = dtensor.Layout([dtensor.UNSHARDED, "model"], mesh)
    with layout_map.scope():
        fw.seed(request["seed"])
        model = fw.build(request["arch"], input_shape=request["input_shape"])
    shards = {}
    for pid, var in _variables(fw, model, pids, lambda v: v.name).items():
        shards[pid] = [part.numpy().T.copy() for part in dtensor.unpack(var.read_value())]
    return {"whole": whole, "shards": shards}


def _work(request: dict, load) -> dict:
    """The child (``adapters/shard_child.py``): ``load()`` gives the adapter."""
    pids = dense_weight_ids(request["arch"])
    work = _keras2_dtensor if request["mode"] == "keras2" else _keras3_jax
    return work(request, pids, load)
