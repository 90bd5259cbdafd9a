"""The loss graphs the page trains with: recorded by the engine, one per batch length an epoch uses.

Each graph is the one the kernel trains on (loss_graph.batch_loss), built with
leaves for the data: a mini-batch's points go into the feature and target
leaves, the weights into the parameter leaves, the L2 strength into its leaf.
The page replays it forward and backward with the op table's JS copy
(js/core/replay.js) and takes the optimizer step itself (js/trainer/epoch.js).

A graph is recorded twice, with two different batches in its data leaves: if
the two shapes differ, the model's graph depends on the data (Python control
flow on the values) and the page can't replay it; it trains in the kernel.

NOTE [a recorded graph on the wire]
The default moons trainer's graph has ~5,800 nodes and ~54,000 input edges.
As little-endian columns (op codes, input counts, inputs as the distance back
to each input, the leaves' values, the slots) compressed with zlib it is about
20 times smaller than its JSON, small enough for a saved page.
"""

import struct
import zlib

from ..engine import Value
from .epoch import batch_lengths
from .loss_graph import batch_loss

FORMAT = 1  # js/trainer/program.js reads this layout


def record(session) -> dict:
    """{"graphs": [{"length", "blob"}...], "features", "targets", "params", "reason"} for the page.

    ``reason`` is "" when the page can train, else why not (and ``graphs`` is empty).
    """
    s = session.settings
    train = list(session.train_index)
    graphs: list = []
    out: dict = {"format": FORMAT, "graphs": graphs, "features": len(s["features"]), "params": len(session.params)}
    out["targets"] = len(session.targets[0]) if session.targets else 0
    if not train:
        return {**out, "reason": "no training points"}
    for length in batch_lengths(len(train), s["batch_size"]):
        first = _graph(session, train[:length])
        second = _graph(session, train[::-1][:length])
        if first["shape"] != second["shape"]:
            reason = (
                "the model's graph changes with the data (Python control flow on the values): it trains in the kernel"
            )
            return {**out, "graphs": [], "reason": reason}
        graphs.append({"length": length, "blob": _encode(first)})
    return {**out, "reason": ""}


def _graph(session, points) -> dict:
    """The batch loss graph with data leaves holding ``points``, as columns."""
    s = session.settings
    features = [[Value(v) for v in session.rows[i]] for i in points]
    targets = [[Value(v) for v in session.targets[i]] for i in points]
    l2 = Value(s["l2"])
    loss = batch_loss(session.model, features, targets, s["task"], s["loss"], l2, session.params)
    nodes = loss.topo()
    index = {id(node): i for i, node in enumerate(nodes)}
    code: list[int] = []
    counts: list[int] = []
    inputs: list[int] = []
    for i, node in enumerate(nodes):
        code.append(node.code)
        counts.append(len(node.inputs))
        inputs.extend(i - index[id(child)] for child in node.inputs)
    slots = {
        "params": [index[id(p)] for p in session.params],
        "features": [index[id(leaf)] for row in features for leaf in row],
        "targets": [index[id(leaf)] for row in targets for leaf in row],
        "l2": [index[id(l2)]],
    }
    data_slots = {i for key in ("params", "features", "targets", "l2") for i in slots[key]}
    # the constants (1 - y * s's 1, the batch mean's 1/L ...) are part of the shape
    constants = [(i, node.data) for i, node in enumerate(nodes) if not node.inputs and i not in data_slots]
    shape = (bytes(code), tuple(counts), tuple(inputs), tuple(constants), tuple(n.const for n in nodes))
    leaves = [node.data for node in nodes if not node.inputs]
    return {"shape": shape, "n": len(nodes), "leaves": leaves, "slots": slots, "const": [n.const for n in nodes]}


def _u32(values) -> bytes:
    return struct.pack(f"<{len(values)}I", *values)


def _f64(values) -> bytes:
    return struct.pack(f"<{len(values)}d", *values)


def _encode(graph) -> bytes:
    """Header (u32 counts), then op codes (u8), input counts, inputs as distances back, constants
    of the ** nodes and the leaves' values (f64), and the slots (u32): zlib-compressed."""
    code, counts, inputs = graph["shape"][0], graph["shape"][1], graph["shape"][2]
    slots = graph["slots"]
    counts_of = [len(slots[k]) for k in ("params", "features", "targets")]
    header = [graph["n"], len(inputs), len(graph["leaves"]), *counts_of]
    body = b"".join(
        [
            _u32(header),
            code + bytes((-len(code)) % 4),  # padded so the next column starts on a 4-byte boundary
            _u32(counts),
            _u32(inputs),
            _f64(graph["const"]),
            _f64(graph["leaves"]),
            _u32(slots["params"] + slots["features"] + slots["targets"] + slots["l2"]),
        ]
    )
    return zlib.compress(body, 6)
