"""paddle: nn.Linear's default weight initializer is XavierUniform, U(-b, b) with
b = sqrt(6 / (in_features + out_features)) = 0.1474 for 20 -> 256, not MXNet's
U(-0.07, 0.07) (default-init/weight-distribution)."""
import json
import os
import warnings

import numpy as np

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import paddle

if __name__ == "__main__":
    seed = int(os.environ.get("LAZYINIT_SEED", "0"))  # the suite sets its seed
    paddle.seed(seed)
    net = paddle.nn.Sequential(paddle.nn.Linear(20, 256), paddle.nn.ReLU(),
                               paddle.nn.Linear(256, 10))
    net.eval()
    net(paddle.to_tensor(np.random.default_rng(0).uniform(0, 1, (2, 20)).astype("float32")))
    w = net[0].weight.numpy().astype(np.float64)   # [in, out]; the statistics are the same
    print("# bound sqrt(6 / (20 + 256)) =", float(np.sqrt(6 / 276)))
    print("OBSERVED default-init/weight-distribution",
          json.dumps([float(np.abs(w).max()), float(w.std())]))
