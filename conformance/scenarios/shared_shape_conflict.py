"""shared-shape-conflict: one layer used on inputs of two widths is a shape conflict
reported at the first data, again on every later call, and the layer keeps the shape
of its first use."""
from conformance.scenarios.common import CONFLICT, inputs, shapes


def run(fw, rec):
    x = inputs()
    net = rec.step("build + initialize", lambda: fw.initialize(fw.build(CONFLICT)))
    rec.call("first-data", lambda: fw.materialize(net.value, x), then=lambda _: "ran",
             needs=net)
    rec.call("again", lambda: fw.materialize(net.value, x), then=lambda _: "ran", needs=net)
    rec.call("shared-shape-after", lambda: shapes(fw, net.value, ["0.weight"]), needs=net)
