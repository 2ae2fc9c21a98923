"""custom-initializer: the seeds' MyInit (U[5,10] w.p. 1/4, 0 w.p. 1/2,
U[-10,-5] w.p. 1/4) through the framework's own extension point."""
import numpy as np

from adapters.interface import Init
from conformance.scenarios.common import inputs, summary


def run(fw, rec):
    net, init, x = fw.build_mlp(), Init.seed_custom(), inputs()
    # registered before data where the framework can; else applied once shapes exist
    ready = rec.step("initialize(MyInit) + forward",
                     lambda: (fw.initialize(net, init), fw.forward(net, x)))
    if not ready.ok and ready.unsupported:
        ready = rec.step("forward + initialize(MyInit, force)",
                         lambda: (fw.forward(net, x), fw.initialize(net, init, force=True)))
    rec.record("called-for", sorted({pid for pid, _ in init.log}), needs=ready)
    w = rec.step("read 0.weight", lambda: fw.read_param(net, "0.weight").astype(np.float64),
                 needs=ready)
    stats = {"zero-fraction": lambda v: float((v == 0).mean()),
             "positive-fraction": lambda v: float((v > 0).mean()),
             "nonzero-within-5-10": lambda v: bool(((np.abs(v[v != 0]) >= 5)
                                                    & (np.abs(v[v != 0]) <= 10)).all())}
    for check, stat in stats.items():
        rec.call(check, lambda stat=stat: stat(w.value), needs=w)
    rec.call("bias-values", lambda: [summary(fw.read_param(net, p)) for p in ("0.bias", "1.bias")],
             needs=ready)
