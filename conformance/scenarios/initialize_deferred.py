"""initialize-deferred: the explicit initialize step before data initializes what
has a shape (biases) and defers the rest (weights)."""
from adapters.interface import Init
from conformance.scenarios.common import MLP, draws, param_state


def run(fw, rec):
    init = Init.recording()
    model = fw.build(MLP, weight_init=init)
    state = rec.step("initialize", lambda: fw.initialize(model), requires=["init_step=deferred"])
    rec.call("states-after-initialize",
             lambda: {p: param_state(fw, state.value, p) for p in fw.param_ids(state.value)},
             needs=state)
    rec.record("weight-draws-at-initialize", draws(init), needs=state)
    rec.call("read-raises-deferred", lambda: fw.read_param(state.value, "0.weight"),
             then=lambda v: f"returned a value of shape {list(v.shape)}", needs=state)
