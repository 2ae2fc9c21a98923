"""paddle: a parameter made under paddle.LazyGuard() holds no memory until
param.initialize(), and reading it does not raise: Tensor.numpy() returns an empty array
whose shape is the parameter's with a 0 appended ([20, 256, 0] for a Linear(20, 256)
weight) (build-without-memory/read-refused). The suite reads a Linear weight ([in, out]
in Paddle) transposed to (out, in): .T, which reverses the axes."""
import json
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import paddle

if __name__ == "__main__":
    with paddle.LazyGuard():
        net = paddle.nn.Sequential(paddle.nn.Linear(20, 256), paddle.nn.ReLU(),
                                   paddle.nn.Linear(256, 10))
    value = net[0].weight.numpy()   # no error
    print("#", value.shape, value.size)
    print("OBSERVED build-without-memory/read-refused", json.dumps(list(value.T.shape)))
