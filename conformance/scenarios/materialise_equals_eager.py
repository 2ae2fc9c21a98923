"""materialise-equals-eager: an abstract build, materialised, draws what the ordinary
lifecycle (build, initialize, first data) draws under the same seed, and the same
distribution under another."""
import numpy as np

from conformance.scenarios.common import MLP, MLP_PIDS, inputs


def _values(fw, state):
    return {pid: np.asarray(fw.read_param(state, pid)) for pid in MLP_PIDS}


def run(fw, rec):
    from conformance.runner import SEED   # the suite's seed (runner imports scenarios)
    def eager(seed):
        fw.seed(seed)
        state = fw.initialize(fw.build(MLP))
        return _values(fw, fw.materialize(state, inputs()))

    def abstract(seed):
        fw.seed(seed)
        return _values(fw, fw.materialize_abstract(fw.build_abstract(MLP, (20,))))

    made = rec.step("eager build", lambda: eager(SEED))
    rec.call("same-seed-values",
             lambda: all(np.array_equal(made.value[p], v) for p, v in abstract(SEED).items()),
             needs=made)

    def distribution():
        a, e = abstract(SEED + 1)["0.weight"], made.value["0.weight"]
        return {"std": round(float(a.std() / e.std()), 1),
                "bound": round(float(np.abs(a).max() / np.abs(e).max()), 1)}
    rec.call("distribution", distribution, needs=made)
