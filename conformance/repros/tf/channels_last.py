"""Keras's image_data_format defaults to channels_last: convolutions take NHWC."""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

fmt = keras.config.image_data_format()
print("OBSERVED conv-lazy/layout", json.dumps("NHWC" if fmt == "channels_last" else "NCHW"))
