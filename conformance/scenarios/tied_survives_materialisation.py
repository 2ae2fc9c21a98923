"""tied-survives-materialisation: a layer used twice in an abstract build has one
weight, and materialising keeps it one; so does one parameter tied into another
layer."""
from adapters.interface import Dense
from conformance.scenarios.common import TIED

#: two layers of the same weight shape, whose weights the check ties
TWINS = (Dense(8, relu=True), Dense(8, relu=True), Dense(4))


def run(fw, rec):
    built = rec.step("abstract build", lambda: fw.build_abstract(TIED, (20,)))
    rec.call("tied-before", lambda: fw.same_parameter(built.value, "1.weight", "2.weight"),
             needs=built)
    made = rec.step("materialise", lambda: fw.materialize_abstract(built.value), needs=built)
    rec.call("tied-after", lambda: fw.same_parameter(made.value, "1.weight", "2.weight"),
             needs=made)

    tied = rec.step("abstract build + tie", lambda: fw.tie(
        fw.build_abstract(TWINS, (8,)), "0.weight", "1.weight"),
        requires=("parameter_tie",))
    rec.call("parameter-tie-before",
             lambda: fw.same_parameter(tied.value, "0.weight", "1.weight"), needs=tied)
    again = rec.step("materialise the tie", lambda: fw.materialize_abstract(tied.value),
                     needs=tied)
    rec.call("parameter-tie-after",
             lambda: fw.same_parameter(again.value, "0.weight", "1.weight"), needs=again)
