"""naming: native parameter names are unique and follow a predictable scheme;
parameters can be selected by a regular expression."""
import re

from conformance.scenarios.common import inputs


def scheme(name: str) -> str:
    """A native name with its instance counters replaced by N."""
    return re.sub(r"\d+", "N", name)


def run(fw, rec):
    net, other = fw.build_mlp(), fw.build_mlp()
    ready = rec.step("initialize + forward", lambda: [
        (fw.initialize(n), fw.forward(n, inputs())) for n in (net, other)])
    names = rec.step("names", lambda: [fw.native_name(net, p) for p in fw.param_ids(net)],
                     needs=ready)
    rec.record("unique", len(set(names.value or [])) == len(names.value or []), needs=names)
    # the second network's names: a first instance may carry no counter at all
    # (Keras: "dense", then "dense_1"), which would make the scheme depend on history
    rec.call("scheme", lambda: [scheme(fw.native_name(other, p)) for p in fw.param_ids(other)],
             needs=names)
    rec.call("distinct-across-networks",
             lambda: not set(names.value) & {fw.native_name(other, p) for p in fw.param_ids(other)},
             needs=names)
    rec.record("role-suffix", all(n.endswith(p.split(".")[1]) for n, p in
                                  zip(names.value or [], fw.param_ids(net))), needs=names)
    rec.call("regex-select", lambda: fw.select_params(net, ".*weight"), needs=ready)
