"""Ops with many inputs, each one node: ``dot`` (a neuron's weighted sum plus bias), ``vsum`` and ``logsumexp``.

A neuron of n inputs is one dot node instead of a chain of 2n binary nodes, so
its graph, its backward pass and its picture stay small. They build on the
engine's ``_apply`` and are public from ``micrograd_widgets.engine``.
"""

from collections.abc import Iterable, Sequence

from ._ops import DOT, LOGSUMEXP, SUM
from .engine import Value, _apply, as_value


# NOTE [one type check for a neuron]
# Every neuron calls dot once per data point, on 2n + 1 inputs that are almost
# always Values already (an MLP wraps a point's floats once). set(map(type, ...))
# checks them all in C: for 33 inputs ~0.7 µs, against ~1.0 µs for an all() over
# isinstance and ~1.6 µs for passing every input through as_value (CPython 3.11).
# Anything else (a number, a Value subclass) fails it and goes through as_value.
def dot(ws: Sequence, xs: Sequence, b=None) -> Value:
    """sum(w_i * x_i) (+ b) as one node, with d/dw_i = x_i and d/dx_i = w_i."""
    if len(ws) != len(xs):
        raise ValueError(f"dot() needs as many weights as inputs, got {len(ws)} and {len(xs)}")
    inputs = (*ws, *xs) if b is None else (*ws, *xs, b)
    if set(map(type, inputs)) != {Value}:  # wrap only when needed: NOTE [one type check for a neuron]
        inputs = tuple(map(as_value, inputs))
    return _apply(DOT, inputs, [v.data for v in inputs])


def vsum(values: Iterable) -> Value:
    """The sum of many values as one n-ary node (Python's sum() builds a chain)."""
    inputs = tuple(as_value(v) for v in values)
    if not inputs:
        raise ValueError("vsum() needs at least one value")
    return _apply(SUM, inputs, [v.data for v in inputs])


def logsumexp(values: Iterable) -> Value:
    """log(sum(exp(v))) as one n-ary node, stable for any size of v; its local derivatives are the softmax."""
    inputs = tuple(as_value(v) for v in values)
    if not inputs:
        raise ValueError("logsumexp() needs at least one value")
    return _apply(LOGSUMEXP, inputs, [v.data for v in inputs])
