"""micrograd's own Values, copied into this engine so that a widget can show them live.

karpathy's micrograd (and the Value of his lecture) keeps, on every node,
``data``, ``grad``, its inputs in ``_prev`` (a set) and its op as text in
``_op``: '+', '*', '**2' (``f'**{k}'``), 'ReLU', the lecture's 'tanh' and
'exp', and '' for a leaf. ``ForeignGraph`` rebuilds such a graph with this
engine's ops, read from ``_op`` (see NOTE [a set of inputs is enough]), so
sliders, replay and the chain rule work on the copy: the user's objects are
read, never written (not their data, grad or label).

The copy's leaves are named from the notebook through the objects they were
copied from (``originals``); ``settle_kinds`` then makes the leaves nobody
named (the ``1`` in ``a + 1``) constants, and the named ones inputs, with sliders.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from .engine import Value
from .names import caller_namespace

ATTRIBUTES = ("data", "grad", "_prev", "_op")
_POWER = re.compile(r"\*\*(.+)")  # micrograd's f'**{k}': '**2', '**-1', '**0.5', '**1e-05'

# op text -> (how many distinct inputs it may have, how the copy computes it)
_OPS: dict[str, tuple[tuple[int, ...], Callable]] = {
    "+": ((1, 2), lambda x, y: x + y),
    "*": ((1, 2), lambda x, y: x * y),
    "ReLU": ((1,), Value.relu),
    "tanh": ((1,), Value.tanh),
    "exp": ((1,), Value.exp),
}
KNOWN = "'+', '*', '**k' (k a number), 'ReLU', 'tanh', 'exp', and '' for a leaf"

# NOTE [a set of inputs is enough]
# micrograd keeps a node's inputs in a set, which forgets their order and
# their count. Its ops survive that: it has no '-' or '/' node (a - b is
# a + (b * -1), a / b is a * b**-1, and the copy keeps that structure), and
# '+' and '*' commute, so either order gives the same numbers; a '+' or '*'
# whose set holds one Value was that Value twice (a + a, a * a). '**k', 'ReLU',
# 'tanh' and 'exp' have one input, and k is read back from the op text
# (micrograd writes k's repr, which round-trips). A '-' or '/' node written by
# hand cannot be copied: nothing says which input came first.


def is_value_like(obj) -> bool:
    """True for an object of another engine with micrograd's ``data``, ``grad``, ``_prev`` and ``_op``."""
    return not isinstance(obj, Value) and _has_attributes(obj)


def _has_attributes(obj) -> bool:
    return all(hasattr(obj, name) for name in ATTRIBUTES)


class ForeignGraph:
    """The copy of a micrograd-style graph: ``root`` (this engine's Value) and, by node id, the ``originals``."""

    def __init__(self, root) -> None:
        if not is_value_like(root):
            raise TypeError(
                "GraphWidget shows a Value's graph (this package's Value, or one with micrograd's "
                f"data, grad, _prev and _op), got {type(root).__name__}"
            )
        # {id(original): (original, copy)}: holding the originals keeps their ids theirs while they are looked up
        self._pairs: dict = {}
        self.root = _copy_graph(root, self._pairs, _notebook_order())
        self.nodes = self.root.topo()
        by_copy = {id(copy): original for original, copy in self._pairs.values()}
        self.originals = [by_copy[id(node)] for node in self.nodes]
        self._chosen: set = set()  # ids of copies named in sliders= or ranges=: inputs even if unnamed

    def copy_of(self, obj, what: str):
        """This engine's copy of a user's object, for an option (``sliders``, ``ranges``, ``names``) that names it."""
        if not is_value_like(obj):
            return obj  # a name, or this package's Value: the widget's own checks apply
        pair = self._pairs.get(id(obj))
        if pair is None or pair[0] is not obj:
            raise ValueError(f"{what}: {obj!r} is not part of this graph")
        return pair[1]

    def arguments(self, sliders, ranges, names) -> tuple:
        """``sliders``, ``ranges`` and ``names`` with the user's objects replaced by their copies."""
        if is_value_like(sliders):
            sliders = [sliders]
        if sliders is not None and not isinstance(sliders, (str, Value)):
            sliders = [self.copy_of(key, "sliders") for key in sliders]
        if isinstance(ranges, Mapping):
            ranges = {self.copy_of(key, "ranges"): spec for key, spec in ranges.items()}
        if isinstance(names, Mapping):
            names = {self.copy_of(key, "names"): name for key, name in names.items()}
        asked = [sliders] if isinstance(sliders, Value) else sliders if isinstance(sliders, list) else []
        self._chosen = {id(key) for key in [*asked, *(ranges or {})] if isinstance(key, Value)}
        return sliders, ranges, names

    def settle_kinds(self, shown: Sequence[str]):
        """Leaves with a name (``shown``, by node id) or asked for by Value are inputs; the others are constants."""
        for node, name in zip(self.nodes, shown, strict=True):
            if not node.inputs:
                node.kind = "input" if name or id(node) in self._chosen else "constant"


