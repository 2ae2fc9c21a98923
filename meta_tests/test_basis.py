"""Every check says what backs its expected value (``Check.basis``): a documentation
claim its quoted source; a check MXNet 1.9.1 cannot run (``semantics``) the
reference model; every other check MXNet 1.9.1 as probed -- and then the committed
mxnet results conform on it (the expected value is what MXNet does)."""
from __future__ import annotations

import json
from pathlib import Path

from spec.catalogue import BASES

REPO = Path(__file__).resolve().parents[1]


def test_every_check_has_a_basis(catalogue):
    assert {c.basis for b in catalogue for c in b.checks} <= set(BASES)
    assert all(c.basis == "source" for b in catalogue for c in b.checks if c.quote)


def test_a_check_backed_by_mxnet_conforms_in_the_mxnet_results(catalogue):
    results = json.loads((REPO / "reports" / "results" / "mxnet.json").read_text())
    outcome = {(r["behaviour"], r["check"]): r["outcome"] for r in results["results"]}
    left_out = results.get("left_out", {})
    wrong = [f"{b.id}/{c.id}: {outcome.get((b.id, c.id), 'not run')}"
             for b in catalogue for c in b.checks
             if c.basis == "mxnet" and b.id not in left_out
             and outcome.get((b.id, c.id)) != "conforms"]
    assert wrong == [], "checks backed by MXNet 1.9.1 that MXNet does not conform on"


def test_no_expected_value_names_a_step_a_framework_may_lack(catalogue):
    """A property stated independently of the lifecycle steps a framework lacks:
    an expected value that names the initialize step (``initialize: ...``) holds only
    for frameworks that have one, so such a check must require init_step=deferred."""
    bad = [f"{b.id}/{c.id}" for b in catalogue for c in b.checks
           if not c.quote and "initialize" in json.dumps(c.expected)
           and "init_step=deferred" not in c.requires]
    assert bad == []


def test_the_sharded_check_is_exercised_at_a_size_no_engine_bypasses():
    """Sizes at which the property is exercised, not bypassed: Keras on JAX draws a
    variable whole (then distributes it) below 250 MiB times the device count
    (keras/src/backend/jax/core.py should_shard_at_init), where sharded equals whole
    by construction; equals-whole-large's weight is above that."""
    import numpy as np

    from conformance.scenarios.sharded_init_equals_whole import LARGE
    (layer,) = LARGE
    weight_bytes = layer.units * 4096 * np.dtype(np.float32).itemsize
    assert weight_bytes * 2 >= 250 * 1024 * 1024
