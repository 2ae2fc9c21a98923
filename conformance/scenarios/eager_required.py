"""eager-required: a network that refuses deferral but is given no input size is
refused before the first data, at whichever step the framework refuses it
(construction, or an initialize step where it has one: the property does not depend
on a lifecycle step a framework lacks); declaring the first layer's size does not
lift the refusal for the layers after it. The step and the error are the message."""
from conformance.scenarios.common import MLP, PARTIAL, inputs, observe


def refusal(fw, arch) -> tuple[str, str]:
    """(``refused before data`` / ``refused at the first data`` / ``not refused``,
    ``<step>: raises:<kind>`` or ``""``)."""
    x = inputs()
    steps = (("build", lambda _: fw.build_eager(arch)), ("initialize", fw.initialize),
             ("first data", lambda s: fw.materialize(s, x)))
    state = None
    for name, fn in steps:
        state = observe(fw, lambda fn=fn, state=state: fn(state))
        if isinstance(state, str) and state.startswith("raises:"):
            where = "refused at the first data" if name == "first data" else "refused before data"
            return where, f"{name}: {state}"
    return "not refused", ""


def run(fw, rec):
    for check, arch in (("refused", MLP), ("partial-refused", PARTIAL)):
        got = rec.step(f"{check}: build, initialize, first data",
                       lambda arch=arch: refusal(fw, arch))
        if got.ok:
            rec.record(check, got.value[0], message=got.value[1], via=[got])
        else:
            rec.record(check, None, needs=got)
