"""materialise-equals-eager: an abstract build, materialised, draws what the ordinary
lifecycle (build, initialize, first data) draws under the same seed, and the same
distribution under another."""
import numpy as np

from conformance.scenarios.common import MLP, inputs, snapshot
from conformance.seed import SEED


def run(fw, rec):

    def eager(seed):
        fw.seed(seed)
        state = fw.initialize(fw.build(MLP))
        return snapshot(fw, fw.materialize(state, inputs()))

    def abstract(seed):
        fw.seed(seed)
        return snapshot(fw, fw.materialize_abstract(fw.build_abstract(MLP, (20,))))

    made = rec.step("eager build", lambda: eager(SEED))

    def same(values):
        return values.keys() == made.value.keys() and all(
            np.array_equal(made.value[p], v) for p, v in values.items())
    rec.call("same-seed-values", lambda: same(abstract(SEED)), needs=made)

    def distribution():
        a, e = abstract(SEED + 1)["0.weight"], made.value["0.weight"]
        return {"std": round(float(a.std() / e.std()), 1),
                "bound": round(float(np.abs(a).max() / np.abs(e).max()), 1)}
    rec.call("distribution", distribution, needs=made)
