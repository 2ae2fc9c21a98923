"""tied-survives-materialisation: a layer used twice in an abstract build has one
weight, and materialising keeps it one."""
from conformance.scenarios.common import TIED


def run(fw, rec):
    built = rec.step("abstract build", lambda: fw.build_abstract(TIED, (20,)))
    rec.call("tied-before", lambda: fw.same_parameter(built.value, "1.weight", "2.weight"),
             needs=built)
    made = rec.step("materialise", lambda: fw.materialize_abstract(built.value), needs=built)
    rec.call("tied-after", lambda: fw.same_parameter(made.value, "1.weight", "2.weight"),
             needs=made)
