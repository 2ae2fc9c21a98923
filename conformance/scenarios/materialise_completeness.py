"""materialise-completeness: materialising an abstract build gives every parameter
its value and holds exactly their memory."""
from conformance.scenarios.common import MLP, readable


def run(fw, rec):
    made = rec.step("abstract build + materialise",
                    lambda: fw.materialize_abstract(fw.build_abstract(MLP, (20,))))
    rec.call("hold-values", lambda: readable(fw, made.value), needs=made)
    rec.call("memory-bytes", lambda: int(fw.memory_bytes(made.value)), needs=made)
