"""save-load: saving before data fails; parameters saved after the first data load
into a fresh, never-run network and fill its shapes; loading never unpickles."""
import os
import pickle
import tempfile

import numpy as np

from conformance.scenarios.common import MLP, inputs, ready, shapes, snapshot, unchanged


class Payload:
    """A pickle that, when unpickled, creates the file ``marker``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def run(fw, rec):
    x = inputs()
    with tempfile.TemporaryDirectory() as tmp:
        with tempfile.TemporaryDirectory() as tmp0:
            rec.call("save-before-data", lambda: fw.save(fw.initialize(fw.build(MLP)), tmp0),
                     then=lambda _: "saved")
        source = rec.step("first data", lambda: ready(fw, MLP, x))
        saved = rec.step("save", lambda: fw.save(source.value, tmp), needs=source)
        loaded = rec.call("load-into-never-run", lambda: fw.load(fw.build(MLP), saved.value),
                          then=lambda _: "loaded", needs=saved)
        rec.call("shapes-after-load", lambda: shapes(fw, loaded.value, ["0.weight", "1.weight"]),
                 needs=loaded)
        rec.call("values-equal",
                 lambda: unchanged(snapshot(fw, source.value), snapshot(fw, loaded.value)),
                 needs=loaded)
        rec.call("output-equal", lambda: bool(np.array_equal(
            fw.forward(source.value, x)[0], fw.forward(loaded.value, x)[0])), needs=loaded)

        marker = os.path.join(tmp, "payload-ran")

        def load_pickle():
            # into a network that has seen data, which every framework can load into:
            # a refusal to load into a never-run network must not stand for this one
            target = ready(fw, MLP, x)
            with open(saved.value, "wb") as f:
                pickle.dump(Payload(marker), f)
            try:
                fw.load(target, saved.value)
                outcome = "loaded"
            except Exception:  # noqa: BLE001 - refusing is the expected outcome
                outcome = "refused"
            return "payload executed" if os.path.exists(marker) else outcome

        rec.call("refuses-pickle", load_pickle, needs=saved)
