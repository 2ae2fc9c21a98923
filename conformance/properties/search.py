"""Drive hypothesis over random architectures: compare a framework's profile with
the reference model's, property by property.

``search`` runs one property: every example's difference classes are collected
(with the smallest example of each); a class not attributed to a difference of the
framework fails the property, and hypothesis shrinks the architecture that shows
it. Examples are deterministic (``@seed(0)``, no database) so every property of a
run sees the same architectures and shares their profiles (profile ``ci``; the
``deep`` profile draws new ones every run).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, reject, seed, settings

from adapters.interface import ELEMENTS
from conformance.properties.archs import cases
from conformance.properties.profile import abstract, differences, profile, undefined

#: property -> the profile of its own that it compares (made only when it runs);
#: the others share :func:`profile`
OWN_PROFILE = {"abstract": abstract}

#: hypothesis profiles: ``ci`` (the default: derandomized, bounded) and ``deep``
#: (``LAZYINIT_HYPOTHESIS_PROFILE=deep``: many random examples, for local runs; tox
#: loads no pytest plugin by itself, so hypothesis' ``--hypothesis-profile`` is not there)
settings.register_profile("ci", max_examples=40, deadline=None, database=None,
                          derandomize=True, print_blob=False, report_multiple_bugs=False,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("deep", max_examples=500, deadline=None, database=None,
                          report_multiple_bugs=False,
                          suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("LAZYINIT_HYPOTHESIS_PROFILE", "ci"))


@dataclass
class Found:
    """One property's outcome in one env."""
    examples: int = 0
    seconds: float = 0.0
    classes: dict = field(default_factory=dict)   # class -> {example, detail, size}
    counterexample: dict | None = None            # the shrunk unattributed one
    failure: str = ""                             # its message

    def as_json(self, attributed: dict) -> dict:
        return {"examples": self.examples, "seconds": round(self.seconds, 3),
                "classes": {c: {**{k: v for k, v in d.items() if k != "size"},
                                "difference": attributed.get(c)}
                            for c, d in sorted(self.classes.items())},
                "counterexample": self.counterexample}


class Profiles:
    """Each case's profile in one framework, computed once per run (a property with
    a profile of its own, ``OWN_PROFILE``, computes that one only)."""

    def __init__(self, fw):
        self.fw, self.cache = fw, {}

    def __call__(self, case, prop: str = "shapes") -> dict:
        make = OWN_PROFILE.get(prop, profile)
        if (case, make) not in self.cache:
            self.fw.seed(0)
            self.cache[case, make] = make(self.fw, case)
        return self.cache[case, make]

    def source(self, case) -> str | None:
        """The case in the framework's own code (``Adapter.source``), or ``None``."""
        return self.fw.source(case.arch, case.x_shape)


def search(prop: str, fw: Profiles, reference: Profiles, attributed: dict,
           capabilities: dict, max_examples: int | None = None,
           elements=ELEMENTS) -> Found:
    """Run property ``prop``; ``attributed``: ``{class: difference id}`` known for
    this framework, whose ``capabilities`` decide the phases compared and whether
    layers declare their input units, and whose ``elements`` the layers drawn. A case the reference defines nothing for
    (``undefined``) is rejected, not counted. The :class:`Found` says what was seen;
    on an unattributed class its ``counterexample`` is hypothesis' shrunk
    architecture and ``failure`` the message."""
    found, t0 = Found(), time.perf_counter()
    extra = {"max_examples": max_examples} if max_examples else {}

    @settings(**extra)
    @given(case=cases(capabilities.get("per_layer_input", True), elements))
    def check(case):
        expected = reference(case, prop)
        if undefined(prop, expected):
            reject()
        found.examples += 1
        seen = differences(prop, expected, fw(case, prop), capabilities)
        code = fw.source(case) if seen else None
        for cls, detail in seen.items():
            kept = found.classes.get(cls)
            if kept is None or case.size < kept["size"]:
                found.classes[cls] = {"example": case.source(), "code": code,
                                      "detail": detail, "size": case.size}
        new = sorted(c for c in seen if c not in attributed)
        if new:
            found.counterexample = {"classes": new, "example": case.source(), "code": code,
                                    "details": [seen[c] for c in new]}
            raise AssertionError(f"{prop}: {len(new)} unattributed difference class(es) "
                                 f"{new} on\n{case.source()}\n" + "\n".join(seen[c] for c in new)
                                 + (f"\nIn {fw.fw.name}'s own code:\n{code}" if code else ""))

    if settings.default.derandomize:   # the ci profile: the same examples every run
        check = seed(0)(check)
    try:
        check()
    except AssertionError as exc:   # raised by check on the shrunk example, last
        found.failure = str(exc)
    found.seconds = time.perf_counter() - t0
    return found
