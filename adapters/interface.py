"""The adapter contract (``CONTRACT_VERSION``): lazy initialization in lifecycle terms.

Read this file, and only this file, to write an adapter. An adapter is one class
deriving from :class:`Adapter` that overrides every name in ``CORE``, each with the
parameters its method here declares (names, kinds, defaults; no others), and
declares its ``capabilities``; ``adapters.load`` refuses one that misses any. The
optional ``GROUPS`` (training, copy, compile-cast, abstract, abstract-build,
sharded) come later: an adapter says which it maps in ``groups``, and a check that
needs another one is ``n/a`` naming it (``group:training``), never an error.
``adapters/stub.py`` is a starting point; ``docs/writing-an-adapter.md`` the guide.

The lifecycle the checks measure
--------------------------------
::

    model = build(arch, input_shape=None, weight_init=None, bias_init=None)
    state = initialize(model)          # the framework's explicit initialize call,
                                       # or `model` unchanged where it has none
    state = materialize(state, x)      # create parameter values from a sample
    y, state = forward(state, x)       # inference; state may be a new value
    state = write_param(state, pid, value)
    state = reinitialize(state, init, target)

The optional groups add what users do around it, before or after the first data:
an optimizer (``make_optimizer``, ``train_step``) and ``freeze`` (training),
``copy``, ``compile`` and ``cast``, and the operations without data
(``output_shape``, ``count_params``, ``build_eager`` refusing deferral: abstract).

State is explicit. A stateful framework (MXNet, torch, Keras) returns the same
network object from every step; a functional one (Flax) returns new values and
needs no invented holder. Every observation (``param_ids``, ``param_shape``,
``read_param``...) takes the state the last step returned.

Conventions
-----------
* Parameters are named by *logical ids* ``"<layer>.<role>"``: ``layer`` counts the
  parameterised layers of the ``arch`` in forward order from 0 (a shared layer
  counts at each use), ``role`` is ``weight``/``bias`` (``gamma``/``beta`` for a
  BatchNorm). The native name is ``native_name``; the native role spelling is
  ``role_name`` (Keras and Flax say ``kernel``).
* Shapes are tuples in the reference layout (a dense weight is ``(out, in)``, a
  conv weight ``(out, in, kh, kw)``); an unknown dimension is ``None``. Values
  cross the interface as numpy arrays in that layout.
* The initializer routing rule (MXNet's): an initializer requested for a whole
  network or a layer reaches the parameters that have no initializer of their
  own -- the weights; a bias keeps its own ``zeros`` (BatchNorm gamma ``ones``,
  beta ``zeros``). An initializer requested for one parameter id reaches exactly
  that parameter. ``build(weight_init=, bias_init=)`` gives each role its own.
* Refuse, never ignore: an argument an adapter cannot honour natively raises
  :class:`Unsupported` naming the operation and the variant
  (``Unsupported("reinitialize/per-parameter", "why; native APIs considered")``).
  The harness never asks for what a declared capability excludes.
* ``Unsupported`` is a finding about the framework (outcome ``unsupported``) only
  from an operation of an optional group, or for what a declared capability or the
  declared ``elements`` exclude; its reason names the native APIs considered. From
  a ``CORE`` operation (or without a reason) it is an adapter fault: the checks that
  went through it end ``blocked`` ("map this operation").
* ``elements``: the architecture elements (``ELEMENTS``) the system builds; a check
  or property that needs another one is ``n/a`` naming ``arch:<element>``.
* Any other exception escaping an operation is the framework's own behaviour and
  is observed as such (``classify_error`` names its kind) -- unless the adapter's
  own code raised it: a plain Python error (``AttributeError``, ``TypeError``...)
  raised by a statement of the adapter's files (an attribute typo, a wrong key, a
  call with wrong arguments, a builtin misused) is an adapter bug, outcome
  ``error``. Judged by the raising operation: an error that comes out of a call the
  adapter makes into the framework or C code (``pickle.dumps`` of a network holding
  closures) is the framework's (one judge: ``adapters/bugs.py``).
* The adapter self-tests (``conformance/selftests``) check these rules on your
  adapter first; one that fails is an *adapter fault*: the checks that used what it
  covers end ``blocked``, never a finding about the framework.
* Never emulate the reference semantics (no guards, flags or holders that the
  framework does not have).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from adapters.systems import SYSTEMS

#: the contract's versions (since the required core) and what each changed
CHANGES = {
    4: "the operations so far as a required core plus optional groups; freeze with two "
       "ways; adapter self-tests",
    5: "the group abstract-build (models built without memory)",
    6: "abstract-build's tie and lazy abstract builds (input_shape=None); the arch "
       "element Table; the group sharded (shard_init)",
    7: "declared elements; every operation self-tested; Unsupported from a core "
       "operation an adapter fault",
    8: "the capability deferred_input (a framework whose layers all need their input size)",
    9: "each operation written with the contract's own signature (check_contract compares "
       "them: adapters/signatures.py); a shipped system's family only in the registry",
}
#: the contract's version, the one place it is stated (the results record it)
CONTRACT_VERSION = max(CHANGES)
#: what every adapter implements: what the behaviours resting on the seed texts need
CORE = (
    "framework_version", "framework_config", "seed",
    "build", "initialize", "materialize", "forward", "backward_sum", "reinitialize",
    "param_ids", "param_shape", "param_dtype", "read_param", "write_param", "inplace_add",
    "same_parameter", "native_name", "role_name", "nested_lookup", "select_params",
    "layout", "save", "load", "classify_error", "doc_probe",
)
#: optional groups (what users do around lazy initialization). An
#: adapter maps a group whole or not at all and says which in ``groups``; a check
#: that needs a group it does not map is ``n/a`` naming the group, never an error.
GROUPS = {
    "training": ("make_optimizer", "train_step", "freeze"),
    "copy": ("copy",),
    "compile-cast": ("compile", "cast"),
    "abstract": ("output_shape", "count_params", "build_eager"),
    "abstract-build": ("build_abstract", "memory_bytes", "materialize_abstract", "tie"),
    "sharded": ("shard_init",),
}
OPERATIONS = CORE + tuple(op for ops in GROUPS.values() for op in ops)
#: operation -> the group it belongs to (core operations are in none)
GROUP_OF = {op: g for g, ops in GROUPS.items() for op in ops}

#: capability -> (allowed values, the reference's value, what it means).
#: A check whose premise (spec field ``requires``) a framework lacks by design ends
#: in outcome ``n/a`` naming the capability: never a divergence.
CAPABILITIES = {
    "params_before_data": (
        ("shaped", "shapeless", "none"), "shaped",
        "what exists before the first data: parameters with their known dims and the "
        "unknown ones marked (shaped); parameter objects without a readable shape "
        "(shapeless, torch's UninitializedParameter); nothing (none: Keras, Flax)"),
    "init_step": (
        ("deferred", "none"), "deferred",
        "an explicit initialize call made before data that registers initializers and "
        "defers what it cannot shape (MXNet initialize()); none: construction or the "
        "first call does it"),
    "model_wide_initializer": (
        (True, False), True,
        "one initializer can be given for a whole network at its initialize step"),
    "per_layer_input": (
        (True, False), True,
        "a single layer can declare its input size while the next stays lazy "
        "(MXNet in_units, torch Linear next to LazyLinear)"),
    "model_input": (
        (True, False), True,
        "the whole model's input shape can be declared before data (every in_units, "
        "keras.Input, eager torch/nnx layers)"),
    "mutable_in_place": (
        (True, False), True,
        "a parameter's live buffer can be edited in place and the next forward sees it "
        "without handing state back (false for immutable arrays: JAX)"),
    "name_selection": (
        ("regex", "none"), "regex",
        "parameters can be selected by a regular expression over native names with a "
        "framework API (MXNet collect_params(pattern))"),
    "trainable_flag": (
        (True, False), True,
        "each parameter carries its own trainable flag, settable after creation, that "
        "training honours (MXNet grad_req, torch requires_grad, Keras 3 "
        "Variable.trainable): freeze(way=\"parameter\"); false where no parameter has "
        "one (Keras 2: tf.Variable.trainable is fixed at creation; Flax: plain arrays, "
        "freezing is an optax mask). A layer can be frozen either way (freeze "
        "way=\"layer\")"),
    "parameter_tie": (
        (True, False), True,
        "one parameter can be tied into another layer on its own (torch "
        "``b.weight = a.weight``, an embedding tied to an output layer): ``tie``; false "
        "where a framework shares whole layers only (MXNet 1.x asserts \"Overriding "
        "Parameter attribute is not allowed\" and shares by ``params=`` at construction; "
        "Keras reuses a layer; Flax reuses a module)"),
    "deferred_input": (
        (True, False), True,
        "a layer can be constructed without its input size, which the first data gives "
        "(MXNet Dense without in_units, torch Lazy*, Keras, Flax linen); false where every "
        "layer takes its input size at construction and the framework refuses one without "
        "it (paddle.nn: Linear(in_features, out_features)). The harness then never builds "
        "a network whose input sizes are unknown (``needs_input``): a check that needs one "
        "is n/a naming the capability, the self-tests declare the input"),
}

ERROR_KINDS = ("not-initialized", "deferred-init", "missing", "shape-mismatch",
               "dtype-mismatch", "other")
#: the kinds that all mean "this parameter has no value yet"; judged as one kind,
#: ``no-value``, except by checks about that very distinction (spec ``detail``)
NO_VALUE_KINDS = ("not-initialized", "deferred-init", "missing")


class PrivateNameMissing(AttributeError):
    """A framework's private name an adapter cannot avoid is absent in the installed
    release: the adapter's error (outcome ``error``, "fix the adapter"), never a finding
    about the framework. Raised by :func:`private`."""


#: plain Python errors: raised by a statement of the adapter's own files they are the
#: adapter's bug (outcome ``error``), not the framework's behaviour (module doc)
PLAIN_ERRORS = (AttributeError, TypeError, NameError, KeyError, IndexError, AssertionError,
                UnboundLocalError, ZeroDivisionError, PrivateNameMissing)


def private(module: str, name: str):
    """``module.name``, a private name of a framework (``torch._subclasses``,
    ``keras.src``) that an adapter uses because no public API gives the same; every
    private name an adapter reaches goes through here (a meta test holds the adapters to
    it), so a release that lacks it ends the adapter's operation with
    :class:`PrivateNameMissing` naming it, never a framework finding."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise PrivateNameMissing(
            f"the adapter needs the private name {module}.{name}, which this release "
            f"lacks ({type(exc).__name__}: {exc}): fix the adapter for this release") from None


