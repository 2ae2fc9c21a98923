"""force-reinit: re-initializing draws new weights at once (biases keep their own);
a repeated initialize() without force warns and changes nothing; re-initializing
before data makes the first data use the new initializer."""
import numpy as np

from adapters.interface import Init
from conformance.scenarios.common import MLP, draws, inputs, ready, snapshot, unchanged, warned

WEIGHTS = ("0.weight", "1.weight")
MODEL_WIDE = ["init_step=deferred", "model_wide_initializer"]


def run(fw, rec):
    x = inputs()
    shaped = rec.step("build + first data", lambda: ready(fw, MLP, x))
    before = snapshot(fw, shaped.value) if shaped.ok else {}

    second = Init.recording()
    plain = rec.step("initialize again", lambda: warned(lambda: fw.initialize(shaped.value, second)),
                     needs=shaped, requires=MODEL_WIDE)
    rec.record("no-force-warns", bool(plain.value[1]) if plain.ok else None, needs=plain,
               message=(plain.value[1] or [""])[0] if plain.ok else "")
    rec.record("no-force-draws", draws(second), needs=plain)
    rec.call("no-force-values-unchanged",
             lambda: unchanged(before, snapshot(fw, plain.value[0])), needs=plain)

    third = Init.recording()
    state = plain.value[0] if plain.ok else shaped.value
    forced = rec.call("force-weight-draws", lambda: fw.reinitialize(state, third),
                      then=lambda _: draws(third, "weight"), needs=shaped)
    rec.record("force-bias-draws", draws(third, "bias"), needs=forced)
    rec.call("force-values-changed",
             lambda: {p: not np.array_equal(before[p], fw.read_param(forced.value, p))
                      for p in WEIGHTS}, needs=forced)

    old, new = Init.recording(), Init.recording()
    made = rec.step("build + initialize", lambda: fw.initialize(fw.build(MLP, weight_init=old)))

    def redefer():
        state = made.value
        for pid in WEIGHTS:  # one parameter at a time: an explicit request wins
            state = fw.reinitialize(state, new, target=pid)
        return state

    later = rec.call("deferred-force-draws-now", redefer,
                     then=lambda _: draws(old) + draws(new), needs=made)
    first = rec.step("first data", lambda: fw.materialize(later.value, x), needs=later)
    rec.record("deferred-force-uses-new",
               {"old": draws(old, "weight"), "new": draws(new, "weight")}, needs=first)
