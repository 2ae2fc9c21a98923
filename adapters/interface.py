"""The adapter contract: every operation the conformance scenarios may call.

Read this file to write an adapter for a new framework. An adapter is one class
deriving from :class:`Adapter` that overrides *every* name in ``OPERATIONS``;
``adapters.load`` refuses, at import time, an adapter that misses one.

Conventions shared by all operations
------------------------------------
* A network is an opaque object returned by a ``build_*`` operation.
* Parameters are named by *logical ids* ``"<layer>.<role>"``: ``layer`` counts the
  parameterised layers in forward order from 0, ``role`` is ``weight`` or
  ``bias`` (``gamma``/``beta``/... for other layers). The native name is reported
  separately by ``native_name``.
* Shapes are tuples in the reference layout (MXNet's: a dense weight is
  ``(out_units, in_units)``); an unknown dimension is ``None``. Adapters whose
  framework stores another layout convert and say so in their docstring.
* Values cross the interface as float numpy arrays.
* No native equivalent: raise :class:`Unsupported` with the reason (list the
  operation in ``unsupported`` too). Never emulate the reference semantics.
* Any other exception escaping an operation is the framework's own behaviour and
  is observed as such (``classify_error`` names its kind).
"""
from __future__ import annotations

from dataclasses import dataclass, field

OPERATIONS = (
    "framework_version", "seed", "build_mlp", "build_tied", "build_nested", "build_conv",
    "layout", "param_ids", "param_shape", "param_dtype", "native_name", "nested_lookup",
    "select_params", "read_param", "write_param", "inplace_add", "initialize", "forward",
    "backward_sum", "same_object", "save", "load", "classify_error", "doc_probe",
)


class Unsupported(Exception):
    """The framework has no native API for this operation; ``str(e)`` is the reason."""


class MissingParameter(LookupError):
    """The framework has no such parameter (yet): classify it as ``missing``."""


def dispatch_claim(adapter, claim: str, framework: str):
    """``doc_probe`` helper: call ``adapter._claim_<claim with _>()``, or raise
    Unsupported when the claim is not about ``framework``."""
    probe = getattr(adapter, "_claim_" + claim.replace("-", "_"), None)
    if probe is None:
        raise Unsupported(f"claim {claim!r} is not about {framework}")
    return probe()


@dataclass
class Init:
    """A framework-neutral initializer request, translated by each adapter.

    kind: ``default`` (the framework's own), ``constant`` (``value``),
    ``normal`` (sigma ``value``), ``uniform`` (U[-value, value]), ``xavier``, or a
    user-defined initializer written against the framework's own extension point
    (MXNet ``Initializer._init_weight``, a Keras ``Initializer``, a torch init
    function) that appends ``(param_id, shape)`` to ``log`` on every call:
    ``recording`` fills with fresh U[-0.5, 0.5] draws; ``seed-custom`` is the
    seeds' MyInit: U[-10, 10] draws, then every value with |w| < 5 set to 0.
    """
    kind: str = "default"
    value: float = 0.0
    log: list = field(default_factory=list)

    @classmethod
    def recording(cls) -> "Init":
        return cls(kind="recording")

    @classmethod
    def seed_custom(cls) -> "Init":
        return cls(kind="seed-custom")


