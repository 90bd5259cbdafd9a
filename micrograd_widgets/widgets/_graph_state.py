"""Plain helpers behind GraphWidget: which leaves get sliders, their ranges, and checked input.

Nothing here knows about widgets; the widget class calls these and moves bytes.
"""

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence

from ..engine import Value
from ..wire import leaves_by_label, node_index

MAX_SLIDERS = 12


def as_number(value, what: str) -> float:
    """``value`` as a float, or a TypeError that says what was expected."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a real number, got {type(value).__name__} {value!r}")
    return float(value)


def resolve_leaf(nodes: Sequence[Value], index: Mapping[int, int], key) -> int:
    """The id of the movable leaf named by ``key`` (its label or the Value itself).

    Unknown labels raise KeyError listing the known ones; a label shared by
    several leaves raises ValueError naming them (pass the Value instead).
    """
    if isinstance(key, Value):
        i = index.get(id(key))
        if i is None:
            raise ValueError(f"{key!r} is not part of this graph")
        if key.inputs:
            raise ValueError(f"{key!r} is computed by '{key.op}', not a leaf: only leaves can be set")
        if key.kind == "constant":
            raise ValueError(f"{key!r} is a constant of the expression and cannot be set")
        return i
    if not isinstance(key, str):
        raise TypeError(f"a leaf is named by its label (str) or given as a Value, got {type(key).__name__} {key!r}")
    labels = leaves_by_label(nodes)
    ids = labels.get(key)
    if ids is None:
        known = ", ".join(repr(name) for name in labels) or "none"
        raise KeyError(f"no leaf labelled {key!r} in this graph; labelled leaves: {known}")
    if len(ids) > 1:
        raise ValueError(
            f"{len(ids)} leaves are labelled {key!r} (node ids {ids}); "
            "give them distinct labels or pass the Value itself"
        )
    return ids[0]


def default_range(value: float) -> tuple:
    """A slider range centred on ``value``, wide enough to cross zero for small values."""
    if not math.isfinite(value):
        value = 0.0
    half = 2.0 * max(1.0, abs(value))
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


def slider_specs(
    nodes: Sequence[Value],
    sliders: Iterable | None = None,
    ranges: Mapping | None = None,
    max_sliders: int = MAX_SLIDERS,
) -> list:
    """One dict per slider: {id, label, min, max, step, value} (value: where reset returns).

    By default the labelled input leaves, in graph order, at most ``max_sliders``;
    nn parameters and constants get none unless named in ``sliders``.
    """
    if isinstance(max_sliders, bool) or not isinstance(max_sliders, int) or max_sliders < 0:
        raise ValueError(f"max_sliders must be an int >= 0, got {max_sliders!r}")
    index = node_index(nodes)
    if sliders is None:
        ids = [i for i, node in enumerate(nodes) if not node.inputs and node.label and node.kind == "input"]
        ids = ids[:max_sliders]
    else:
        if isinstance(sliders, (str, Value)):
            sliders = [sliders]
        ids = []
        for key in sliders:
            i = resolve_leaf(nodes, index, key)
            if i not in ids:
                ids.append(i)
    chosen = {}
    for key, spec in (ranges or {}).items():
        i = resolve_leaf(nodes, index, key)
        chosen[i] = _checked_range(nodes[i].label or str(key), spec)
    specs = []
    for i in ids:
        node = nodes[i]
        low, high, step = chosen.get(i) or default_range(node.data)
        specs.append({"id": i, "label": node.label, "min": low, "max": high, "step": step, "value": node.data})
    return specs
