"""Keras 2 (tf.keras, TF_USE_LEGACY_KERAS=1): is there an abstract build? Run:
TF_USE_LEGACY_KERAS=1 timeout 120 .tox/tf-keras/bin/python docs/design/probes/keras2_abstract.py"""
import resource, time
import tensorflow as tf
keras = tf.keras
import tf_keras; print("tf", tf.__version__, "tf_keras", tf_keras.__version__)
m = keras.Sequential([keras.Input((20,)), keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
print("1 with Input: weights exist with values:", [(w.name, tuple(w.shape), type(w).__name__) for w in m.weights][:2], float(tf.reduce_sum(tf.abs(m.weights[0]))) > 0)
print("1 StatelessScope in tf.keras?", hasattr(keras, "StatelessScope"), "; dtensor LayoutMap?", hasattr(getattr(keras, "dtensor", None), "experimental"))
try:
    import tf_keras
    print("  tf_keras.dtensor.experimental attrs:", [a for a in dir(tf_keras.dtensor.experimental) if not a.startswith("_")])
except Exception as e: print("  tf_keras.dtensor ->", type(e).__name__, e)
