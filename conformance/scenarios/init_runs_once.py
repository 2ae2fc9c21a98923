"""init-runs-once: later forwards never call the initializer again; values stay."""
import numpy as np

from adapters.interface import Init
from conformance.scenarios.common import calls, inputs, snapshot, unchanged


def run(fw, rec):
    net, init, x = fw.build_mlp(), Init.recording(), inputs()
    registered = rec.step("initialize(recording)", lambda: fw.initialize(net, init))
    first = rec.step("first forward", lambda: fw.forward(net, x))
    before, n = (snapshot(fw, net), len(init.log)) if first.ok else ({}, 0)

    def later_forwards():
        fw.forward(net, x)
        return fw.forward(net, inputs(rows=5, seed=1)).shape

    rec.call("other-batch-shape", later_forwards, needs=first)
    rec.record("calls-after-first-forward", calls(init.log, since=n), needs=[registered, first])
    rec.call("values-unchanged", lambda: unchanged(before, snapshot(fw, net)), needs=first)
    rec.call("same-output", lambda: bool(np.array_equal(first.value, fw.forward(net, x))),
             needs=first)
