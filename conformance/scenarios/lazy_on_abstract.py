"""lazy-on-abstract: a lazy layer built abstractly gets no value from materialising
and takes its shape from the first data afterwards."""
from conformance.scenarios.common import MLP, MLP_PIDS, inputs, shapes


def run(fw, rec):
    rec.call("no-value-after-materialise",
             lambda: fw.read_param(fw.materialize_abstract(fw.build_abstract(MLP, None)),
                                   "0.weight").shape)
    rec.call("first-data-infers",
             lambda: shapes(fw, fw.materialize(
                 fw.materialize_abstract(fw.build_abstract(MLP, None)), inputs()),
                 list(MLP_PIDS)))
