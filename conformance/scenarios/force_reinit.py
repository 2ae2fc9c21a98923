"""force-reinit: force re-runs the initializer on every shaped parameter at once;
without force it warns and changes nothing; forcing while deferred re-defers."""
import numpy as np

from adapters.interface import Init
from conformance.scenarios.common import calls, inputs, snapshot, unchanged

WEIGHTS = ("0.weight", "1.weight")


def run(fw, rec):
    x = inputs()
    net = fw.build_mlp()
    shaped = rec.step("initialize + first forward",
                      lambda: (fw.initialize(net), fw.forward(net, x)))
    before = snapshot(fw, net) if shaped.ok else {}

    second = Init.recording()
    plain = rec.step("initialize(no force)", lambda: fw.initialize(net, second), needs=shaped)
    rec.record("no-force-warns", bool(plain.value), needs=plain,
               message=(plain.value or [""])[0] if plain.ok else "")
    rec.record("no-force-calls", calls(second.log), needs=plain)
    rec.call("no-force-values-unchanged", lambda: unchanged(before, snapshot(fw, net)),
             needs=plain)

    third = Init.recording()
    forced = rec.call("force-calls", lambda: fw.initialize(net, third, force=True),
                      then=lambda _: calls(third.log), needs=shaped)
    rec.call("force-values-changed",
             lambda: {p: not np.array_equal(before[p], fw.read_param(net, p)) for p in WEIGHTS},
             needs=forced)

    net2, old, new = fw.build_mlp(), Init.recording(), Init.recording()
    deferred = rec.step("initialize deferred", lambda: fw.initialize(net2, old))
    redefer = rec.call("deferred-force-calls-now",
                       lambda: fw.initialize(net2, new, force=True),
                       then=lambda _: calls(old.log) + calls(new.log), needs=deferred)
    fwd = rec.step("forward", lambda: fw.forward(net2, x), needs=redefer)
    rec.record("deferred-force-uses-new",
               {"old": calls(old.log, "weight"), "new": calls(new.log, "weight")}, needs=fwd)
