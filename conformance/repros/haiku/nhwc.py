"""haiku: hk.Conv2D's default data_format is "NHWC" (channels last; "NCHW" is an option
of the constructor), and its kernel is (kh, kw, in_channels, out_channels)
(conv-lazy/layout)."""
import inspect
import json

import haiku as hk
import jax
import numpy as np

if __name__ == "__main__":
    default = inspect.signature(hk.Conv2D.__init__).parameters["data_format"].default
    x = np.random.default_rng(0).uniform(0, 1, (2, 32, 32, 3)).astype(np.float32)
    params = hk.transform(lambda x: hk.Conv2D(16, 3, padding="VALID")(x)).init(
        jax.random.key(0), x)
    print("# conv2_d/w:", params["conv2_d"]["w"].shape)   # (3, 3, 3, 16)
    print("OBSERVED conv-lazy/layout", json.dumps(default))