class Unsupported(Exception):
    """A step the framework could be expected to offer but has no native API for.

    ``Unsupported("operation/variant", "reason, naming the native APIs considered")``.
    """

    def __init__(self, what: str, reason: str = ""):
        super().__init__(f"{what}: {reason}" if reason else what)
        self.what, self.reason = what, reason


class MissingGroup(Exception):
    """An operation of a group the adapter does not map (``Adapter.groups``): the
    check that needs it is ``n/a`` naming ``group:<name>``."""

    def __init__(self, op: str, group: str, adapter: str):
        super().__init__(f"needs group {group} ({op}); {adapter} does not map it")
        self.premise = f"group:{group}"


def groups_of(fw) -> tuple:
    """The optional groups ``fw`` maps: its ``groups`` when it declares them, else
    every group whose operations its class all overrides."""
    declared = getattr(fw, "groups", None)
    if declared is not None:
        return tuple(declared)
    cls = type(fw)
    return tuple(g for g, ops in GROUPS.items()
                 if all(getattr(cls, op, None) is not getattr(Adapter, op) for op in ops))


class PlatformLacks(MissingGroup):
    """This machine lacks what an operation needs (a localhost port for gloo, a
    second device, a distributed backend in this build): the check is ``n/a``
    naming ``platform:<what>``, never a finding. Only for the machine, never for
    what the framework lacks (that is :class:`Unsupported`)."""

    def __init__(self, what: str, reason: str):
        Exception.__init__(self, f"{what}: {reason}")
        self.premise = f"platform:{what}"


