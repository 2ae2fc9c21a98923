"""tied-params: a layer built to share another layer's parameters uses the same
parameters; writes are seen through both; the gradient is the sum over both uses."""
import numpy as np

from conformance.scenarios.common import TIED, inputs, shapes

SHARED = ("1.weight", "2.weight")


def by_hand(params, x):
    """Gradient of sum(net(x)) w.r.t. the shared weight, per use, in float64."""
    w = {k: v.astype(np.float64) for k, v in params.items()}
    h, pre, acts = x.astype(np.float64), [], []
    for i in range(4):
        z = h @ w[f"{i}.weight"].T + w[f"{i}.bias"]
        acts.append(h)
        pre.append(z)
        h = np.maximum(z, 0) if i < 3 else z
    g, per_layer = np.ones_like(h), {}
    for i in reversed(range(4)):
        if i < 3:
            g = g * (pre[i] > 0)
        per_layer[i] = g.T @ acts[i]
        g = g @ w[f"{i}.weight"]
    return per_layer[1], per_layer[2]


def classify_gradient(fw, state, x):
    """'sum' when the shared weight's gradient is the sum over both uses."""
    params = {p: fw.read_param(state, p) for p in fw.param_ids(state)}
    first, second = by_hand(params, x)
    grads = fw.backward_sum(state, x)
    got = grads[SHARED[0]].astype(np.float64)
    if not np.array_equal(grads[SHARED[0]], grads[SHARED[1]]):
        return "differs between the tied ids"
    scale = np.abs(first + second).max() + 1e-12
    # float32 framework arithmetic vs float64 by hand: relative error ~1e-6;
    # the two candidates differ by O(1) relative, so 1e-4 separates them safely.
    for name, want in (("sum", first + second), ("first-use-only", first),
                       ("second-use-only", second)):
        if np.abs(got - want).max() <= 1e-4 * scale:
            return name
    return f"other (max |grad - sum| = {np.abs(got - first - second).max():.3g})"


def run(fw, rec):
    x = inputs()
    model = fw.build(TIED)
    rec.call("tied-before-data", lambda: fw.same_parameter(model, *SHARED))
    state = rec.step("first data", lambda: fw.materialize(fw.initialize(model), x))
    weights = ["0.weight", *SHARED, "3.weight"]
    rec.call("shapes", lambda: shapes(fw, state.value, weights), needs=state)
    rec.call("tied-after-data", lambda: fw.same_parameter(state.value, *SHARED), needs=state)

    def write_visible():
        value = np.random.default_rng(3).normal(0, 0.3, (8, 8)).astype(np.float32)
        s = fw.write_param(state.value, SHARED[0], value)
        return bool(np.array_equal(fw.read_param(s, SHARED[1]), value))

    rec.call("write-visible", write_visible, needs=state)
    rec.call("grad-is-sum", lambda: classify_gradient(fw, state.value, x), needs=state)
