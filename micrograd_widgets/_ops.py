"""The op table: one row per op code, read by the engine and the step-through, mirrored by the JS replay.

Each row holds the op's display name, its forward function, its local
derivatives (d out / d input_i, one per input) and its domain check. The engine
computes every value and every gradient through these rows (``engine.py`` as
it builds and backpropagates, ``_replay.py`` as it recomputes; a dot node's
derivatives, the other factors, are read straight from its inputs: NOTE [one
call per node] in engine.py), so a replay (Python or the browser's copy in
``js/core/ops.js``, which mirrors this file code for code) can recompute a graph
from op codes alone. ``widgets/_teaching.py`` reads the local derivatives the
step-through shows. ``tests/test_cross_check.py`` runs both tables on the same inputs.

Every function takes ``values``, the input *floats* in order, and ``const``,
the node's constant (only ``powc`` uses it: the exponent); ``local_grads`` also
gets ``out``, the node's own value. A new op is one more row at the end (its
code is its index), the same row in ``js/core/ops.js``, and its arity in
``tests/test_cross_check.py``, which fails until the new row is cross-checked.
"""

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

Floats = Sequence[float]


class Op(NamedTuple):
    """One row of the op table."""

    name: str
    forward: Callable[[Floats, float], float]  # (values, const) -> out
    local_grads: Callable[[Floats, float, float], Sequence[float]]  # (values, out, const) -> d out / d input_i
    domain: Callable[[Floats, float], str | None] | None = None  # (values, const) -> error text or None


# NOTE [IEEE overflow]
# Python raises OverflowError where torch and JavaScript return inf
# (math.exp(1000), 10.0 ** 400). A teaching engine should agree with torch and
# with the browser replay, so these two helpers map overflow to a signed inf.


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:  # NOTE [IEEE overflow]
        return math.inf


def _pow(x: float, y: float) -> float:
    if x < 0 and math.isfinite(y) and not y.is_integer():
        return math.nan  # Python would return a complex number
    try:
        return x**y
    except OverflowError:  # NOTE [IEEE overflow]
        return -math.inf if x < 0 and y % 2 == 1 else math.inf
    except ZeroDivisionError:  # 0.0 ** -1: only reached in replay, after the domain check
        return math.nan


def _div(x: float, y: float) -> float:
    try:
        return x / y
    except ZeroDivisionError:
        return math.nan


def _sigmoid(x: float) -> float:
    # two branches so that exp never overflows
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _softplus(x: float) -> float:
    # log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|)
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _log(x: float) -> float:
    if x > 0:
        return math.log(x)
    return -math.inf if x == 0 else math.nan


def _tanh_grad(values, out, const):
    return (1.0 - out * out,)


def _pow_grads(values, out, const):
    base, exponent = values
    d_base = exponent * _pow(base, exponent - 1) if exponent != 0 else 0.0
    # torch's rule for d/d exponent: base ** e * log(base), 0 where base == 0 and e >= 0
    if base > 0:
        d_exponent = out * math.log(base)
    elif base == 0 and exponent >= 0:
        d_exponent = 0.0
    else:
        d_exponent = math.nan
    return (d_base, d_exponent)


def _powc_grads(values, out, const):
    return (const * _pow(values[0], const - 1) if const != 0 else 0.0,)


def _pow_domain(base: float, exponent: float) -> str | None:
    if base == 0 and exponent < 0:
        return f"0 ** {exponent:g}: zero to a negative power"
    if base < 0 and math.isfinite(exponent) and not float(exponent).is_integer():
        return f"{base:g} ** {exponent:g}: negative base to a non-integer power"
    return None


def _dot_forward(values, const):
    n = len(values) // 2
    total = values[-1] if len(values) % 2 else 0.0  # an odd count means a bias at the end
    for w, x in zip(values[:n], values[n : 2 * n], strict=True):
        total += w * x
    return total


def _sum_forward(values, const):
    # left to right, like JS and micrograd's chain of adds (Python 3.12's sum() compensates)
    total = 0.0
    for x in values:
        total += x
    return total


def _dot_grads(values, out, const):
    n = len(values) // 2
    grads = list(values[n : 2 * n]) + list(values[:n])  # d/dw_i = x_i, d/dx_i = w_i
    if len(values) % 2:
        grads.append(1.0)
    return grads


def _logsumexp_forward(values, const):
    # log(sum(exp(x))) shifted by the largest finite x so that no exp overflows;
    # an infinite max is not shifted (torch's rule), so +inf gives inf and all -inf gives -inf
    top = -math.inf
    for x in values:
        if x > top:
            top = x
    shift = top if math.isfinite(top) else 0.0
    total = 0.0
    for x in values:
        total += _exp(x - shift)
    return _log(total) + shift


def _logsumexp_grads(values, out, const):
    # softmax: d logsumexp / d x_i = exp(x_i - logsumexp)
    return [_exp(x - out) for x in values]


# Op codes are indexes into OPS; js/core/ops.js uses the same numbers.
LEAF, ADD, SUB, MUL, DIV, NEG, POW, POWC, RELU, TANH, EXP, LOG, SIGMOID, SOFTPLUS, DOT, SUM, LOGSUMEXP = range(17)

OPS: tuple[Op, ...] = (
    Op("", lambda values, const: math.nan, lambda values, out, const: ()),
    Op("+", lambda values, const: values[0] + values[1], lambda values, out, const: (1.0, 1.0)),
    Op("-", lambda values, const: values[0] - values[1], lambda values, out, const: (1.0, -1.0)),
    Op("*", lambda values, const: values[0] * values[1], lambda values, out, const: (values[1], values[0])),
    Op(
        "/",
        lambda values, const: _div(values[0], values[1]),
        lambda values, out, const: (_div(1.0, values[1]), _div(-values[0], values[1] * values[1])),
        lambda values, const: f"{values[0]:g} / 0: division by zero" if values[1] == 0 else None,
    ),
    Op("neg", lambda values, const: -values[0], lambda values, out, const: (-1.0,)),
    Op(
        "**",
        lambda values, const: _pow(values[0], values[1]),
        _pow_grads,
        lambda values, const: _pow_domain(values[0], values[1]),
    ),
    Op(
        "**",
        lambda values, const: _pow(values[0], const),
        _powc_grads,
        lambda values, const: _pow_domain(values[0], const),
    ),
    Op(
        "relu",
        lambda values, const: 0.0 if values[0] <= 0 else values[0],
        lambda values, out, const: (1.0 if values[0] > 0 else 0.0,),
    ),
    Op("tanh", lambda values, const: math.tanh(values[0]), _tanh_grad),
    Op("exp", lambda values, const: _exp(values[0]), lambda values, out, const: (out,)),
    Op(
        "log",
        lambda values, const: _log(values[0]),
        lambda values, out, const: (_div(1.0, values[0]),),
        lambda values, const: f"log({values[0]:g}): log of a number <= 0" if values[0] <= 0 else None,
    ),
    Op("sigmoid", lambda values, const: _sigmoid(values[0]), lambda values, out, const: (out * (1.0 - out),)),
    Op("softplus", lambda values, const: _softplus(values[0]), lambda values, out, const: (_sigmoid(values[0]),)),
    Op("dot", _dot_forward, _dot_grads),
    Op("sum", _sum_forward, lambda values, out, const: (1.0,) * len(values)),
    Op("logsumexp", _logsumexp_forward, _logsumexp_grads),
)
