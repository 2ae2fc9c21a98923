"""paddle: nn.Linear multiplies the last axis of its input ([batch_size, *, in_features]
-> [batch_size, *, out_features]); it does not flatten the other axes as MXNet's Dense
does, so a (2, 4, 5) input gives a (2, 4, 10) output (varying-input/extra-axes-output)."""
import json
import warnings

import numpy as np

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import paddle

if __name__ == "__main__":
    x = np.random.default_rng(0).uniform(0, 1, (2, 20)).astype(np.float32).reshape(2, 4, 5)
    # the input size a Linear takes is its input's last axis (5), the only one it accepts
    net = paddle.nn.Sequential(paddle.nn.Linear(5, 256), paddle.nn.ReLU(),
                               paddle.nn.Linear(256, 10))
    net.eval()
    with paddle.no_grad():
        y = net(paddle.to_tensor(x))
    print("OBSERVED varying-input/extra-axes-output", json.dumps(list(y.shape)))
