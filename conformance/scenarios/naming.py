"""naming: native parameter names are unique, distinct across networks, end with
their role; a regular expression over names selects parameters."""
from conformance.scenarios.common import MLP, ready


def run(fw, rec):
    nets = rec.step("two networks", lambda: [ready(fw, MLP), ready(fw, MLP)])
    names = rec.step("names", lambda: [[fw.native_name(s, p) for p in fw.param_ids(s)]
                                       for s in nets.value], needs=nets)
    first, second = names.value if names.ok else ([], [])
    rec.record("unique", len(set(first)) == len(first), needs=names)
    rec.record("distinct-across-networks", not set(first) & set(second), needs=names)
    rec.call("role-suffix", lambda: all(
        n.endswith(fw.role_name(p.split(".")[1])) for n, p in zip(first, fw.param_ids(nets.value[0]))),
        needs=names)
    rec.call("regex-select",
             lambda: fw.select_params(nets.value[0], ".*" + fw.role_name("weight")), needs=nets)
