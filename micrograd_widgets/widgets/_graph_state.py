"""Plain helpers behind GraphWidget: which leaves get sliders, their ranges, and checked input.

Nothing here knows about widgets; the widget class calls these and moves bytes.
"""

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence

from ..engine import Value
from ..names import NodeNames
from ..wire import node_index

MAX_SLIDERS = 12


def as_number(value, what: str) -> float:
    """``value`` as a float, or a TypeError that says what was expected."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a real number, got {type(value).__name__} {value!r}")
    return float(value)


def resolve_leaf(nodes: Sequence[Value], index: Mapping[int, int], names: NodeNames, key) -> int:
    """The id of the movable leaf named by ``key`` (its shown name, label, inferred name, or the Value itself).

    Unknown names raise KeyError listing the closest ones; a name shared by
    several leaves raises ValueError naming them (pass the Value instead).
    """
    if isinstance(key, Value):
        i = index.get(id(key))
        if i is None:
            raise ValueError(f"{key!r} is not part of this graph")
        return _movable(nodes, i, repr(key))
    if not isinstance(key, str):
        raise TypeError(f"a leaf is named by its name (str) or given as a Value, got {type(key).__name__} {key!r}")
    ids = names.ids(key)
    if not ids:
        raise KeyError(unknown_name(names, key, [i for i, node in enumerate(nodes) if movable(node)]))
    leaves = [i for i in ids if movable(nodes[i])] or ids
    if len(leaves) > 1:
        raise ValueError(
            f"{len(leaves)} leaves are named {key!r} (node ids {leaves}); "
            "give them distinct labels or pass the Value itself"
        )
    return _movable(nodes, leaves[0], repr(key))


def movable(node: Value) -> bool:
    """A leaf a slider or ``set`` may move: an input or a parameter, never a constant or an op."""
    return not node.inputs and node.kind != "constant"


def _movable(nodes: Sequence[Value], i: int, what: str) -> int:
    node = nodes[i]
    if node.inputs:
        raise ValueError(f"{what} is computed by '{node.op}', not a leaf: only leaves can be set")
    if node.kind == "constant":
        raise ValueError(f"{what} is a constant of the expression and cannot be set")
    return i


def unknown_name(names: NodeNames, key: str, ids: Sequence[int] | None = None) -> str:
    """The KeyError text for a name no node has: the closest names, else some known ones."""
    close = names.closest(key)
    if close:
        return f"no node named {key!r} in this graph; closest names: {', '.join(map(repr, close))}"
    known = ", ".join(map(repr, names.known(ids))) or "none"
    return f"no node named {key!r} in this graph; names: {known}"


def default_range(value: float) -> tuple:
    """A slider range centred on ``value`` that crosses zero, and a step of about 1/400 of it.

    Values the widget shows in fixed notation (|value| >= 1e-3) get at least
    [-2, 2] around them, room to try a sign change; smaller ones get a range
    of their own scale (1e-9: step 1e-11), or the step would jump over them.
    """
    if not math.isfinite(value):
        value = 0.0
    size = abs(value)
    half = 2.0 * (size if 0 < size < 1e-3 else max(1.0, size))
    step = 10.0 ** math.floor(math.log10(2 * half / 400))  # about 400 positions
    return (value - half, value + half, step)


def _checked_range(label: str, spec) -> tuple:
    try:
        parts = [as_number(x, f"ranges[{label!r}] entries") for x in spec]
    except TypeError:
        raise
    except Exception:
        raise TypeError(f"ranges[{label!r}] must be (min, max) or (min, max, step), got {spec!r}") from None
    if len(parts) not in (2, 3):
        raise TypeError(f"ranges[{label!r}] must be (min, max) or (min, max, step), got {spec!r}")
    low, high = parts[0], parts[1]
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"ranges[{label!r}] needs finite min < max, got {spec!r}")
    step = parts[2] if len(parts) == 3 else (high - low) / 400
    if not (math.isfinite(step) and step > 0):
        raise ValueError(f"ranges[{label!r}] needs a step > 0, got {step!r}")
    return (low, high, step)


def json_number(x: float):
    """``x`` for a JSON message: non-finite floats as the strings JS's Number() reads back ('NaN', 'Infinity')."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def first_use(nodes: Sequence[Value]) -> list:
    """For each node id, the id of the first node that reads it (its own id when none does)."""
    index = node_index(nodes)
    first = list(range(len(nodes)))
    for j, node in enumerate(nodes):
        for child in node.inputs:
            i = index[id(child)]
            if first[i] == i or j < first[i]:
                first[i] = j
    return first


def slider_specs(
    nodes: Sequence[Value],
    names: NodeNames,
    sliders: Iterable | None = None,
    ranges: Mapping | None = None,
    max_sliders: int = MAX_SLIDERS,
) -> tuple:
    """``(specs, note)``: one dict per slider {id, label, min, max, step, value}, and what the sliders leave out.

    By default every input leaf, named ones first, then in order of first
    use, at most ``max_sliders``; nn parameters and constants get none unless
    named in ``sliders``. ``label`` is the name shown, told apart when two
    leaves share one ('x', 'x (2)'). ``value`` (where reset returns) may be
    'NaN' or '±Infinity' as text: JSON has no such numbers.
    """
    if isinstance(max_sliders, bool) or not isinstance(max_sliders, int) or max_sliders < 0:
        raise ValueError(f"max_sliders must be an int >= 0, got {max_sliders!r}")
    index = node_index(nodes)
    notes = []
    if sliders is None:
        first = first_use(nodes)
        inputs = [i for i, node in enumerate(nodes) if not node.inputs and node.kind == "input"]
        inputs.sort(key=lambda i: (not names.shown[i], first[i], i))
        ids = inputs[:max_sliders]
        hidden = len(inputs) - len(ids)
        if hidden:
            notes.append(
                f"{hidden} more input leaves have no slider: choose the ones you want with sliders=[...] "
                f"(names or Values) or raise max_sliders={max_sliders}."
            )
        elif not inputs and any(node.kind == "parameter" and not node.inputs for node in nodes):
            example = next(names.shown[i] for i, node in enumerate(nodes) if node.kind == "parameter")
            notes.append(f"No input leaves; parameters get a slider when named: sliders=[{example!r}, ...].")
    else:
        if isinstance(sliders, (str, Value)):
            sliders = [sliders]
        ids = []
        for key in sliders:
            i = resolve_leaf(nodes, index, names, key)
            if i not in ids:
                ids.append(i)
    chosen = {}
    for key, spec in (ranges or {}).items():
        i = resolve_leaf(nodes, index, names, key)
        chosen[i] = _checked_range(names.shown[i] or str(key), spec)
    labels = [names.shown[i] or f"{nodes[i].kind} #{i}" for i in ids]
    seen: dict = {}
    for k, label in enumerate(labels):
        seen.setdefault(label, []).append(k)
    for label, ks in seen.items():
        if len(ks) > 1:
            for n, k in enumerate(ks[1:], start=2):
                labels[k] = f"{label} ({n})"
            told = ", ".join(labels[k] for k in ks)
            notes.append(f"{len(ks)} sliders share the name {label!r}: shown as {told}.")
    specs = []
    for i, label in zip(ids, labels, strict=True):
        node = nodes[i]
        low, high, step = chosen.get(i) or default_range(node.data)
        specs.append({"id": i, "label": label, "min": low, "max": high, "step": step, "value": json_number(node.data)})
    return specs, " ".join(notes)
