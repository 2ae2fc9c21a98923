"""The differential properties against the executable reference model:
they all hold for the reference itself, and each broken variant that touches what
they compare is caught, with a shrunk architecture that reads well."""
from __future__ import annotations

import pytest

from adapters.interface import CAPABILITIES
from adapters.reference import ReferenceAdapter
from conformance.differences import DifferencesError, for_framework
from conformance.properties.profile import PROPERTIES
from conformance.properties.search import Profiles, search

CAPS = {cap: spec[1] for cap, spec in CAPABILITIES.items()}
REF = Profiles(ReferenceAdapter())
#: mutation -> a property that must catch it
CAUGHT_BY = {
    "no-params-before-data": "states", "unknown-dim-zero": "states",
    "read-uninit-zeros": "states", "biases-deferred": "states",
    "in-units-ignored": "states", "reverse-init-order": "draws",
    "init-every-forward": "draws", "bias-drawn-twice": "draws", "log-at-initialize": "draws",
    "forward-ignores-registered": "draws", "tie-copies": "draws", "last-weight-zeros": "draws",
    "transposed-weights": "shapes", "initialize-needs-shapes": "shapes",
    "last-axis-dense": "output", "output-drops-batch": "output", "reinfer-shapes": "mismatch",
}


@pytest.mark.parametrize("prop", PROPERTIES)
def test_properties_hold_for_the_reference(prop):
    found = search(prop, Profiles(ReferenceAdapter()), REF, {}, CAPS)
    assert found.examples >= 20 and not found.classes and found.counterexample is None


@pytest.mark.parametrize("mutation", sorted(CAUGHT_BY))
def test_each_broken_variant_is_caught_with_a_readable_counterexample(mutation):
    result = search(CAUGHT_BY[mutation], Profiles(ReferenceAdapter([mutation])), REF, {}, CAPS)
    found = result.counterexample
    assert found and found["classes"] and found["classes"][0] in result.failure, mutation
    lines = found["example"].splitlines()
    # shrunk: a few layers of the contract's data and the input, nothing else
    assert lines[0] == "net = [" and lines[-1].startswith("x = uniform(") and len(lines) <= 8, \
        found["example"]


def test_an_attributed_class_is_recorded_under_its_difference():
    fw = Profiles(ReferenceAdapter(["last-axis-dense"]))
    attributed = {"shapes:weight:dims 1": "ref/last-axis"}
    found = search("shapes", fw, REF, attributed, CAPS)
    data = found.as_json(attributed)
    assert data["classes"]["shapes:weight:dims 1"]["difference"] == "ref/last-axis"
    assert data["counterexample"] is None


def test_capabilities_decide_the_phases_compared():
    """Without an initialize step, construction is compared with MXNet's initialize;
    with no parameters before data, only the first data counts."""
    from conformance.properties.profile import normalized
    prof = {"draws": {"built": ["1.weight"], "initialized": ["0.bias"],
                      "first-data": ["0.weight"], "second-data": []}}
    assert normalized("draws", prof, {**CAPS, "init_step": "none"}) == {
        "initialized": ["0.bias", "1.weight"], "first-data": ["0.weight"], "second-data": []}
    assert normalized("draws", prof, {**CAPS, "params_before_data": "none"}) == {
        "first-data": ["0.bias", "0.weight", "1.weight"], "second-data": []}


def test_one_class_one_difference(tmp_path):
    path = tmp_path / "torch.toml"
    entry = ('[[difference]]\nid = "torch/{}"\nstatement = "s"\nevidence = "e"\nrepro = "r.py"\n'
             'explains = ["{}"]\ncounterexamples = ["output:rank 2->3"]\n')
    path.write_text(entry.format("a", "x/a") + entry.format("b", "x/b"))
    with pytest.raises(DifferencesError, match="already listed by torch/a"):
        for_framework("torch", path)


def test_conv_stacks_have_strides_and_the_reference_strides_them():
    """Strided convolutions are generated, and the reference model's strided conv is
    the textbook one: output pixel (i, j) sees the window at (stride*i, stride*j)."""
    import numpy as np
    from hypothesis import find

    from adapters.interface import Conv2D
    from conformance.properties.archs import convs
    from conformance.scenarios.common import uniform
    case = find(convs(), lambda c: any(getattr(n, "stride", 1) == 2 for n in c.arch))
    assert "stride=2" in case.source()
    fw = ReferenceAdapter()
    x = uniform((1, 2, 7, 7))
    state = fw.materialize(fw.initialize(fw.build((Conv2D(3, kernel=3, stride=2),))), x)
    w, b = fw.read_param(state, "0.weight"), fw.read_param(state, "0.bias")
    y = fw.forward(state, x)[0]
    loops = np.array([[[(x[0, :, 2 * i:2 * i + 3, 2 * j:2 * j + 3] * w[o]).sum() + b[o]
                        for j in range(3)] for i in range(3)] for o in range(3)])
    assert y.shape == (1, 3, 3, 3) and np.allclose(y[0], loops, atol=1e-5)
