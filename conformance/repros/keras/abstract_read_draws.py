"""Keras 3: a variable created under keras.StatelessScope(initialize_variables=False)
holds no value, yet reading it does not refuse: the read runs its initializer and
returns values, the ones the variable holds once initialized
(build-without-memory/read-refused)."""
import json

import keras
import numpy as np

with keras.StatelessScope(initialize_variables=False):
    net = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
    net.build((None, 20))
kernel = net.layers[0].kernel
first = keras.ops.convert_to_numpy(kernel)
print("# holds a value:", kernel._value is not None, "| read max |w|:",
      float(np.abs(first).max()))
# the suite reads the reference layout (out, in): Keras kernels are (in, out)
print("OBSERVED build-without-memory/read-refused", json.dumps(list(first.T.shape)))
