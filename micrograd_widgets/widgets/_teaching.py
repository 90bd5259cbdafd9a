"""The arithmetic of the graph widget's teaching modes, without a widget.

Step-through backward: after ``k`` steps, backpropagation has processed the
last ``k`` nodes of the topological order (the root first), exactly as the
engine's loop does, so those nodes' grads are final. Exercise mode: a typed
answer is right within a tolerance. ``js/teaching/stepper.js`` follows the same rules in
the browser (where the checking happens, kernel or not); these functions let
Python say the same thing: ``w.backward_step()``, ``w.check()``, ``w.score``.
"""

import math
from collections.abc import Sequence
from typing import NamedTuple

from .._ops import OPS
from ..engine import Value, backpropagate
from ..wire import format_number, node_index

# NOTE [answer tolerance] (the same two numbers as js/teaching/stepper.js)
# Right when |answer - grad| <= max(REL_TOL * |grad|, ABS_TOL): 1% relative, so
# 139 answers 138.8338, with an absolute floor so that 0 answers a grad of 0 or
# 2e-7. NaN answers NaN; an inf answers the same inf.
REL_TOL = 1e-2
ABS_TOL = 1e-3


class Send(NamedTuple):
    """What one step adds to one input's grad: upstream grad × local derivative."""

    input: str
    upstream: float
    local: float
    contribution: float


class BackwardStep(NamedTuple):
    """One step of backward: step ``number`` of ``total`` processed node ``node`` (its id)."""

    # not `index`: a NamedTuple field of that name would hide tuple.index()
    number: int
    total: int
    node: int
    name: str
    grad: float
    sends: tuple

    def __repr__(self):
        lines = [f"step {self.number}/{self.total}: {self.name}, grad = {format_number(self.grad)}"]
        if not self.sends:
            lines.append("  a leaf: nothing to send further back")
        for s in self.sends:
            product = f"{format_number(s.upstream)} × {format_number(s.local)}"
            lines.append(f"  -> {s.input}: {product} = {format_number(s.contribution)}")
        return "\n".join(lines)


class Score(NamedTuple):
    """Exercise progress: answers right, answers given, nodes asked."""

    right: int
    attempted: int
    total: int


def node_name(nodes: Sequence[Value], i: int) -> str:
    """How a node is named in text (js/core/names.js node_name): its label, else its op and id."""
    node = nodes[i]
    if node.label:
        return node.label
    return f"{node.op} #{i}" if node.op else f"#{i}"


def local_grads(nodes: Sequence[Value], i: int) -> list:
    """d node i / d each input, from the op table (as the engine's backward computes them)."""
    node = nodes[i]
    return list(OPS[node.code].local_grads([v.data for v in node.inputs], node.data, node.const))


def partial_grads(nodes: Sequence[Value], k: int) -> list:
    """The grads after ``k`` steps of backward (the engine's own loop over the last ``k`` nodes); None where not final.

    A node's grad is final once it is processed (every consumer comes earlier in
    the reverse order), so the first ``k`` nodes from the root hold numbers.
    """
    n = len(nodes)
    k = max(0, min(n, k))
    saved = [node.grad for node in nodes]  # the widget's Values keep their full grads
    try:
        for node in nodes:
            node.grad = 0.0
        if n:
            nodes[-1].grad = 1.0
        backpropagate(nodes[n - k :])
        return [node.grad if i >= n - k else None for i, node in enumerate(nodes)]
    finally:
        for node, grad in zip(nodes, saved, strict=True):
            node.grad = grad


def describe_step(nodes: Sequence[Value], k: int) -> BackwardStep | None:
    """Step ``k`` (1 = the root) as a BackwardStep: the node processed and what it sends; None for k < 1."""
    n = len(nodes)
    if k < 1 or k > n:
        return None
    i = n - k
    grads = partial_grads(nodes, k)
    index = node_index(nodes)
    node = nodes[i]
    sends = tuple(
        Send(node_name(nodes, index[id(child)]), grads[i], d, grads[i] * d)
        for child, d in zip(node.inputs, local_grads(nodes, i) if node.inputs else (), strict=True)
    )
    return BackwardStep(k, n, i, node_name(nodes, i), grads[i], sends)


def exercise_nodes(nodes: Sequence[Value]) -> list:
    """The ids an exercise asks about: all but the root (its grad, 1, is given) and the constants."""
    return [i for i, node in enumerate(nodes[:-1]) if node.kind != "constant"]


def parse_answer(text) -> float | None:
    """A typed answer as a float ('1,5', '−2', 'nan', '-inf' included); None when it is not a number."""
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    if not isinstance(text, str):
        return None
    t = text.strip().lower().replace("\u2212", "-", 1).replace(",", ".", 1)
    if t in ("", "+", "-") or "_" in t or t.startswith(("0x", "-0x")):
        return None
    if t in ("infinity", "+infinity", "-infinity"):
        t = t.replace("infinity", "inf")
    try:
        return float(t)
    except ValueError:
        return None


def check_answer(answer: float, truth: float) -> bool:
    """Whether ``answer`` is ``truth`` within NOTE [answer tolerance]."""
    if math.isnan(truth) or math.isnan(answer):
        return math.isnan(truth) and math.isnan(answer)
    if math.isinf(truth) or math.isinf(answer):
        return answer == truth
    return abs(answer - truth) <= max(REL_TOL * abs(truth), ABS_TOL)


def score(nodes: Sequence[Value], answers: dict) -> Score:
    """Score the answers ({node id as str: text typed}) against the nodes' current grads."""
    asked = exercise_nodes(nodes)
    right = attempted = 0
    for i in asked:
        value = parse_answer(answers.get(str(i)))
        if value is None:
            continue
        attempted += 1
        right += check_answer(value, nodes[i].grad)
    return Score(right, attempted, len(asked))


def answer_text(value) -> str:
    """A number as an answer's text (what the answer box shows): repr keeps every digit."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(float(value))
