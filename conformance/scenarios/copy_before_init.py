"""copy-before-init: a deep copy or a pickle round trip of an un-materialized network
materializes on its own; the original keeps its state and materializes
independently (another input width)."""
from conformance.scenarios.common import MLP, inputs, param_state, shapes


def run(fw, rec):
    x, x12 = inputs(), inputs(features=12)
    for how in ("deepcopy", "pickle"):
        orig = rec.step(f"{how} build", lambda: fw.initialize(fw.build(MLP)))
        before = rec.step(f"{how} original state",
                          lambda: param_state(fw, orig.value, "0.weight"), needs=orig)
        copy = rec.call(how, lambda: fw.copy(orig.value, how), then=lambda _: "copied",
                        needs=before)
        copied = rec.step(f"{how} copy materializes", lambda: fw.materialize(copy.value, x),
                          needs=copy)
        rec.call(f"{how}-materializes", lambda: shapes(fw, copied.value, ["0.weight"]),
                 needs=copied)
        rec.call(f"{how}-original-untouched",
                 lambda: param_state(fw, orig.value, "0.weight") == before.value, needs=copied)

        def independent():
            original = fw.materialize(orig.value, x12)
            return {"original": fw.param_shape(original, "0.weight"),
                    "copy": fw.param_shape(copied.value, "0.weight")}

        rec.call(f"{how}-original-independent", independent, needs=copied)
