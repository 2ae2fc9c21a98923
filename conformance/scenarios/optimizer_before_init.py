"""optimizer-before-init: an optimizer made over the parameters before the first data
updates the parameters that data then materializes (identity kept), as one made
after the data does."""
import numpy as np

from adapters.interface import Init
from conformance.scenarios.common import MLP, MLP_PIDS as PIDS, inputs, ready

LR = 0.1


def constant():
    """Weights 0.05 and biases 0: every network starts from the same values."""
    return {"weight_init": Init("constant", 0.05), "bias_init": Init("zeros")}


def sgd_target(fw, x):
    """What one SGD step from the constant start gives: w - lr * grad (control net)."""
    control = ready(fw, MLP, x, **constant())
    grads = fw.backward_sum(control, x)
    return {p: fw.read_param(control, p).astype(np.float64) - LR * grads[p] for p in PIDS}


def update(fw, state, x, target=None) -> str:
    """``sgd update`` (matches ``target``), ``not updated`` (still the constant
    start), or ``updated`` (changed, ``target`` not given or not matched)."""
    after = {p: fw.read_param(state, p) for p in PIDS}
    # the start in the parameters' own dtype (0.05 is not exact in float32)
    start = {p: np.full_like(v, 0.05 if p.endswith("weight") else 0.0) for p, v in after.items()}
    if all(np.array_equal(after[p], start[p]) for p in PIDS):
        return "not updated"
    if target is not None and all(np.allclose(after[p].astype(np.float64), target[p],
                                              rtol=1e-4, atol=1e-6)
                                  for p in PIDS):
        return "sgd update"
    return "updated"


def run(fw, rec):
    x = inputs()
    target = rec.step("control gradient", lambda: sgd_target(fw, x))
    for kind in ("sgd", "adagrad"):
        want = target.value if kind == "sgd" else None
        early = rec.step(f"{kind} build", lambda: fw.initialize(fw.build(MLP, **constant())),
                         requires=["params_before_data!=none"])
        opt = rec.call(f"{kind}-made-before-data", lambda: fw.make_optimizer(early.value, kind, LR),
                       then=lambda _: "made", needs=early)

        def step_early(opt=opt, early=early, want=want):
            state, _ = fw.train_step(early.value, opt.value, x)
            return update(fw, state, x, want)

        rec.call(f"{kind}-step-before-data", step_early, needs=[opt, target])

        def step_late(kind=kind, want=want):
            state = ready(fw, MLP, x, **constant())
            state, _ = fw.train_step(state, fw.make_optimizer(state, kind, LR), x)
            return update(fw, state, x, want)

        rec.call(f"{kind}-step-after-data", step_late, needs=target)
