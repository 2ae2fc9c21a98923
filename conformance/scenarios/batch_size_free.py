"""batch-size-free: the first data fixes the input dimensionality, never the batch
size: one row infers every shape, and a later batch of another size runs."""
from conformance.scenarios.common import MLP, inputs, ready, shapes


def run(fw, rec):
    one = rec.step("first data of one row", lambda: ready(fw, MLP, inputs(rows=1)))
    rec.call("shapes-from-one-row", lambda: shapes(fw, one.value), needs=one)
    two = rec.step("first data of two rows", lambda: ready(fw, MLP, inputs(rows=2)))
    rec.call("other-batch-output", lambda: fw.forward(two.value, inputs(rows=7))[0].shape,
             needs=two)
