"""Value DAG -> plain, columnar tables: what the graph widget, the trainer and draw_dot read.

A node's id is its index in the root's topological order (inputs before
outputs; the root is last). The structure is built once per graph; afterwards
only the numbers move, packed as little-endian float64 bytes so that NaN and
±inf survive the trip to the browser.
"""

import math
import struct
from collections.abc import Sequence

from .engine import Value
from .names import own_name


def node_index(nodes: Sequence[Value]) -> dict:
    """{id(Value): node id}: where each Value stands in the order."""
    return {id(node): i for i, node in enumerate(nodes)}


def structure(nodes: Sequence[Value], names: Sequence[str] | None = None) -> dict:
    """The graph's shape as JSON-friendly columns (one entry per node, by id).

    ``inputs`` is flattened: node i's inputs are ``inputs[offsets[i]:offsets[i+1]]``.
    ``const`` (the exponent of ``**c`` nodes) travels as float64 bytes.
    ``name`` is the name each node shows (``names.NodeNames.shown``; by default
    its label, nn's labels joined to their module path); "" for an unnamed node.
    """
    index = node_index(nodes)
    inputs: list[int] = []
    offsets = [0]
    for node in nodes:
        inputs.extend(index[id(child)] for child in node.inputs)
        offsets.append(len(inputs))
    return {
        "n": len(nodes),
        "label": [node.label for node in nodes],
        "name": list(names) if names is not None else [own_name(node) for node in nodes],
        "code": [node.code for node in nodes],
        "op": [node.op for node in nodes],
        "kind": [node.kind for node in nodes],
        "scope": [node.scope for node in nodes],
        "inputs": inputs,
        "offsets": offsets,
        "const": pack([node.const for node in nodes]),
    }


def pack(numbers: Sequence[float]) -> bytes:
    """Little-endian float64 bytes (what JS reads with a Float64Array)."""
    return struct.pack(f"<{len(numbers)}d", *numbers)


def unpack(buffer: bytes) -> list:
    """The inverse of ``pack``."""
    return list(struct.unpack(f"<{len(buffer) // 8}d", buffer))


def pack_data(nodes: Sequence[Value]) -> bytes:
    return pack([node.data for node in nodes])


def pack_grad(nodes: Sequence[Value]) -> bytes:
    return pack([node.grad for node in nodes])


def errors(nodes: Sequence[Value]) -> dict:
    """{id (as a string, for JSON): error text} for the nodes whose op failed in the last replay."""
    return {str(i): node.error for i, node in enumerate(nodes) if node.error}


def format_number(x: float) -> str:
    """A number as the graph widget shows it (js/core/format.js gives the same text).

    4 decimals; below 1e-3 or above 1e6 in magnitude, 4 significant digits in
    scientific notation ('1.234e-5'); 'nan', 'inf', '-inf' as such.
    """
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0.0000"
    if abs(x) < 1e-3 or abs(x) > 1e6:
        mantissa, exponent = f"{x:.3e}".split("e")
        return f"{mantissa}e{int(exponent):+d}"
    return f"{x:.4f}"
