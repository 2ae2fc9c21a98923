"""unknown-dims: parameters exist before data, their input dim unknown; reads raise."""
from conformance.scenarios.common import MLP, shapes


def run(fw, rec):
    model = fw.build(MLP)
    rec.call("param-ids", lambda: fw.param_ids(model))
    rec.call("weight-shapes", lambda: shapes(fw, model, ["0.weight", "1.weight"]))
    rec.call("bias-shapes", lambda: shapes(fw, model, ["0.bias", "1.bias"]))
    rec.call("read-raises", lambda: fw.read_param(model, "0.weight"),
             then=lambda v: f"returned a value of shape {list(v.shape)}")
