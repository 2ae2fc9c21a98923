"""load-into-lazy: parameters loaded into a never-run network are final: its first
forward draws nothing and keeps them, with or without the initialize step before the
load; an input of another width is then a mismatch, not a re-inference."""
import tempfile

import numpy as np

from adapters.interface import Init
from conformance.scenarios.common import MLP, draws, inputs, ready, snapshot, unchanged


def run(fw, rec):
    x, x12 = inputs(), inputs(features=12)
    with tempfile.TemporaryDirectory() as tmp:
        saved = rec.step("save", lambda: fw.save(ready(fw, MLP, x), tmp))
        loads = {}
        for order in ("load", "initialize-then-load"):
            init = Init.recording()
            requires = ["init_step=deferred"] if order != "load" else []

            def load(init=init, order=order):
                model = fw.build(MLP, weight_init=init)
                if order != "load":
                    model = fw.initialize(model)
                return fw.load(model, saved.value)

            loaded = loads[order] = rec.step(f"{order} into a never-run network", load,
                                             needs=saved, requires=requires)
            prefix = "" if order == "load" else "init-"

            def first(loaded=loaded, init=init):
                values, n = snapshot(fw, loaded.value), len(init.log)
                _, state = fw.forward(loaded.value, x)
                return {"draws": draws(init, since=n),
                        "values kept": unchanged(values, snapshot(fw, state))}

            rec.call(f"{prefix}first-forward", first, needs=loaded)

        def other_width():
            fw.forward(fw.load(fw.build(MLP), saved.value), x12)
            return "ran"

        # a network that cannot load cannot show a mismatch: first-forward owns that
        rec.call("other-width", other_width, needs=loads["load"])
