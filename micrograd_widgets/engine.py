"""A scalar reverse-mode autograd engine in the spirit of micrograd.

Each ``Value`` holds one float, its gradient, its inputs (in order) and an op
code into the op table of ``_ops.py``. Values and gradients are computed
from that table only, so a graph can be replayed after a leaf changes.
Nothing here recurses: graphs a million ops deep backprop fine. Beside it:
``_nary.py`` (dot, vsum, logsumexp), ``_recording.py`` (scope, no_grad),
``_replay.py`` and ``_gradcheck.py``; their public names import from here too.
"""

import numbers
from collections.abc import Sequence
from typing import Any

from . import _replay
from ._gradcheck import GradcheckRow as GradcheckRow
from ._gradcheck import gradcheck as gradcheck
from ._ops import ADD, DIV, DOT, EXP, LEAF, LOG, MUL, NEG, OPS, POW, POWC, RELU, SIGMOID, SOFTPLUS, SUB, TANH
from ._recording import _state
from ._recording import current_scope as current_scope
from ._recording import no_grad as no_grad
from ._recording import scope as scope


class Value:
    """A scalar in a computation graph: ``data``, ``grad``, its ``inputs`` and its ``op``."""

    # the inputs live in _left, _right and _many (see NOTE [inputs without a tuple])
    __slots__ = ("data", "grad", "_left", "_right", "_many", "code", "const", "label", "scope", "kind", "error",
                 "_topo", "__weakref__")  # fmt: skip
    # the fields' types, for type checkers (_set_fields assigns them, outside any method)
    data: float
    grad: float
    _left: "Value | None"
    _right: "Value | None"
    _many: "tuple[Value, ...] | None"
    code: int
    const: float
    label: str
    scope: str
    kind: str
    error: str | None
    _topo: "list[Value] | None"

    def __init__(self, data, label="", _kind="input"):
        _set_fields(self, _as_float(data), (), LEAF, 0.0, _kind)  # a leaf: no inputs
        self.label = "" if label is None else str(label)  # label=None: no label, not "None"

    @property
    def inputs(self) -> tuple:
        """The values this one was computed from, in order; () for a leaf."""
        if self._right is not None:
            return (self._left, self._right)
        if self._left is not None:
            return (self._left,)
        return () if self._many is None else self._many

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g}{label})"

    # ---- building the graph ------------------------------------------------------
    # each op hands _apply its input floats written out, (self.data,): NOTE [floats without a list]

    def __add__(self, other):
        return _binary(ADD, self, other)

    def __radd__(self, other):
        return _binary(ADD, other, self)

    def __sub__(self, other):
        return _binary(SUB, self, other)

    def __rsub__(self, other):
        return _binary(SUB, other, self)

    def __mul__(self, other):
        return _binary(MUL, self, other)

    def __rmul__(self, other):
        return _binary(MUL, other, self)

    def __truediv__(self, other):
        return _binary(DIV, self, other)

    def __rtruediv__(self, other):
        return _binary(DIV, other, self)

    def __neg__(self):
        return _apply(NEG, (self,), (self.data,))

    def __pow__(self, other):
        if isinstance(other, Value):
            return _binary(POW, self, other)
        return _apply(POWC, (self,), (self.data,), _as_float(other))

    def __rpow__(self, other):
        return _binary(POW, other, self)

    def relu(self):
        return _apply(RELU, (self,), (self.data,))

    def tanh(self):
        return _apply(TANH, (self,), (self.data,))

    def exp(self):
        return _apply(EXP, (self,), (self.data,))

    def log(self):
        return _apply(LOG, (self,), (self.data,))

    def sigmoid(self):
        return _apply(SIGMOID, (self,), (self.data,))

    def softplus(self):
        """log(1 + e^x), computed without overflow."""
        return _apply(SOFTPLUS, (self,), (self.data,))

    # ---- gradients ---------------------------------------------------------------

    def topo(self) -> list:
        """Every node this value depends on, inputs before outputs, this value last.

        The walk happens once; later calls copy the cached order (see NOTE [no cycles]).
        """
        if self._topo is None:
            self._topo = _topological_order(self)
        return [*self._topo, self]

    def backward(self, accumulate=False):
        """Compute d self / d node for every node of the graph.

        By default each call computes the gradients afresh, so calling it twice
        gives the same numbers. ``accumulate=True`` is PyTorch's behaviour:
        leaves add into the grad they already hold.
        """
        topo = self.topo()
        for node in topo:
            if not accumulate or node.inputs:
                node.grad = 0.0
        self.grad += 1.0
        backpropagate(topo)

    def replay(self):
        """Recompute every value from the leaves along the cached order, then the gradients.

        Never raises: a node whose op is undefined for its inputs gets NaN and
        ``node.error``, NaN flows downstream, and a later replay with good leaves recovers.
        """
        _replay.forward(self.topo(), record_errors=True)
        self.backward()

    # ---- micrograd compatibility -------------------------------------------------

    @property
    def op(self) -> str:
        """Readable op name ('+', '*', 'tanh', '**2' ...); '' for a leaf."""
        if self.code == POWC:
            return f"**{self.const:g}"
        return OPS[self.code].name

    _op = op  # micrograd's name

    @property
    def _prev(self) -> set:
        """micrograd's unordered set of inputs; prefer the ordered ``inputs``."""
        return set(self.inputs)

    def widget(self, **options):
        """A live graph widget of the graph that produces this value (see GraphWidget)."""
        from .widgets.graph import GraphWidget

        return GraphWidget(self, **options)


