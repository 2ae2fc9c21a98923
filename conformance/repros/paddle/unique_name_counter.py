"""paddle: a parameter's native name is its unique name, '<layer>_<n>.<w|b>_<k>'
(linear_0.w_0): the role is spelled w / b and a counter follows it, so no name ends
with its role (naming/role-suffix)."""
import json
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import paddle

if __name__ == "__main__":
    net = paddle.nn.Sequential(paddle.nn.Linear(20, 256), paddle.nn.ReLU(),
                               paddle.nn.Linear(256, 10))
    names = [(p.name, role) for p, role in ((net[0].weight, "w"), (net[0].bias, "b"),
                                            (net[2].weight, "w"), (net[2].bias, "b"))]
    print("#", names)
    print("OBSERVED naming/role-suffix", json.dumps(all(n.endswith(r) for n, r in names)))
