"""build-without-memory: a network built abstractly for a declared input exposes
every parameter's shape and dtype, holds no parameter memory, and refuses a read."""
from conformance.scenarios.common import MLP, MLP_PIDS, shapes


def run(fw, rec):
    built = rec.step("abstract build", lambda: fw.build_abstract(MLP, (20,)))
    rec.call("shapes", lambda: shapes(fw, built.value, list(MLP_PIDS)), needs=built)
    rec.call("dtypes", lambda: {p: fw.param_dtype(built.value, p) for p in MLP_PIDS},
             needs=built)
    rec.call("memory-bytes", lambda: int(fw.memory_bytes(built.value)), needs=built)
    rec.call("read-refused", lambda: fw.read_param(built.value, "0.weight").shape,
             needs=built)
