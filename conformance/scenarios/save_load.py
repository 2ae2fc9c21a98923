"""save-load: parameters saved after initialization load into a fresh, never-run
network and fill its shapes; saving while deferred fails; loading never
unpickles arbitrary objects."""
import os
import pickle
import tempfile

import numpy as np

from conformance.scenarios.common import inputs, shapes, snapshot, unchanged


class Payload:
    """A pickle that, when unpickled, creates the file ``marker``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def run(fw, rec):
    x = inputs()
    with tempfile.TemporaryDirectory() as tmp:
        deferred = fw.build_mlp()
        with tempfile.TemporaryDirectory() as tmp0:
            rec.call("save-while-deferred",
                     lambda: (fw.initialize(deferred), fw.save(deferred, tmp0)),
                     then=lambda _: "saved")
        net = fw.build_mlp()
        saved = rec.step("initialize + forward + save",
                         lambda: (fw.initialize(net), fw.forward(net, x), fw.save(net, tmp))[2])
        fresh = fw.build_mlp()
        loaded = rec.call("load-into-never-run", lambda: fw.load(fresh, saved.value),
                          then=lambda _: "loaded", needs=saved)
        rec.call("shapes-after-load", lambda: shapes(fw, fresh, ["0.weight", "1.weight"]),
                 needs=loaded)
        rec.call("values-equal", lambda: unchanged(snapshot(fw, net), snapshot(fw, fresh)),
                 needs=loaded)
        rec.call("output-equal",
                 lambda: bool(np.array_equal(fw.forward(net, x), fw.forward(fresh, x))),
                 needs=loaded)

        marker = os.path.join(tmp, "payload-ran")

        def load_pickle():
            with open(saved.value, "wb") as f:
                pickle.dump(Payload(marker), f)
            try:
                fw.load(fw.build_mlp(), saved.value)
                outcome = "loaded"
            except Exception:  # noqa: BLE001 - refusing is the expected outcome
                outcome = "refused"
            return "payload executed" if os.path.exists(marker) else outcome

        rec.call("refuses-pickle", load_pickle, needs=saved)