class Adapter:
    """Base class: one override per operation; ``name`` is the ``--framework`` value."""

    name = "abstract"
    #: capability flags: operation -> reason it has no native equivalent.
    unsupported: dict = {}

    def framework_version(self) -> str:
        """The framework's version string (``mxnet.__version__`` etc.)."""
        raise NotImplementedError

    def seed(self, n: int) -> None:
        """Seed every random generator the framework's initializers use."""
        raise NotImplementedError

    def build_mlp(self, in_units: int | None = None, first_only: bool = False):
        """``Dense(256, relu) -> Dense(10)``; ``in_units`` given = every input dim known
        (``first_only``: declared for the first layer only, the second stays lazy)."""
        raise NotImplementedError

    def build_nested(self):
        """The seeds' "Rube Goldberg" net: ``Sequential(block2, Dense(10))`` where
        ``block2`` holds 4 x ``block1 = Sequential(Dense(32, relu), Dense(16, relu))``;
        no input dim. Logical ids flatten the hierarchy in forward order (0..8)."""
        raise NotImplementedError

    def build_conv(self):
        """``Conv2D(16, kernel 3) -> BatchNorm -> Dense(10)`` with unknown input channels
        (ids ``0.weight 0.bias 1.gamma 1.beta 2.weight 2.bias``; a flatten layer where
        the framework needs one). ``forward`` on it takes NCHW input and converts."""
        raise NotImplementedError

    def layout(self) -> str:
        """The framework's native image layout for 2-D convolutions: NCHW or NHWC."""
        raise NotImplementedError

    def build_tied(self):
        """``Dense(8, relu) -> S -> Dense(8, relu) sharing S's parameters -> Dense(10)``
        where ``S = Dense(8, relu)``; no input dim given. Layers 1 and 2 share params."""
        raise NotImplementedError

    def param_ids(self, net) -> list:
        """Logical ids of the parameters that exist now, in forward order (tied
        parameters listed once per layer that uses them)."""
        raise NotImplementedError

    def param_shape(self, net, pid: str) -> tuple:
        """Declared shape of parameter ``pid``, ``None`` where a dim is unknown."""
        raise NotImplementedError

    def param_dtype(self, net, pid: str) -> str:
        """The parameter's dtype name (``float32``...)."""
        raise NotImplementedError

    def native_name(self, net, pid: str) -> str:
        """The framework's own name for ``pid`` (``dense0_weight``, ``0.weight``...)."""
        raise NotImplementedError

    def nested_lookup(self, net, path: tuple, role: str) -> str:
        """Reach a parameter through the block hierarchy (``net[0][1][0].bias`` for
        ``path=(0, 1, 0), role="bias"``) and return the logical id it is."""
        raise NotImplementedError

    def select_params(self, net, pattern: str) -> list:
        """Logical ids of the parameters the framework's own regular-expression
        selection returns (MXNet ``collect_params(pattern)``)."""
        raise NotImplementedError

    def read_param(self, net, pid: str):
        """The value of ``pid`` as a numpy array, via the framework's read API."""
        raise NotImplementedError

    def write_param(self, net, pid: str, value) -> None:
        """Overwrite ``pid`` with ``value`` (reference layout) via the framework's
        write API (MXNet ``set_data``, torch ``copy_``, Keras ``assign``)."""
        raise NotImplementedError

    def inplace_add(self, net, pid: str, delta: float) -> None:
        """Add ``delta`` in place to the live array behind ``pid`` (MXNet
        ``data()[:] += d``, torch ``.data += d``, Keras ``assign_add``)."""
        raise NotImplementedError

    def initialize(self, net, init: Init | None = None, force: bool = False,
                   target=None) -> list:
        """The framework's "initialize this network with ``init``" step.

        ``init=None`` means the framework's default (a no-op where the framework
        needs no explicit step). ``force`` is MXNet's ``force_reinit``. ``target``:
        ``None`` (the whole net), a layer index (``net[i].initialize``) or a logical
        parameter id (``net[0].weight.initialize``). Returns the warning messages
        the framework emitted.
        """
        raise NotImplementedError

    def forward(self, net, x):
        """Run ``net`` on numpy ``x`` (float32) and return the output as numpy."""
        raise NotImplementedError

    def backward_sum(self, net, x) -> dict:
        """Forward ``x``, backpropagate ``sum(output)``, return ``{pid: gradient}``
        (reference layout) for every parameter id."""
        raise NotImplementedError

    def same_object(self, net, pid_a: str, pid_b: str) -> bool:
        """Whether the two ids name one and the same framework parameter object."""
        raise NotImplementedError

    def save(self, net, directory: str) -> str:
        """Save the parameters with the framework's own format into ``directory``;
        return the file's path."""
        raise NotImplementedError

    def load(self, net, path: str) -> None:
        """Load parameters saved by ``save`` into ``net``, the framework's way, never
        unpickling arbitrary objects (torch: ``weights_only=True``)."""
        raise NotImplementedError

    def doc_probe(self, claim: str):
        """Observe what the framework does for one documentation claim (the check
        ids of ``spec/behaviours/doc-claims.toml`` whose ``applies_to`` names this
        framework); ``Unsupported`` for a claim about another framework."""
        raise NotImplementedError

    def classify_error(self, exc: BaseException) -> str:
        """Normalise a framework exception to a kind: ``not-initialized`` (never
        initialized), ``deferred-init`` (initialization registered, shape still
        unknown), ``missing`` (the parameter does not exist), ``shape-mismatch``,
        ``dtype-mismatch``; anything else: ``other``."""
        raise NotImplementedError
