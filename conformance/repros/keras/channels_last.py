"""Keras's image_data_format defaults to channels_last: convolutions take NHWC."""
import json
import os

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":  # Keras 2: d2l's tf.keras
    import tensorflow as tf

    keras = tf.keras
else:  # Keras 3, on the backend KERAS_BACKEND names
    import keras
import numpy as np  # noqa: E402

to_numpy = getattr(getattr(keras, "ops", None), "convert_to_numpy", np.asarray)

fmt = keras.backend.image_data_format()
print("OBSERVED conv-lazy/layout", json.dumps("NHWC" if fmt == "channels_last" else "NCHW"))