# NOTE [a float passes first]
# Every leaf passes here: each data point a step wraps, each plain number in an
# expression. isinstance(x, numbers.Real) walks the ABCs (~290 ns on CPython
# 3.11, a type test ~15 ns), so a float, nearly every call, goes first.
def _as_float(data) -> float:
    if type(data) is float:  # NOTE [a float passes first]
        return data
    if isinstance(data, numbers.Real):  # int, bool, numpy scalars, fractions
        return float(data)
    raise TypeError(
        f"Value() takes a real number (int, float, bool or a numpy scalar), got {type(data).__name__} {data!r}"
    )


# NOTE [inputs without a tuple]
# CPython's cyclic garbage collector makes a full pass, walking every live
# object, each time the objects that outlived its young passes reach a quarter
# of those alive after its last full pass. A training step keeps its graph alive
# until backward() is done, so for a hand-written MLP these passes cost more
# than the step's own arithmetic, and they grow with the objects per node. A
# tuple of inputs would be a second object per node, so a node keeps one or two
# inputs in its own fields (_left, _right); only the n-ary ops (dot, sum,
# logsumexp) keep a tuple (_many). The ``inputs`` property reassembles them.
def _set_fields(node: Value, data: float, inputs: tuple, code: int, const: float, kind: str):
    # Every Value, a leaf from __init__ or an op result from _apply, gets its fields here.
    node.data = data
    node.grad = 0.0
    n = len(inputs)  # see NOTE [inputs without a tuple]
    node._left = inputs[0] if 0 < n < 3 else None
    node._right = inputs[1] if n == 2 else None
    node._many = inputs if n > 2 else None
    node.code = code
    node.const = const
    node.label = ""
    node.scope = _state.scope  # this thread's scope: NOTE [per-thread state] in _recording.py
    node.kind = kind  # leaves: "input", "parameter" or "constant"; "op" otherwise
    node.error = None  # set by replay when the op is undefined for its inputs
    node._topo = None  # the nodes below this one in topological order, once walked


def as_value(x) -> Value:
    """``x`` itself if it is a Value, else a constant leaf holding it."""
    return x if isinstance(x, Value) else Value(x, _kind="constant")


# NOTE [floats without a list]
# Building the graph costs a few hundred nanoseconds per node, and a
# hand-written MLP makes ~65,000 nodes per step, so the per-node path counts.
# Each op method hands _apply its input floats as a tuple it writes out
# ((a.data, b.data)): a list comprehension per node would cost more than the
# op's own arithmetic. Only the n-ary ops (dot, vsum, logsumexp) build a list.
def _binary(code: int, a, b) -> Value:
    """Op ``code`` on two operands; a plain number becomes a constant leaf."""
    if not isinstance(a, Value):
        a = as_value(a)
    if not isinstance(b, Value):
        b = as_value(b)
    return _apply(code, (a, b), (a.data, b.data))  # NOTE [floats without a list]


