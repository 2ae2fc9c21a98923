"""Keras 2 sharded init: tf_keras.dtensor.experimental.LayoutMap on 2 logical CPUs. Run:
TF_USE_LEGACY_KERAS=1 timeout 120 .tox/tf-keras/bin/python docs/design/probes/keras2_dtensor.py"""
import numpy as np, tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import tf_keras as keras
from tensorflow.experimental import dtensor
def mlp(): return keras.Sequential([keras.Input((20,)), keras.layers.Dense(256, name="d0"), keras.layers.Dense(10, name="d1")])
keras.utils.set_random_seed(0); whole = mlp()
try:
    mesh = dtensor.create_mesh([("model", 2)], device_type="CPU")
    lm = keras.dtensor.experimental.LayoutMap(mesh=mesh)
    lm["d0.*kernel"] = dtensor.Layout([dtensor.UNSHARDED, "model"], mesh)
    with lm.scope():
        keras.utils.set_random_seed(0); sm = mlp()
    k = sm.layers[0].kernel
    parts = [p.numpy() for p in dtensor.unpack(k.read_value())]
    full = np.concatenate(parts, axis=1)
    print("keras2 dtensor kernel layout:", dtensor.fetch_layout(k).sharding_specs, "shards", [p.shape for p in parts], "equal to whole:", np.array_equal(full, whole.layers[0].kernel.numpy()), "; shard0 == shard1:", np.array_equal(parts[0], parts[1]))
except Exception as e:
    print("keras2 dtensor ->", type(e).__name__, str(e).splitlines()[0][:200])
