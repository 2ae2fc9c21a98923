"""Random architectures for the differential properties, as hypothesis
strategies over the contract's layer data (``adapters.interface``).

A :class:`Case` is an architecture and the input it sees: MLPs of depth 1-5 with
widths 1, 3 or 8 (``WIDTH``), ReLU on some layers, input units declared on a random subset of
layers where the framework can declare one layer's input (capability
``per_layer_input``), one tied layer used twice in a random place, inputs of rank 2
or 3; and conv stacks (1-2 convolutions of kernel 1-3 and stride 1-2, an
optional BatchNorm, Flatten, Dense) on NCHW images.
"""
from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from adapters.interface import (ELEMENTS, BatchNorm, Conv2D, Dense, Flatten, conv_sides,
                                layer_text)

#: layer widths and input sizes: 1 (the degenerate case) and two distinct sizes (a
#: transposed kernel shows); a small pool, so that a framework compiling per shape
#: (JAX: a new kernel shape costs ~80 ms of tracing and lowering even with the
#: persistent cache warm) reuses its executables across examples (bench: the flax
#: properties run 18.2 s with (1, 2, 3, 5, 8, 12), ~12.5 s with this pool)
WIDTH = st.sampled_from((1, 3, 8))


@dataclass(frozen=True)
class Case:
    arch: tuple
    x_shape: tuple          # the first data's shape (batch first; images NCHW)
    bad_shape: tuple        # a later input whose feature (or channel) count differs

    @property
    def size(self) -> tuple:
        """Smaller is simpler: the order in which the smallest example of a
        counterexample class is kept."""
        return (len(self.arch), len(self.x_shape), sum(self.x_shape))

    def source(self) -> str:
        """The case as a few lines of the contract's layer data."""
        layers = ",\n    ".join(layer_text(n) for n in self.arch)
        return f"net = [\n    {layers},\n]\nx = uniform{self.x_shape}"


@st.composite
def mlps(draw, per_layer_input: bool = True) -> Case:
    rank = draw(st.sampled_from((2, 3)))
    x_shape = (draw(st.integers(1, 3)), *[draw(WIDTH) for _ in range(rank - 1)])
    depth = draw(st.integers(1, 5))
    tie_at = draw(st.integers(-1, depth - 1))     # -1: no tied layer
    arch, width = [], None                        # width: the previous layer's units
    for i in range(depth):
        if i == tie_at and width is not None:     # the tied layer maps width -> width
            arch += [Dense(width, relu=draw(st.booleans()), share="t")] * 2
            continue
        units = draw(WIDTH)
        declare = per_layer_input and width is not None and draw(st.booleans())
        arch.append(Dense(units, relu=i < depth - 1 and draw(st.booleans()),
                          in_units=width if declare else None))
        width = units
    bad = (*x_shape[:-1], x_shape[-1] + 1)
    return Case(tuple(arch), x_shape, bad)


@st.composite
def convs(draw, batchnorm: bool = True) -> Case:
    channels, side = draw(st.integers(1, 4)), draw(st.integers(3, 8))
    arch, left = [], side
    for _ in range(draw(st.integers(1, 2))):
        kernel, stride = draw(st.integers(1, min(3, left))), draw(st.integers(1, 2))
        arch.append(Conv2D(draw(st.integers(1, 6)), kernel=kernel, stride=stride))
        left = conv_sides((left,), kernel, stride)[0]
        if batchnorm and draw(st.booleans()):
            arch.append(BatchNorm())
    arch += [Flatten(), Dense(draw(WIDTH))]
    x_shape = (draw(st.integers(1, 2)), channels, side, side)
    return Case(tuple(arch), x_shape, (x_shape[0], channels + 1, side, side))


def cases(per_layer_input: bool = True, elements=ELEMENTS):
    """MLPs and conv stacks, MLPs twice as often; only what the system declares it
    builds (``elements``): conv stacks need Conv2D and Flatten, and have a BatchNorm
    only where BatchNorm is declared."""
    if not {"Conv2D", "Flatten"} <= set(elements):
        return mlps(per_layer_input)
    return st.one_of(mlps(per_layer_input), mlps(per_layer_input),
                     convs("BatchNorm" in elements))
