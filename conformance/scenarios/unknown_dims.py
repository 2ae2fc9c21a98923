"""unknown-dims: parameters exist before data, their input dim unknown; reads of a
weight and of a bias (whose shape is known) raise."""
from conformance.scenarios.common import MLP, shapes


def run(fw, rec):
    model = fw.build(MLP)
    rec.call("param-ids", lambda: fw.param_ids(model))
    rec.call("weight-shapes", lambda: shapes(fw, model, ["0.weight", "1.weight"]))
    rec.call("bias-shapes", lambda: shapes(fw, model, ["0.bias", "1.bias"]))
    for check, pid in (("read-raises", "0.weight"), ("bias-read-raises", "0.bias")):
        rec.call(check, lambda pid=pid: fw.read_param(model, pid),
                 then=lambda v: f"returned a value of shape {list(v.shape)}")
