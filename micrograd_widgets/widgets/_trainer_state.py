"""What the Trainer sends its views, as plain dicts (bytes for the numbers): no widget needed to test it.

Four parts, each sent when it changes (js/trainer/engine.js reads them):

- ``dataset``: the points (where the plane draws them), their labels and split,
  what the network sees of each (``rows``) and what its loss compares with
  (``targets``), the axes, the standardisation;
- ``program``: the loss graphs the page replays to train (training/program.py);
- ``train``: the weights, the optimizer's state, the shuffle's random state, the
  history rows, the settings they belong to, and the revision: a new revision
  means the kernel's numbers replace whatever the page has;
- ``point``: the selected point's loss graph, with the ids of the weights in it.

Numbers travel as little-endian float64 (NaN and ±inf survive), so the page
computes from the same bits as the kernel.
"""

import math
import struct

from .. import wire
from ..nn import Adam
from ..training.program import record
from ..training.settings import MOMENTUM

_ADAM = Adam([])
ADAM_HYPER = {"betas": list(_ADAM.betas), "eps": _ADAM.eps, "weight_decay": 0.0}
MAX_CURVE_ROWS = 1000  # longer histories are thinned before sending (the last row always goes)
CURVE_COLUMNS = ("epoch", "loss", "accuracy", "test_loss", "test_accuracy")


def f64(values) -> bytes:
    values = list(values)
    return struct.pack(f"<{len(values)}d", *values)


def _flat(rows) -> list:
    return [v for row in rows for v in row]


def axis_labels(session) -> list:
    names = session.data.axis_labels
    if names:
        names = list(names)
        return names + ["target"] if len(names) == 1 else names
    return ["x", "target"] if session.dims == 1 else ["x1", "x2"]


def dataset_state(session) -> dict:
    """The points as the plane and the page's training need them."""
    data, s = session.data, session.settings
    plane = data.plane_points()
    labels = [0 if s["task"] == "regression" else int(v) for v in data.targets]
    return {
        "count": len(plane),
        "dims": data.dims,
        "points": f64(_flat(plane)),
        "labels": struct.pack(f"<{len(labels)}b", *labels),
        "targets": f64(data.targets),
        "split": bytes(int(t) for t in data.test_flags),
        "rows": f64(_flat(session.rows)),
        "loss_targets": f64(_flat(session.targets)),
        "extent": list(data.extent),
        "scale": None if data.scale is None else [list(pair) for pair in data.scale],
        "axis_labels": axis_labels(session),
        "class_names": session.labels.names(),
        "custom": data.custom,
    }


def program_state(session) -> dict:
    """The recorded loss graphs (or why the page can't train)."""
    return record(session)


def curve_rows(history) -> list:
    """[epoch, loss, accuracy, test_loss, test_accuracy] per row; regression rows carry R² in the accuracy columns."""
    return [
        [r["epoch"], r["loss"], r.get("r2", r["accuracy"]), r["test_loss"], r.get("test_r2", r["test_accuracy"])]
        for r in history
    ]


def thinned(rows) -> list:
    if len(rows) <= MAX_CURVE_ROWS:
        return rows
    keep = sorted({round(k * (len(rows) - 1) / (MAX_CURVE_ROWS - 1)) for k in range(MAX_CURVE_ROWS)})
    return [rows[k] for k in keep]


def optimizer_state(session) -> dict:
    """The optimizer's kind and buffers, as the page's optimizer keeps them (js/trainer/optimizers.js)."""
    optimizer = session.optimizer
    kind = session.settings["optimizer"]
    hyper = {"weight_decay": optimizer.weight_decay}
    if kind == "adam":
        hyper.update(betas=list(optimizer.betas), eps=optimizer.eps)
        return {"kind": kind, "steps": optimizer.steps, "m": f64(optimizer.exp_avg), "v": f64(optimizer.exp_avg_sq),
                "hyper": hyper}  # fmt: skip
    hyper["momentum"] = optimizer.momentum
    return {"kind": kind, "steps": 0, "velocity": f64(optimizer.velocity), "hyper": hyper}


def train_state(session, revision: int) -> dict:
    """Weights, optimizer, shuffle, history and the settings they belong to, under ``revision``."""
    s = session.settings
    version, words, _ = session.shuffle.getstate()
    rows = curve_rows(session.history)
    last = session.history[-1] if session.history else session.evaluate()
    return {
        "revision": revision,
        "epoch": session.epoch,
        "weights": f64(p.data for p in session.params),
        "grads": f64(p.grad for p in session.params),
        "optimizer": optimizer_state(session),
        "shuffle": struct.pack(f"<{len(words)}I", *words),
        "history": f64(_flat(thinned(rows))),
        "history_count": len(rows),
        "figures": f64(curve_rows([last])[0][1:]),
        "sizes": session.model.sizes,
        "settings": dict(s),
        # what a page needs to start another optimizer while it plays (an optimizer change applies there)
        "hyper": {"sgd": {"momentum": 0.0}, "momentum": {"momentum": MOMENTUM}, "adam": ADAM_HYPER},
        "diverged": session.diverged,
    }


def point_state(session, index: int) -> dict:
    """Point ``index``'s loss graph (names and all, for the graph view) and where the weights sit in it."""
    if index < 0 or index >= len(session.rows):
        return {}
    nodes, features, targets = session.point_graph(index, leaves=True)
    where = wire.node_index(nodes)
    return {
        "index": index,
        "structure": wire.structure(nodes),
        "data": wire.pack_data(nodes),
        "grad": wire.pack_grad(nodes),
        "params": [where.get(id(p), -1) for p in session.params],
        "features": [where[id(leaf)] for leaf in features],
        "targets": [where[id(leaf)] for leaf in targets],
    }


def figures_text(row) -> str:
    """A history row as one line (the trainer's text/plain)."""
    metric = "R²" if "r2" in row else "accuracy"
    value = row.get("r2", row["accuracy"])
    shown = "–" if math.isnan(value) else f"{value:.4f}"
    return f"loss {row['loss']:.4g}, {metric} {shown}"
