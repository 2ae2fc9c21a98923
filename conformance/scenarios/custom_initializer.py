"""custom-initializer: the seeds' MyInit (U[5,10] w.p. 1/4, 0 w.p. 1/2,
U[-10,-5] w.p. 1/4) given for the weights, through the framework's extension point."""
import numpy as np

from adapters.interface import Init
from conformance.scenarios.common import MLP, ready


def run(fw, rec):
    init = Init.seed_custom()
    state = rec.step("first data", lambda: ready(fw, MLP, weight_init=init))
    rec.record("called-for", sorted({c.pid for c in init.drew()}), needs=state)

    def distribution():
        v = fw.read_param(state.value, "0.weight").astype(np.float64)
        nz = np.abs(v[v != 0])
        return [float((v == 0).mean()), float((v > 0).mean()),
                bool(((nz >= 5) & (nz <= 10)).all())]

    rec.call("distribution", distribution, needs=state)