class MissingElement(MissingGroup):
    """An architecture element the system does not declare in ``elements`` (PyG has
    no image convolution): the check that needs it is ``n/a`` naming
    ``arch:<element>``, never a finding and never an error."""

    def __init__(self, element: str, adapter: str):
        Exception.__init__(self, f"needs arch element {element}; {adapter} declares no "
                           f"{element} in elements")
        self.premise = f"arch:{element}"


class MissingInput(MissingGroup):
    """A build that leaves a layer's input size unknown (``needs_input``), asked of a
    system that declares ``deferred_input=False``: the check that needs it is ``n/a``
    naming the capability, never a finding and never an error."""

    def __init__(self, op: str, adapter: str):
        Exception.__init__(self, f"{op} of a network whose input sizes are unknown; "
                           f"{adapter} declares deferred_input=False")
        self.premise = "deferred_input"


class MissingParameter(LookupError):
    """The framework has no such parameter (yet): classify it as ``missing``."""


# -- architectures: data every adapter maps to its own layers ------------------
@dataclass(frozen=True)
class Dense:
    """A fully connected layer. The reference (MXNet) Dense flattens inputs of rank
    > 2; an adapter maps it to the framework's own dense layer as it is.
    ``in_units``: this layer declares its input size (capability per_layer_input).
    ``share``: layers with the same key are one layer used several times (tied).
    ``unused``: the layer is a registered child of the network (its parameters are
    the network's) that the forward never calls; it keeps its index in the arch
    (write unused layers last, so the used ones keep forward order)."""
    units: int
    relu: bool = False
    in_units: int | None = None
    share: str | None = None
    unused: bool = False


@dataclass(frozen=True)
class Conv2D:
    """A 2-D convolution, ``kernel`` x ``kernel``, ``stride`` on both axes, no
    padding: an image side ``h`` becomes ``(h - kernel) // stride + 1``."""
    channels: int
    kernel: int = 3
    stride: int = 1


