"""flax: nn.Conv takes channels-last inputs, (*batch_dims, spatial_dims..., features):
images are NHWC and the kernel is (kh, kw, in, out) (conv-lazy/layout)."""
import json

import jax
import flax.linen as nn
import numpy as np

conv = nn.Conv(16, (3, 3), padding="VALID")
nhwc = np.zeros((2, 32, 32, 3), np.float32)
variables = conv.init(jax.random.key(0), nhwc)
kernel = variables["params"]["kernel"].shape
print("# kernel", kernel, "output", conv.apply(variables, nhwc).shape)  # (3,3,3,16) (2,30,30,16)
layout = "NHWC" if kernel[2] == nhwc.shape[-1] else "NCHW"
print("OBSERVED conv-lazy/layout", json.dumps(layout))
