"""dtype: parameters are float32; a float64 first input is rejected, not cast or
promoted, and leaves the parameters float32."""
from conformance.scenarios.common import MLP, inputs


def run(fw, rec):
    x64 = inputs().astype("float64")
    made = rec.step("build + initialize", lambda: fw.initialize(fw.build(MLP)))
    # 0.weight: its input dimension is unknown before data (MXNet's initialize() has
    # already initialized the biases, whose shape is known)
    rec.call("weight-dtype-before-data", lambda: fw.param_dtype(made.value, "0.weight"),
             needs=made)

    def first_float64():
        state = fw.materialize(made.value, x64)
        return fw.forward(state, x64)

    f64 = rec.call("float64-forward", first_float64, then=lambda v: f"output {v[0].dtype}",
                   needs=made)
    # a stateful network keeps what the failed call did; a functional one its new state
    after = f64.value[1] if f64.ok else made.value
    state = rec.step("first float32 data", lambda: fw.materialize(after, inputs()), needs=made)
    rec.call("weight-dtype-after", lambda: fw.param_dtype(state.value, "0.weight"), needs=state)
    rec.call("float32-forward-after", lambda: fw.forward(state.value, inputs())[0].shape,
             needs=state)