def conv_sides(sides, kernel, stride=1):
    """An unpadded convolution's output image sides (see :class:`Conv2D`)."""
    return tuple((s - kernel) // stride + 1 for s in sides)


@dataclass(frozen=True)
class BatchNorm:
    """Batch normalization over channels (inference mode: running mean 0, var 1)."""


@dataclass(frozen=True)
class Table:
    """A layer without trainable parameters that adds a constant vector, computed when
    the layer is constructed, to its input: ``arange(units)`` (like a rotary or
    positional table). Its one parameter has role ``table``, is not trained and
    counts as the layer's. Used by the group abstract-build only (a buffer computed
    at construction, in a layer with no initializer to re-run): torch a module that
    registers it as a buffer in ``__init__``, Keras a non-trainable weight with a
    ``Constant`` initializer, Flax a variable of its own collection, MXNet
    ``params.get_constant``."""
    units: int


@dataclass(frozen=True)
class Flatten:
    """Flatten every axis but the batch axis."""


#: the architecture elements an adapter may declare in ``Adapter.elements`` (the layer
#: types of the contract data; ``Group`` is a nested block)
ELEMENTS = ("Dense", "Conv2D", "BatchNorm", "Flatten", "Table", "Group")


def elements_of(arch) -> set:
    """The element names ``arch`` uses (``Group`` included)."""
    out = set()
    for node in arch:
        if isinstance(node, Group):
            out |= {"Group"} | elements_of(node.layers)
        else:
            out.add(type(node).__name__)
    return out


def needs_input(arch, input_shape) -> bool:
    """Whether building ``arch`` needs a layer to take its input size from data
    (capability deferred_input): no ``input_shape`` is declared and a Conv2D, a
    BatchNorm or a Dense without ``in_units`` has no input size of its own."""
    return input_shape is None and any(
        isinstance(n, (Conv2D, BatchNorm)) or (isinstance(n, Dense) and n.in_units is None)
        for n in leaves(arch))


def layer_text(node) -> str:
    """A leaf as short contract data, its non-default fields only: ``Dense(4,
    relu=True)``, ``Conv2D(3, kernel=2, stride=2)``, ``Flatten()``."""
    if isinstance(node, Dense):
        extra = "".join(f", {k}={v!r}" for k, v in (("relu", node.relu),
                        ("in_units", node.in_units), ("share", node.share),
                        ("unused", node.unused)) if v)
        return f"Dense({node.units}{extra})"
    if isinstance(node, Table):
        return f"Table({node.units})"
    if isinstance(node, Conv2D):
        stride = f", stride={node.stride}" if node.stride > 1 else ""
        return f"Conv2D({node.channels}, kernel={node.kernel}{stride})"
    return f"{type(node).__name__}()"


@dataclass(frozen=True)
class Group:
    """A nested sequential block (``Sequential`` inside ``Sequential``)."""
    layers: tuple


#: an architecture: a tuple of layers and groups, applied in order
Arch = tuple


def leaves(arch):
    """The layers of ``arch`` in order, groups flattened."""
    for node in arch:
        if isinstance(node, Group):
            yield from leaves(node.layers)
        else:
            yield node


#: the initializer kinds of :class:`Init`
INIT_KINDS = ("default", "zeros", "constant", "normal", "uniform", "xavier", "recording",
              "seed-custom")


@dataclass
class Init:
    """A framework-neutral initializer request, translated by each adapter.

    kind: ``default`` (the framework's own for that role), ``zeros``, ``constant``
    (``value``), ``normal`` (sigma ``value``), ``uniform`` (U[-value, value]),
    ``xavier``, or a user-defined initializer written against the framework's own
    extension point (MXNet ``Initializer``, a Keras ``Initializer``, a torch init
    function, a Flax ``(key, shape, dtype)`` function): ``recording`` fills fresh
    U[-0.5, 0.5] draws; ``seed-custom`` is the seeds' MyInit: U[-10, 10] draws, then
    every value with |w| < 5 set to 0. User-defined ones append a
    :class:`Call` to ``log`` on every invocation.
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

    @property
    def user_defined(self) -> bool:
        return self.kind in ("recording", "seed-custom")

    def drew(self) -> list:
        """The calls that drew real values (not abstract/traced evaluations)."""
        return [c for c in self.log if c.drew]


@dataclass(frozen=True)
class Call:
    """One invocation of a user-defined initializer: the parameter, its shape in
    the reference layout, and whether it drew real values (``False`` when the
    framework only traced it abstractly, e.g. JAX's ``eval_shape`` on ``apply``)."""
    pid: str
    shape: tuple
    drew: bool = True


def family_of(fw) -> str:
    """The framework family of an adapter: the registry's (``adapters/systems.py``) for
    a system shipped here; an adapter outside this repository declares its own
    ``family`` (else its ``name`` is its family)."""
    system = SYSTEMS.get(fw.name)
    return system.family if system else getattr(fw, "family", "") or fw.name


def dispatch_claim(adapter, claim: str, framework: str):
    """``doc_probe`` helper: call ``adapter._claim_<claim with _>()``, or raise
    Unsupported when the claim is not about ``framework``."""
    probe = getattr(adapter, "_claim_" + claim.replace("-", "_"), None)
    if probe is None:
        raise Unsupported("doc_probe", f"claim {claim!r} is not about {framework}")
    return probe()


class Adapter:
    """Base class: one override per operation, with the parameters declared here
    (``adapters/signatures.py``). ``name`` is the system the adapter runs (a column
    of the report; expectations files are keyed by it). Its family, the framework it
    belongs to (differences files, documentation claims and ``applies_to`` are keyed
    by it: MXNet legacy and numpy mode are two systems of the family ``mxnet``, Keras
    3 on three backends and Keras 2 four of ``keras``), is ``family_of``'s: the
    registry's for a system shipped here (``adapters/systems.py``, never an
    attribute of its class), the class attribute ``family`` for an adapter outside
    this repository."""

    name = "abstract"
    #: an adapter outside this repository only: its family ("" = its ``name``)
    family = ""
    #: the optional ``GROUPS`` this adapter maps (``None``: those whose operations it
    #: all overrides); ``adapters.load`` checks a declared group is mapped whole
    groups: tuple | None = None
    #: every key of CAPABILITIES -> this framework's value
    capabilities: dict = {}
    #: the architecture elements (``ELEMENTS``) this system builds; a check or property
    #: needing another is ``n/a`` naming ``arch:<element>``
    elements: tuple = ELEMENTS
    #: use (``conformance/uses.py`` vocabulary) -> the API it is mapped to when that is
    #: not the system's own (Flax linen's ``build_eager`` -> ``"flax.nnx"``): a check
    #: that went through it records ``via`` and the report says so in its cell
    apis: dict = {}

    # -- identity --------------------------------------------------------------
    def framework_version(self) -> str:
        """The framework's version string (``mxnet.__version__`` etc.)."""
        raise NotImplementedError

    def framework_config(self) -> dict:
        """Settings that change outcomes, as ``{name: str|int|bool}``: Keras image data
        format and backend, ``jax_enable_x64``, MXNet numpy-shape mode... Recorded in
        the results; expectations may depend on them (``when_config``)."""
        raise NotImplementedError

    def seed(self, n: int) -> None:
        """Seed every random generator the framework's initializers use (an adapter
        of a keyed RNG holds the key and splits it per draw)."""
        raise NotImplementedError

    # -- lifecycle -------------------------------------------------------------
    def build(self, arch: Arch, input_shape: tuple | None = None,
              weight_init: Init | None = None, bias_init: Init | None = None):
        """Construct the network ``arch`` and return the model (a network object, or
        a definition for a functional framework). No data is seen.

        ``input_shape`` (without the batch axis) declares the whole model's input
        (capability model_input): MXNet ``in_units`` on every layer, ``keras.Input``,
        eager torch / nnx layers. ``weight_init``/``bias_init``: the initializer of
        every weight / bias, given at construction where the framework takes it
        (``weight_initializer=``, ``kernel_initializer=``, ``kernel_init=``, torch's
        ``reset_parameters``). ``None``: the framework's default. Checks measure:
        which parameters exist and hold values right after it, and the draws the
        initializers make (construction-time draws count)."""
        raise NotImplementedError

    def initialize(self, model, init: Init | None = None):
        """The framework's explicit initialize call before data, and its state.

        With capability ``init_step = "deferred"`` (MXNet ``Block.initialize(init)``):
        initialize what has a shape now, register ``init`` (model-wide, capability
        model_wide_initializer, routed by the rule above) for the rest. Called again
        on an initialized network it is the framework's own repeated call (MXNet
        warns; the harness records Python warnings). Where the framework has no such
        step (``init_step = "none"``: torch Lazy*, Keras, Flax) return ``model``
        unchanged; ``init`` is then never passed. Checks measure: draws made by it,
        which parameters hold values after it, its warnings."""
        raise NotImplementedError

    def materialize(self, state, x):
        """Create every parameter's value from the sample batch ``x`` (numpy float32,
        NCHW for images) the framework's own way, and return the state: the first
        call of the network for frameworks that materialize on first call (MXNet,
        torch Lazy*, Keras), ``init(key, x)`` for functional ones (Flax). Checks
        measure: the draws made during it, shapes afterwards, errors on mismatch."""
        raise NotImplementedError

    def forward(self, state, x):
        """Run the network in inference mode on numpy ``x``: return ``(output as
        numpy, state)``. For image archs ``x`` is NCHW; convert to the framework's
        layout. Checks measure: output shapes and values, draws during later calls."""
        raise NotImplementedError

    def backward_sum(self, state, x) -> dict:
        """Gradient of ``sum(forward(x))`` (training mode) with the framework's own
        autodiff: ``{pid: gradient in the reference layout}`` for every logical id
        (tied ids each get the shared parameter's gradient)."""
        raise NotImplementedError

    def reinitialize(self, state, init: Init, target=None):
        """Draw new values now for parameters that hold values, and return the state:
        MXNet ``initialize(init, force_reinit=True)`` on the target, torch
        ``torch.nn.init`` on its parameters, Keras ``Variable.assign`` of an initializer's
        output, Flax a new leaf from an initializer. ``target``: ``None`` (the whole
        network), a layer index, or one parameter id; ``init`` is routed by the rule
        above. On a parameter that has no value yet it registers ``init`` for its
        materialization where the framework can (MXNet force while deferred), else
        raises. Checks measure: draws made now, values changed, draws later."""
        raise NotImplementedError

    # -- observation -----------------------------------------------------------
    def param_ids(self, state) -> list:
        """Logical ids of the parameters that exist now, in forward order (a tied
        parameter listed once per layer that uses it); ``[]`` when none exist."""
        raise NotImplementedError

    def param_shape(self, state, pid: str) -> tuple:
        """Shape of ``pid``, ``None`` where a dim is unknown; raises (the framework's
        error, or MissingParameter) where the framework cannot tell."""
        raise NotImplementedError

    def param_dtype(self, state, pid: str) -> str:
        """The parameter's dtype name (``float32``...)."""
        raise NotImplementedError

    def read_param(self, state, pid: str):
        """The value of ``pid`` as a numpy array via the framework's read API; the
        framework's error when it has no value (MXNet ``data()`` raising)."""
        raise NotImplementedError

    def write_param(self, state, pid: str, value):
        """Overwrite ``pid`` with ``value`` (reference layout) via the framework's
        write API (MXNet ``set_data``, torch ``copy_``, Keras ``assign``, a new leaf
        in Flax); return the state. Checks measure: what later reads and forwards see,
        and what a write before any value exists does."""
        raise NotImplementedError

    def inplace_add(self, state, pid: str, delta: float) -> None:
        """Add ``delta`` in place to the live buffer behind ``pid`` (MXNet
        ``data()[:] += d``, torch ``.data += d``, Keras ``assign_add``); only asked of
        frameworks with capability mutable_in_place."""
        raise NotImplementedError

    def same_parameter(self, state, pid_a: str, pid_b: str) -> bool:
        """Whether the two ids name one parameter: the same object, or the same path
        in a functional framework's variables."""
        raise NotImplementedError

    def native_name(self, state, pid: str) -> str:
        """The framework's own name for ``pid`` (``dense0_weight``, ``0.weight``,
        ``layers_0/kernel``...)."""
        raise NotImplementedError

    def role_name(self, role: str) -> str:
        """The framework's spelling of a role in native names (``weight`` ->
        ``kernel`` in Keras and Flax)."""
        raise NotImplementedError

    def nested_lookup(self, state, path: tuple, role: str) -> str:
        """Reach a parameter through the block hierarchy (``net[0][1][0].bias`` for
        ``path=(0, 1, 0), role="bias"``; ``path`` counts layers and groups of the
        arch, without activations) and return the logical id it is."""
        raise NotImplementedError

    def select_params(self, state, pattern: str) -> list:
        """Logical ids of the parameters the framework's own regular-expression
        selection returns (capability name_selection: MXNet ``collect_params``)."""
        raise NotImplementedError

    def layout(self) -> str:
        """The framework's native image layout for 2-D convolutions: NCHW or NHWC."""
        raise NotImplementedError

    # -- persistence -----------------------------------------------------------
    def save(self, state, directory: str) -> str:
        """Save the parameters in the framework's own format into ``directory``;
        return the file's path."""
        raise NotImplementedError

    def load(self, state, path: str):
        """Load parameters saved by ``save`` into ``state`` (possibly a never-run
        model) the framework's way, never unpickling arbitrary objects (torch:
        ``weights_only=True``); return the state."""
        raise NotImplementedError

    # -- around lazy initialization: the optional GROUPS -------------------------
    def make_optimizer(self, state, kind: str, lr: float):
        """The framework's own optimizer over the network's parameters as they exist
        now, and return it: MXNet ``gluon.Trainer(net.collect_params(), kind,
        {"learning_rate": lr})``, ``torch.optim.SGD/Adagrad(net.parameters(), lr=lr)``,
        a Keras optimizer built over ``model.trainable_variables``, optax
        ``tx.init(params)``. ``kind``: ``sgd`` (plain: no momentum, no weight decay)
        or ``adagrad`` (the framework's defaults otherwise). Checks measure: whether
        it can be made before the first data, and what a step then does."""
        raise NotImplementedError

    def train_step(self, state, opt, x):
        """One training step of ``opt`` on the loss ``sum(forward(x))`` (training
        mode), the framework's own way (MXNet ``autograd.record`` + ``backward`` +
        ``trainer.step(1)``; torch ``backward`` + ``opt.step()``; Keras gradients +
        ``apply_gradients``; optax ``update`` + ``apply_updates``); the first forward
        happens here if none has. Return ``(state, opt)``."""
        raise NotImplementedError

    def freeze(self, state, target: int, way: str = "layer"):
        """Mark layer ``target``'s parameters non-trainable, before or after their
        shape is known, and return the state; a later ``make_optimizer`` +
        ``train_step`` must leave them. ``way`` names which native way:

        * ``layer`` -- the framework's own call that freezes a whole layer: MXNet
          ``layer.collect_params().setattr("grad_req", "null")``, torch
          ``module.requires_grad_(False)``, Keras ``layer.trainable = False``; where
          a framework has no layer flag, its native layer freeze: Flax/optax
          ``optax.multi_transform({"trainable": ..., "frozen": optax.set_to_zero()},
          labels)`` with ``labels`` a callable of the params that labels the layer's
          subtree (given before any param exists), which ``make_optimizer`` then
          chains in front of the optimizer.
        * ``parameter`` -- each parameter's own flag, set one parameter at a time
          (capability trainable_flag): MXNet ``p.grad_req = "null"``, torch
          ``p.requires_grad = False``, Keras 3 ``variable.trainable = False``.

        A way the framework cannot honour natively raises
        ``Unsupported("freeze/<way>", "why; native APIs considered")``; a parameter
        that does not exist yet is the framework's fact (``MissingParameter``), never
        skipped."""
        raise NotImplementedError

    def copy(self, state, how: str):
        """An independent copy of the network, as the framework offers it: ``how`` is
        ``deepcopy`` (``copy.deepcopy``) or ``pickle`` (``pickle.dumps`` then
        ``loads`` of the network object, the framework's own reduce where it has
        one). Return the copy's state; the original is untouched."""
        raise NotImplementedError

    def output_shape(self, state, input_shape: tuple) -> tuple:
        """The network's output shape for an input of ``input_shape`` (batch axis
        included, reference layout), computed by the framework's own shape inference
        without real data: MXNet's symbolic ``infer_shape``, Keras
        ``compute_output_shape``, ``jax.eval_shape``; for torch-based lazy modules
        (``Lazy*``, PyG's ``in_channels=-1``) a *meta-device* input inside
        ``FakeTensorMode(allow_non_fake_inputs=True)`` -- either alone fails on lazy
        modules (a CPU input meets meta parameters: ``FakeTensorDeviceMismatchError``;
        torch's own ``LazyLinear`` too). Never derived
        from the arch by the adapter. Stateful frameworks may change the network in
        place (checks observe that afterwards)."""
        raise NotImplementedError

    def count_params(self, state) -> int:
        """The number of parameter values the network has, by the framework's own
        count where it has one (Keras ``count_params()``), else the sum of the sizes
        of the parameters' values as the framework reports them (MXNet
        ``p.data().size``, torch ``p.numel()``, the variables' leaves in Flax)."""
        raise NotImplementedError

    def build_eager(self, arch: Arch):
        """Construct ``arch`` refusing deferral, with no input size given: MXNet
        parameters with ``allow_deferred_init=False``, or the closest native way to
        ask for eager parameters (torch ``nn.Linear`` instead of ``LazyLinear``, a
        Keras model whose input has an unknown feature dim, ``flax.nnx`` eager
        layers), an unknown input size written as the framework spells it. Return the
        model, or raise the framework's error; checks observe at which step
        (build, initialize, first data) deferral is refused."""
        raise NotImplementedError

    def compile(self, state):
        """The framework's graph/compile step applied to the network now, and return
        the state whose ``materialize``/``forward`` run the compiled network: MXNet
        ``hybridize()``, ``torch.compile``, Keras ``jit_compile``, ``jax.jit``."""
        raise NotImplementedError

    def cast(self, state, dtype: str):
        """Cast the network's parameters, present and future, to ``dtype``
        (``float64``, ``float16``) with the framework's own call (MXNet
        ``net.cast``, torch ``net.to(dtype)``, Keras a dtype policy...); return the
        state. Checks measure the dtype the parameters materialize with."""
        raise NotImplementedError

    # -- models built without memory (group abstract-build) ---------------
    def build_abstract(self, arch: Arch, input_shape: tuple | None):
        """Construct ``arch`` for inputs of ``input_shape`` (without the batch axis)
        *abstractly*, the framework's own way to have every parameter's shape and
        dtype without its memory: torch under ``torch.device("meta")`` (eager layers,
        sizes declared), Keras 3 under ``keras.StatelessScope(initialize_variables=
        False)``, Flax ``jax.eval_shape`` of ``init``, MXNet every ``in_units`` and
        no ``initialize()``. Return the state that ``param_ids``, ``param_shape``,
        ``param_dtype`` and ``read_param`` observe. Checks measure: shapes and dtypes
        known, no memory held (``memory_bytes``), a read refused.

        ``input_shape=None`` is the lazy case: only the arch's own ``in_units`` are
        declared and the other layers stay lazy, built the same abstract way (torch
        ``LazyLinear`` under the meta device, a Keras Sequential with no Input in the
        scope, MXNet Dense without ``in_units``); raise :class:`Unsupported` where the
        abstract way needs the input (it names the APIs considered)."""
        raise NotImplementedError

    def materialize_abstract(self, state):
        """Give an abstractly built network its values the framework's documented way
        and return the state: torch ``to_empty(device="cpu")`` then
        ``reset_parameters()`` on every module that has one (PyG: the network's own
        ``reset_parameters()``, which its ``Sequential`` runs on each child; calling it
        on every module would draw each layer twice), Keras 3 leaving a
        ``keras.StatelessScope()`` (it initializes the variables still deferred), Flax
        ``init`` on the sample the abstract build was traced with, MXNet
        ``initialize()``. Nothing else: a value the documented path leaves unset
        stays unset (checks measure which parameters, and which ``Table`` buffers,
        hold what construction gives; tied parameters still one)."""
        raise NotImplementedError

    def memory_bytes(self, state) -> int:
        """Bytes of parameter memory ``state`` holds: the sum, over the parameters
        that hold a value, of their size in bytes, as the framework reports what it
        allocated (torch: not ``is_meta``; Keras: variables holding a value; Flax:
        leaves that are arrays, not ``ShapeDtypeStruct``; MXNet: parameters whose
        ``data()`` exists). A tied parameter counts once."""
        raise NotImplementedError

    def tie(self, state, src: str, dst: str):
        """Make parameter ``dst`` the very parameter ``src`` (one object, one value,
        both layers use it) with the framework's own idiom for tying *one parameter*
        of two different layers (torch ``b.weight = a.weight``, as a language model
        ties its embedding and output weights), and return the state. A whole layer
        used twice is ``Dense(share=)``; this is the parameter-level tie. Raise
        :class:`Unsupported` naming the native ways considered where the framework
        ties only whole layers."""
        raise NotImplementedError

    # -- initialisation across devices (group sharded) ---------------------
    def shard_init(self, arch: Arch, input_shape: tuple, seed: int) -> dict:
        """Initialise ``arch`` for inputs of ``input_shape`` with every Dense weight
        sharded over 2 devices along its output units (the reference layout's axis
        0), on the framework's own distributed engine (torch: ``torch.distributed``
        with gloo on 2 local processes, FSDP2 ``fully_shard`` of a meta-device model,
        then ``to_empty`` + ``reset_parameters``; JAX: 2 host CPU devices,
        ``jax.jit(init, out_shardings=...)``; Keras 3 on JAX: ``keras.distribution``
        with a ``LayoutMap``), after ``seed(seed)``; and initialise the same ``arch``
        whole, on one device, after the same seed. The adapter starts the processes
        itself. Return plain data in the reference layout::

            {"whole": {pid: ndarray}, "shards": {pid: [ndarray per device]}}

        with the Dense weights' ids as keys (a shard holds the rows its device
        holds), and optionally ``"note"``: a sentence the report shows with the
        result (how the framework drew them, e.g. whole, then distributed). Raise :class:`PlatformLacks` where this machine lacks the devices or
        processes (the checks are then n/a naming ``platform:<what>``), and
        :class:`Unsupported` where the framework has no sharded initializer."""
        raise NotImplementedError

    # -- errors and documentation claims ------------------------------------------
    def classify_error(self, exc: BaseException) -> str:
        """Normalise a framework exception to one of ``ERROR_KINDS``:
        ``not-initialized`` (never initialized), ``deferred-init`` (registered, shape
        still unknown), ``missing`` (no such parameter), ``shape-mismatch``,
        ``dtype-mismatch``, else ``other``."""
        raise NotImplementedError

    def doc_probe(self, claim: str):
        """Observe what the framework does for one documentation claim of
        ``spec/behaviours/doc-claims.toml`` about this framework; ``Unsupported`` for a
        claim about another one (``dispatch_claim`` does both)."""
        raise NotImplementedError

    # -- optional, outside OPERATIONS: reports ---------------------------------------
    def source(self, arch: Arch, input_shape: tuple) -> str | None:
        """A standalone snippet of the framework's own code that builds ``arch`` as
        ``build`` does (default initializers) and runs it once on uniform data of
        ``input_shape`` (batch first, reference layout), binding ``net``, ``x`` and
        ``y``: how the report shows a property counterexample. ``None``
        where the adapter cannot render ``arch`` (the contract data is shown)."""
        return None


def render_layers(arch: Arch, layer, reuse=lambda name, make: name):
    """The layer list of a :meth:`Adapter.source` snippet: ``(setup, items)``.

    ``layer(node)`` gives a leaf's code: ``(constructor, extras, setup)`` --
    the expression that makes the layer, the items that follow it (an activation),
    and a statement to run on it once made (``"{}.build(...)"``, or ``""``). A tied
    layer, or one with a setup, is made once in ``setup`` as ``tN`` / ``dN``; its
    items then name it, and a tied layer's later uses are ``reuse(name,
    constructor)`` (the name itself by default: the same layer object again).
    ``None`` for an arch with groups or unused layers (not rendered)."""
    setup, items, names = [], [], {}
    for i, node in enumerate(arch):
        if isinstance(node, Group) or getattr(node, "unused", False):
            return None
        make, extras, after = layer(node)
        key = getattr(node, "share", None) or (f"#{i}" if after else None)
        if key is not None and key in names:
            make = reuse(names[key], make)
        elif key is not None:
            names[key] = f"{'t' if key[0] != '#' else 'd'}{len(names)}"
            setup.append(f"{names[key]} = {make}")
            if after:
                setup.append(after.format(names[key]))
            make = names[key]
        items += [make, *extras]
    return setup, items


def listing(opening: str, items, closing: str) -> str:
    """``opening + items + closing`` on one line of at most 88 characters, else the
    items packed into indented lines of at most 88 (a :meth:`Adapter.source`
    snippet's layer list)."""
    line = f"{opening}{', '.join(items)}{closing}"
    if len(line) <= 88:
        return line
    lines = [""]
    for item in items:
        if lines[-1] and len(lines[-1]) + len(item) + 6 > 88:
            lines.append("")
        lines[-1] += f"{item}, "
    return opening + "".join(f"\n    {x.rstrip()}" for x in lines) + "\n" + closing


def premise_holds(capabilities: dict, requirement: str) -> bool:
    """``cap`` / ``cap=value`` / ``cap!=value`` against declared ``capabilities``."""
    if "!=" in requirement:
        cap, value = requirement.split("!=", 1)
        return str(capabilities.get(cap)).lower() != value.lower()
    if "=" in requirement:
        cap, value = requirement.split("=", 1)
        return str(capabilities.get(cap)).lower() == value.lower()
    return bool(capabilities.get(requirement))


def requirement_capability(requirement: str) -> str:
    return requirement.replace("!=", "=").split("=", 1)[0]
