"""materialise-completeness: materialising an abstract build gives every parameter
its value and holds exactly their memory; a buffer computed at construction holds
what construction computes."""
import numpy as np

from adapters.interface import Dense, Table
from conformance.scenarios.common import MLP, readable

#: a layer computing its buffer at construction between two dense layers
TABLE = (Dense(8, relu=True), Table(8), Dense(4))


def run(fw, rec):
    made = rec.step("abstract build + materialise",
                    lambda: fw.materialize_abstract(fw.build_abstract(MLP, (20,))))
    rec.call("hold-values", lambda: readable(fw, made.value), needs=made)
    rec.call("memory-bytes", lambda: int(fw.memory_bytes(made.value)), needs=made)

    def tables():
        state = fw.materialize_abstract(fw.build_abstract(TABLE, (4,)))
        return [pid for pid in fw.param_ids(state) if pid.endswith(".table")
                and np.array_equal(fw.read_param(state, pid), np.arange(8))]
    rec.call("computed-buffer", tables)
