"""Self-tests of initializer requests: at construction and at re-initialization, each
initializer kind of the contract (``Init``) gives the values it names, and requests
are routed by the contract's rule; ``seed`` makes draws repeatable."""
from __future__ import annotations

import numpy as np

from adapters.interface import Init
from conformance.scenarios.common import MLP, ready, snapshot
from conformance.selftests.registry import expect, selftest


def _construction(role):
    def check(fw):
        init = Init.recording()
        ready(fw, MLP, **{f"{role}_init": init})
        drew = sorted({c.pid for c in init.drew()})
        want = [f"0.{role}", f"1.{role}"]
        expect(drew == want, f"build({role}_init=) ignored its initializer: a recording "
               f"initializer drew for {drew} by the first data, not {want}")
    return check


for _role in ("weight", "bias"):
    selftest(f"construction-{_role}-init", f"build({_role}_init)", "init(recording)")(
        _construction(_role))


def _xavier_bound(w):
    return float(np.sqrt(6.0 / sum(w.shape[:2])))


#: kind -> (a fresh request, what every value drawn satisfies, the property in words)
KINDS = {
    "default": (Init, lambda w: np.isfinite(w).all() and not (w == 7.0).all(),
                "finite values drawn anew (the framework's default)"),
    "zeros": (lambda: Init("zeros"), lambda w: (w == 0).all(), "all 0"),
    "constant": (lambda: Init("constant", 0.25), lambda w: np.allclose(w, 0.25, atol=0), "all 0.25"),
    "normal": (lambda: Init("normal", 0.5), lambda w: 0.45 < w.std() < 0.55 and abs(w.mean()) < 0.05,
               "N(0, 0.5): std within 10 %, mean within 0.05"),
    "uniform": (lambda: Init("uniform", 0.3), lambda w: np.abs(w).max() <= 0.3 + 1e-6
                and np.abs(w).max() > 0.27 and 0.155 < w.std() < 0.19,
                "U[-0.3, 0.3]: bounded by 0.3, reaching 0.27, std 0.3/sqrt(3) within 10 %"),
    "xavier": (lambda: Init("xavier"), lambda w: _xavier_bound(w) * 0.9 < np.abs(w).max()
               <= _xavier_bound(w) * (1 + 1e-5),
               "U[-b, b], b = sqrt(6 / (fan_in + fan_out)): bounded by b and reaching 0.9 b"),
    "seed-custom": (Init.seed_custom, lambda w: ((w == 0) | ((np.abs(w) >= 5)
                    & (np.abs(w) <= 10))).all() and (w == 0).any() and (w != 0).any(),
                    "the seeds' MyInit: 0, or 5 <= |w| <= 10, both present"),
}


def _kind(kind):
    make, holds, words = KINDS[kind]

    def check(fw):
        state = ready(fw, MLP, weight_init=make())
        for pid in ("0.weight", "1.weight"):
            expect(holds(fw.read_param(state, pid)), f"build(weight_init=Init({kind!r})): "
                   f"{pid} after the first data is not {words}")
        state = fw.write_param(state, "1.weight", np.full((10, 256), 7.0, np.float32))
        state = fw.reinitialize(state, make(), target=1)
        expect(holds(fw.read_param(state, "1.weight")), f"reinitialize(Init({kind!r}), "
               f"target=1): 1.weight is not {words}")
    return check


for _k in KINDS:
    selftest(f"init-{_k}", f"init({_k})", "build(weight_init)", "reinitialize(target=layer)")(
        _kind(_k))


def _reinitialize(target, drawn):
    def check(fw):
        init = Init.recording()
        fw.reinitialize(ready(fw), init, target=target)
        drew = sorted({c.pid for c in init.drew()})
        expect(drew == drawn, f"reinitialize(init=, target={target!r}) did not route its "
               f"initializer by the contract's rule: it drew for {drew}, not {drawn}")
    return check


for _target, _drawn, _label in ((None, ["0.weight", "1.weight"], "network"),
                                (1, ["1.weight"], "layer"), ("0.bias", ["0.bias"], "parameter")):
    selftest(f"reinitialize-{_label}", "reinitialize", f"reinitialize(target={_label})",
             "init(recording)")(
        _reinitialize(_target, _drawn))


@selftest("seed", "seed")
def _seed(fw):
    runs = []
    for n in (3, 3, 4):   # a random initializer of its own: the default may be constant
        fw.seed(n)
        runs.append(snapshot(fw, ready(fw, MLP, weight_init=Init("normal", 0.5))))
    same = all(np.array_equal(runs[0][p], runs[1][p]) for p in runs[0])
    expect(same, "seed(3) twice, then the same build and first data: the values differ "
           "(seed does not reach the initializers' generator)")
    expect(not np.array_equal(runs[0]["0.weight"], runs[2]["0.weight"]),
           "seed(3) and seed(4) give the same 0.weight: seed ignores its argument")
