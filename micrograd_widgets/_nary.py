"""Ops with many inputs, each one node: ``dot`` (a neuron's weighted sum plus bias), ``vsum`` and ``logsumexp``.

A neuron of n inputs is one dot node instead of a chain of 2n binary nodes, so
its graph, its backward pass and its picture stay small. They build on the
engine's ``_apply`` and are public from ``micrograd_widgets.engine``.
"""

from collections.abc import Iterable, Sequence

from ._ops import DOT, LOGSUMEXP, SUM
from .engine import Value, _apply, as_value


def dot(ws: Sequence, xs: Sequence, b=None) -> Value:
    """sum(w_i * x_i) (+ b) as one node, with d/dw_i = x_i and d/dx_i = w_i."""
    if len(ws) != len(xs):
        raise ValueError(f"dot() needs as many weights as inputs, got {len(ws)} and {len(xs)}")
    inputs = (*ws, *xs) if b is None else (*ws, *xs, b)
    if set(map(type, inputs)) != {Value}:  # every neuron calls this: wrap only when needed
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
