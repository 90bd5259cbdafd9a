"""The arithmetic of the graph widget's teaching modes, without a widget.

Step-through backward: after ``k`` steps, backpropagation has processed the
last ``k`` nodes of the topological order (the root first), exactly as the
engine's loop does, so those nodes' grads are final. Exercise mode: a typed
answer is right within a tolerance. The browser reads and checks answers with
``js/teaching/stepper.js`` (kernel or not); these functions let Python say the
same thing: ``w.backward_step()``, ``w.check()``, ``w.score``. That the two
languages agree is not taken on trust: ``tests/test_cross_check.py`` runs
``parse_answer`` and ``check_answer`` of both on the same inputs.
"""

import math
import re
from collections.abc import Sequence
from typing import NamedTuple

from .._ops import OPS
from ..engine import Value, backpropagate
from ..wire import format_number, node_index

# NOTE [answer tolerance] (the same two numbers as js/teaching/stepper.js)
# Right when |answer - grad| <= max(REL_TOL * |grad|, ABS_TOL): 1% relative, so
# 139 answers 138.8338, with an absolute floor so that 0 answers a grad of 0 or
# 2e-7. Answers are finite (NOTE [what an answer is]), so no answer is right
# for a grad that is NaN or inf; check_answer itself compares such floats the
# IEEE way (NaN with NaN, an inf with the same inf).
REL_TOL = 1e-2
ABS_TOL = 1e-3

# NOTE [what an answer is] (js/teaching/stepper.js reads answers by the same rule)
# A finite decimal number in ASCII digits: an optional sign, digits with an
# optional point, an optional exponent ("-1.5", ".25", "2e-3", "1E+4"). For
# students' sake, spaces around it, a decimal comma ("1,5") and the Unicode
# minus ("−2", what copied text and some keyboards give) are read as "." and
# "-". Rejected, with a message the exercise shows next to the box: "nan",
# "inf", "infinity" (an answer is a number one works out), digits of other
# scripts ("١٢"; Python's float() would read it as 12, the browser would not),
# numbers too large for a float ("1e400"), anything else. An empty text is no
# answer at all (the box was cleared): no value, no message.
SPACES = " \t\n\r\x0b\x0c\u00a0"  # str.strip() and JS trim() differ beyond these
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?")
_NOT_FINITE = re.compile(r"[+-]?(nan|inf|infinity)")


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


# what a leaf's box says in place of an op (js/core/names.js KIND_TEXT)
KIND_TEXT = {"input": "input", "parameter": "param", "constant": "const", "op": ""}


def node_name(nodes: Sequence[Value], i: int, shown: Sequence[str] | None = None) -> str:
    """How a node is named in text (js/core/names.js node_name): its shown name, else the words its box shows
    in their place (its op, or a leaf's kind); never an id, which no box shows.

    ``shown``: the names the widget shows (``names.NodeNames.shown``); by default the labels.
    """
    node = nodes[i]
    return (shown[i] if shown is not None else "") or node.label or node.op or KIND_TEXT.get(node.kind, "") or "node"


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


def describe_step(nodes: Sequence[Value], k: int, shown: Sequence[str] | None = None) -> BackwardStep | None:
    """Step ``k`` (1 = the root) as a BackwardStep: the node processed and what it sends; None for k < 1."""
    n = len(nodes)
    if k < 1 or k > n:
        return None
    i = n - k
    grads = partial_grads(nodes, k)
    index = node_index(nodes)
    node = nodes[i]
    sends = tuple(
        Send(node_name(nodes, index[id(child)], shown), grads[i], d, grads[i] * d)
        for child, d in zip(node.inputs, local_grads(nodes, i) if node.inputs else (), strict=True)
    )
    return BackwardStep(k, n, i, node_name(nodes, i, shown), grads[i], sends)


def exercise_nodes(nodes: Sequence[Value]) -> list:
    """The ids an exercise asks about: all but the root (its grad, 1, is given) and the constants."""
    return [i for i, node in enumerate(nodes[:-1]) if node.kind != "constant"]


class Answer(NamedTuple):
    """A typed answer read: ``value`` (a finite float, or None) and ``problem`` (why it was rejected, or None)."""

    value: float | None
    problem: str | None


def parse_answer(text) -> Answer:
    """Read a typed answer (text, or a number) by NOTE [what an answer is]."""
    if text is None:
        return Answer(None, None)
    if isinstance(text, bool) or not isinstance(text, (int, float, str)):
        return Answer(None, "an answer is a number or its text")
    if not isinstance(text, str):
        try:
            value = float(text)
        except OverflowError:  # an int beyond float's range
            return Answer(None, "this integer is too large: an answer is a finite number")
        if math.isfinite(value):
            return Answer(value, None)
        return Answer(None, _rejected(answer_text(value), "nan"))
    t = text.strip(SPACES)
    if not t:
        return Answer(None, None)
    s = t.replace("\u2212", "-").replace(",", ".")
    if not s.isascii():
        return Answer(None, _rejected(t, "script"))
    s = s.lower()
    if _NOT_FINITE.fullmatch(s):
        return Answer(None, _rejected(t, "nan"))
    if not _NUMBER.fullmatch(s):
        return Answer(None, _rejected(t, "other"))
    value = float(s)
    if not math.isfinite(value):
        return Answer(None, _rejected(t, "large"))
    return Answer(value, None)


def _rejected(shown: str, why: str) -> str:
    # the same four texts as stepper.js's rejected(): the exercise shows them
    if why == "nan":
        return f'"{shown}": an answer is a finite number (nan and inf are not accepted)'
    if why == "script":
        return f'"{shown}": type the number with the digits 0-9 (a sign, a point or comma and an exponent are fine)'
    if why == "large":
        return f'"{shown}" is too large: an answer is a finite number'
    return f'"{shown}" is not a number: type one such as -1.5, 0.25 or 2e-3'


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
        value = parse_answer(answers.get(str(i))).value
        if value is None:  # no answer, or a rejected one: not an attempt
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