# NOTE [results skip __init__]
# __init__ is the user's constructor (it checks its data, takes a label, makes a
# leaf). An op result is made with Value.__new__ and filled once by _set_fields:
# ~90 ns less per node than Value(...), ~50 ns less than an __init__ that checks
# nothing (CPython 3.11), on a step that makes ~65,000 nodes.
def _apply(code: int, inputs: tuple, values: Sequence[float], const=0.0) -> Value:
    """Compute op ``code`` eagerly on ``inputs`` (whose floats are ``values``); raise on a domain error."""
    op = OPS[code]
    if op.domain is not None:
        problem = op.domain(values, const)
        if problem is not None:
            # Python's own choice: x / 0 and 0 ** -1 are ZeroDivisionErrors
            divides_by_zero = code == DIV or (code in (POW, POWC) and values[0] == 0)
            raise (ZeroDivisionError if divides_by_zero else ValueError)(problem)
    out = Value.__new__(Value)  # NOTE [results skip __init__]
    if _state.grad_enabled:  # this thread's no_grad: NOTE [per-thread state] in _recording.py
        _set_fields(out, op.forward(values, const), inputs, code, const, "op")
    else:  # no_grad: the result is a plain leaf that remembers nothing
        _set_fields(out, op.forward(values, const), (), LEAF, const, "input")
    return out


# NOTE [no cycles]
# A graph is a tree of references from the root down to the leaves, and no node
# refers back up, so when the user drops a loss, reference counting frees its
# whole graph at once. The cached topological order must not break that: a root
# holding a list that holds the root would be a reference cycle, left for the
# cyclic garbage collector, and every full pass of it walks every graph still
# waiting (a hand-written MLP makes ~65,000 nodes per training step). So a node
# caches only the order *below* it, and topo() appends the node itself.
def _topological_order(root: Value) -> list:
    # micrograd's recursive build_topo, unrolled onto an explicit stack of
    # (node, iterator over its inputs): a node is emitted once all its inputs are.
    # Returns every node below root, without root itself (see NOTE [no cycles]).
    order = []
    seen = {root}
    stack = [(root, iter(root.inputs))]
    while stack:
        node, pending = stack[-1]
        for child in pending:
            if child not in seen:
                seen.add(child)
                stack.append((child, iter(child.inputs)))
                break
        else:
            stack.pop()
            order.append(node)
    order.pop()  # root, emitted last
    return order


# NOTE [one call per node]
# Backprop asks the op table for each node's local derivatives, one call per
# node. For one and two inputs (almost every node) the input floats go in a
# tuple and the answer is unpacked into names, with no list and no zip. The dot
# node of every neuron skips the table: its derivatives are the other factor,
# read straight from the inputs instead of copied into a list of 2n floats.
# ops = OPS reads the table into a local once per call: a loop of table calls ran
# 5-7% slower with the global on CPython 3.10 (3.11 to 3.13 cache globals: the same).
def backpropagate(topo: Sequence[Value]):
    """Add each node's grad times its local derivatives into its inputs, from the last node of ``topo`` back."""
    ops = OPS  # a local: NOTE [one call per node]
    left: Any  # not Optional: right is set only together with left, so testing right is enough
    for node in reversed(topo):
        # node.inputs, read from the fields behind it (NOTE [inputs without a tuple])
        left, right, many = node._left, node._right, node._many
        g = node.grad
        if right is not None:
            d_left, d_right = ops[node.code].local_grads((left.data, right.data), node.data, node.const)
            left.grad += g * d_left
            right.grad += g * d_right
        elif left is not None:
            (d_left,) = ops[node.code].local_grads((left.data,), node.data, node.const)
            left.grad += g * d_left
        elif many is not None and node.code == DOT:  # skips the table: NOTE [one call per node]
            n = len(many) // 2
            for w, x in zip(many[:n], many[n : 2 * n], strict=True):
                w.grad += g * x.data
                x.grad += g * w.data
            if len(many) % 2:
                many[-1].grad += g
        elif many is not None:
            local = ops[node.code].local_grads([v.data for v in many], node.data, node.const)
            for child, d in zip(many, local, strict=True):
                child.grad += g * d
        # else a leaf: nothing below it


# dot, vsum and logsumexp build on _apply above, so they come in last (public from here)
from ._nary import dot, logsumexp, vsum  # noqa: E402, F401
