"""init-runs-once: later forwards never draw or even invoke the initializer."""
import numpy as np

from adapters.interface import Init
from conformance.scenarios.common import MLP, abstract_calls, draws, inputs, ready, snapshot, unchanged


def run(fw, rec):
    init, x = Init.recording(), inputs()
    first = rec.step("first data + forward", lambda: fw.forward(
        ready(fw, MLP, x, weight_init=init, bias_init=init), x))
    if not first.ok:
        for check in rec.wanted:
            rec.record(check, None, needs=first)
        return
    y0, state = first.value
    before, n = snapshot(fw, state), len(init.log)

    def later():
        _, s = fw.forward(state, x)
        y, s = fw.forward(s, inputs(rows=5, seed=1))
        return y.shape, s

    later_ = rec.call("other-batch-shape", later, then=lambda v: v[0])
    rec.record("draws-after-first", draws(init, since=n), needs=later_)
    rec.record("abstract-calls-after-first", abstract_calls(init, since=n), needs=later_)
    after = later_.value[1] if later_.ok else state
    rec.call("values-unchanged", lambda: unchanged(before, snapshot(fw, after)), needs=later_)
    rec.call("same-output", lambda: bool(np.array_equal(y0, fw.forward(after, x)[0])),
             needs=later_)
