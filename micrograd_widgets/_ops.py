"""The op table: one row per op code, read by the engine, graph.py and the JS replay.

Each row holds the op's display name, its forward function, its local
derivatives (d out / d input_i, one per input) and its domain check. The engine
computes every value and every gradient through these rows and nothing else, so
a replay (Python or the browser's copy in ``js/core/ops.js``, which mirrors this file
code for code) can recompute a graph from op codes alone.

Every function takes ``v``, the tuple of input *floats*, and ``c``, the node's
constant (only ``powc`` uses it: the exponent).
"""

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

Floats = Sequence[float]


class Op(NamedTuple):
    """One row of the op table."""

    name: str
    forward: Callable[[Floats, float], float]
    local_grads: Callable[[Floats, float, float], Sequence[float]]  # (v, out, c)
    domain: Callable[[Floats, float], str | None] | None = None  # error text or None


# NOTE [IEEE overflow]
# Python raises OverflowError where torch and JavaScript return inf
# (math.exp(1000), 10.0 ** 400). A teaching engine should agree with torch and
# with the browser replay, so these two helpers map overflow to a signed inf.


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _pow(x: float, y: float) -> float:
    if x < 0 and math.isfinite(y) and not y.is_integer():
        return math.nan  # Python would return a complex number
    try:
        return x**y
    except OverflowError:
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


def _tanh_grad(v, out, c):
    return (1.0 - out * out,)


def _pow_grads(v, out, c):
    base, exponent = v
    d_base = exponent * _pow(base, exponent - 1) if exponent != 0 else 0.0
    # torch's rule for d/d exponent: base ** e * log(base), 0 where base == 0 and e >= 0
    if base > 0:
        d_exponent = out * math.log(base)
    elif base == 0 and exponent >= 0:
        d_exponent = 0.0
    else:
        d_exponent = math.nan
    return (d_base, d_exponent)


def _powc_grads(v, out, c):
    return (c * _pow(v[0], c - 1) if c != 0 else 0.0,)


def _pow_domain(base: float, exponent: float) -> str | None:
    if base == 0 and exponent < 0:
        return f"0 ** {exponent:g}: zero to a negative power"
    if base < 0 and math.isfinite(exponent) and not float(exponent).is_integer():
        return f"{base:g} ** {exponent:g}: negative base to a non-integer power"
    return None


def _dot_forward(v, c):
    n = len(v) // 2
    total = v[-1] if len(v) % 2 else 0.0  # an odd count means a bias at the end
    for i in range(n):
        total += v[i] * v[n + i]
    return total


def _sum_forward(v, c):
    # left to right, like JS and micrograd's chain of adds (Python 3.12's sum() compensates)
    total = 0.0
    for x in v:
        total += x
    return total


def _dot_grads(v, out, c):
    n = len(v) // 2
    grads = list(v[n : 2 * n]) + list(v[:n])  # d/dw_i = x_i, d/dx_i = w_i
    if len(v) % 2:
        grads.append(1.0)
    return grads


def _logsumexp_forward(v, c):
    # log(sum(exp(x))) shifted by the largest finite x so that no exp overflows;
    # an infinite max is not shifted (torch's rule), so +inf gives inf and all -inf gives -inf
    top = -math.inf
    for x in v:
        if x > top:
            top = x
    shift = top if math.isfinite(top) else 0.0
    total = 0.0
    for x in v:
        total += _exp(x - shift)
    return _log(total) + shift


def _logsumexp_grads(v, out, c):
    # softmax: d logsumexp / d x_i = exp(x_i - logsumexp)
    return [_exp(x - out) for x in v]


# Op codes are indexes into OPS; js/core/ops.js uses the same numbers.
LEAF, ADD, SUB, MUL, DIV, NEG, POW, POWC, RELU, TANH, EXP, LOG, SIGMOID, SOFTPLUS, DOT, SUM, LOGSUMEXP = range(17)

OPS: tuple[Op, ...] = (
    Op("", lambda v, c: math.nan, lambda v, out, c: ()),
    Op("+", lambda v, c: v[0] + v[1], lambda v, out, c: (1.0, 1.0)),
    Op("-", lambda v, c: v[0] - v[1], lambda v, out, c: (1.0, -1.0)),
    Op("*", lambda v, c: v[0] * v[1], lambda v, out, c: (v[1], v[0])),
    Op(
        "/",
        lambda v, c: _div(v[0], v[1]),
        lambda v, out, c: (_div(1.0, v[1]), _div(-v[0], v[1] * v[1])),
        lambda v, c: f"{v[0]:g} / 0: division by zero" if v[1] == 0 else None,
    ),
    Op("neg", lambda v, c: -v[0], lambda v, out, c: (-1.0,)),
    Op("**", lambda v, c: _pow(v[0], v[1]), _pow_grads, lambda v, c: _pow_domain(v[0], v[1])),
    Op("**", lambda v, c: _pow(v[0], c), _powc_grads, lambda v, c: _pow_domain(v[0], c)),
    Op("relu", lambda v, c: 0.0 if v[0] <= 0 else v[0], lambda v, out, c: (1.0 if v[0] > 0 else 0.0,)),
    Op("tanh", lambda v, c: math.tanh(v[0]), _tanh_grad),
    Op("exp", lambda v, c: _exp(v[0]), lambda v, out, c: (out,)),
    Op(
        "log",
        lambda v, c: _log(v[0]),
        lambda v, out, c: (_div(1.0, v[0]),),
        lambda v, c: f"log({v[0]:g}): log of a number <= 0" if v[0] <= 0 else None,
    ),
    Op("sigmoid", lambda v, c: _sigmoid(v[0]), lambda v, out, c: (out * (1.0 - out),)),
    Op("softplus", lambda v, c: _softplus(v[0]), lambda v, out, c: (_sigmoid(v[0]),)),
    Op("dot", _dot_forward, _dot_grads),
    Op("sum", _sum_forward, lambda v, out, c: (1.0,) * len(v)),
    Op("logsumexp", _logsumexp_forward, _logsumexp_grads),
)
