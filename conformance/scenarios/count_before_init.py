"""count-before-init: counting a network's parameters before the first data fails
while any size is unknown (it never reports a partial or zero count); once shapes are
known the count is exact and a shared parameter counts once."""
from conformance.scenarios.common import MLP, PARTIAL, TIED, inputs, ready


def run(fw, rec):
    rec.call("before-data", lambda: fw.count_params(fw.initialize(fw.build(MLP))))
    rec.call("partial-before-data", lambda: fw.count_params(fw.initialize(fw.build(PARTIAL))))
    declared = rec.step("declared input", lambda: fw.initialize(fw.build(MLP, input_shape=(20,))),
                        requires=["model_input"])
    rec.call("declared-before-data", lambda: fw.count_params(declared.value), needs=declared)
    rec.call("after-data", lambda: fw.count_params(ready(fw, MLP, inputs())))
    rec.call("tied-after-data", lambda: fw.count_params(ready(fw, TIED, inputs())))