def _notebook_order() -> dict:
    """{id(obj): k} for the Values among the notebook's variables, in the order they were first assigned."""
    namespace = caller_namespace()
    try:
        order: dict = {}
        for obj in namespace.values():
            if is_value_like(obj):
                order.setdefault(id(obj), len(order))
        return order
    finally:
        del namespace  # the notebook's objects: hold none of them past this call


def _inputs(obj, order: Mapping) -> list:
    """The distinct inputs of ``obj``; a set's in a fixed order: ops before leaves, then the notebook's (a, b)."""
    prev = obj._prev
    try:
        children = list(prev)
    except TypeError:
        raise TypeError(f"{obj!r}: _prev must hold the node's inputs (a set), got {type(prev).__name__}") from None
    for child in children:
        if not _has_attributes(child):
            raise TypeError(f"{obj!r} has an input that is not a Value: {type(child).__name__} {child!r}")
    if isinstance(prev, (set, frozenset)):  # the order a set iterates in changes between runs: fix one
        children.sort(key=lambda child: (not child._prev, order.get(id(child), len(order)), id(child)))
    return children


def _copy_graph(root, pairs: dict, order: Mapping) -> Value:
    """Copy every node below ``root``, inputs first, into ``pairs`` (a stack: deep graphs must not recurse)."""
    on_path = {id(root)}
    stack = [(root, _inputs(root, order), 0)]
    while stack:
        obj, children, k = stack.pop()
        while k < len(children) and id(children[k]) in pairs:
            k += 1
        if k < len(children):
            child = children[k]
            if id(child) in on_path:
                raise ValueError(f"the graph of {root!r} has a cycle through {child!r}: _prev must lead to leaves")
            stack.append((obj, children, k))
            on_path.add(id(child))
            stack.append((child, _inputs(child, order), 0))
            continue
        on_path.discard(id(obj))
        pairs[id(obj)] = (obj, _copy_node(obj, [pairs[id(child)][1] for child in children]))
    return pairs[id(root)][1]


def _copy_node(obj, inputs: list) -> Value:
    op = obj._op
    if not isinstance(op, str):
        raise TypeError(f"{obj!r}: _op must be the op's text ('+', '*', ...), got {type(op).__name__} {op!r}")
    if op == "":
        if inputs:
            raise ValueError(f"{obj!r} has no op ('') but {len(inputs)} inputs: {KNOWN}")
        try:
            node = Value(obj.data)
        except TypeError:
            raise TypeError(
                f"a leaf's data must be a real number, got {type(obj.data).__name__} {obj.data!r}"
            ) from None
    else:
        node = _apply(op, obj, inputs)
    label = getattr(obj, "label", "")
    node.label = label if isinstance(label, str) else ""
    return node


def _apply(op: str, obj, inputs: list) -> Value:
    power = _POWER.fullmatch(op)
    if power:
        try:
            exponent = float(power.group(1))
        except ValueError:
            raise ValueError(f"op {op!r} of {obj!r}: the exponent is not a number ({KNOWN})") from None
        arities: tuple = (1,)
        build: Callable = lambda x: x**exponent  # noqa: E731
    elif op in _OPS:
        arities, build = _OPS[op]
    else:
        why = ""
        if op in ("-", "/"):
            why = f"; a {op!r} node cannot be copied: _prev is a set, which forgets which input came first"
        raise ValueError(f"op {op!r} of {obj!r} is not one this engine knows: it knows {KNOWN}{why}")
    if len(inputs) not in arities:
        raise ValueError(f"a {op!r} node has {len(inputs)} inputs in _prev, expected {' or '.join(map(str, arities))}")
    if len(inputs) == 1 and 2 in arities:
        inputs = inputs * 2  # one Value in a '+' or '*' set: that Value twice (see NOTE [a set of inputs is enough])
    return build(*inputs)
