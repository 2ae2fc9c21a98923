"""eager-required: a network that refuses deferral but is given no input size is
refused with an error, at a definite step; declaring the first layer's size does not
lift the refusal for the layers after it."""
from conformance.scenarios.common import MLP, PARTIAL, inputs, observe


def refusal(fw, arch) -> str:
    """``<step>: raises:<kind>`` for the step that refuses, or ``not refused``."""
    x = inputs()
    steps = (("build", lambda _: fw.build_eager(arch)), ("initialize", fw.initialize),
             ("first data", lambda s: fw.materialize(s, x)))
    state = None
    for name, fn in steps:
        state = observe(fw, lambda fn=fn, state=state: fn(state))
        if isinstance(state, str) and state.startswith("raises:"):
            return f"{name}: {state}"
    return "not refused"


def run(fw, rec):
    rec.call("refused", lambda: refusal(fw, MLP))
    rec.call("partial-refused", lambda: refusal(fw, PARTIAL))
