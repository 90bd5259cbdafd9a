"""What the page reports while it trains, read into the session: the kernel stays the truth as far as it knows.

A page that trains (js/trainer/engine.js) sends, on pause, on step and every
couple of seconds while it plays, one message: the epoch it reached, the new
history rows (at most 100, evenly spaced: NOTE [rows a report carries] in
js/trainer/state.js), and one float64 buffer holding the weights, the grads
(when they pile up), the optimizer's buffers and those rows, and one uint32 buffer holding
the shuffle's Mersenne Twister state. ``apply_report`` checks every length
against the session and refuses (returns False) a report that doesn't fit it:
a report from before a rebuild, or a malformed one.
"""

import math
import struct

from .checks import integer

COLUMNS = 5  # epoch, loss, accuracy (R² in regression), test_loss, test_accuracy


def _floats(buffer) -> list:
    raw = bytes(buffer)
    return list(struct.unpack(f"<{len(raw) // 8}d", raw[: len(raw) // 8 * 8]))


def _words(buffer) -> list:
    raw = bytes(buffer)
    return list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))


def history_rows(rows, task) -> list:
    """The page's rows [epoch, loss, metric, test_loss, test_metric] as the session's dicts."""
    out = []
    for epoch, loss, metric, test_loss, test_metric in rows:
        row = {"epoch": int(epoch), "loss": loss, "accuracy": metric, "test_loss": test_loss}
        row["test_accuracy"] = test_metric
        if task == "regression":
            row.update(accuracy=math.nan, test_accuracy=math.nan, r2=metric, test_r2=test_metric)
        out.append(row)
    return out


def _follows(session, epoch: int, epochs: list) -> bool:
    """The rows' epochs rise after the session's last and end at the report's epoch (none: no new epoch)."""
    last = session.history[-1]["epoch"] if session.history else 0
    if not epochs:
        return epoch == last
    return epochs[0] > last and epochs[-1] == epoch and all(a < b for a, b in zip(epochs, epochs[1:], strict=False))


def apply_report(session, content: dict, buffers: list) -> bool:
    """Put a page's report into ``session``; False (and nothing changed) when it doesn't fit."""
    if not isinstance(content, dict) or len(buffers) < 2:
        return False
    P, s = len(session.params), session.settings
    epoch, count = integer(content.get("epoch")), integer(content.get("rows"))
    optimizer = content.get("optimizer")
    optimizer = optimizer if isinstance(optimizer, dict) else {}
    if epoch is None or count is None or count < 0 or optimizer.get("kind") != s["optimizer"]:
        return False
    grads = bool(content.get("grads"))
    buffers_per_kind = {"adam": 2, "sgd": 1, "momentum": 1}[s["optimizer"]]
    numbers, words = _floats(buffers[0]), _words(buffers[1])
    if len(numbers) != P * (1 + grads + buffers_per_kind) + count * COLUMNS or len(words) != 625:
        return False
    table = numbers[P * (1 + grads + buffers_per_kind) :]
    rows = [table[k : k + COLUMNS] for k in range(0, len(table), COLUMNS)]
    if not _follows(session, epoch, [row[0] for row in rows]):
        return False  # epochs from another run, or out of order
    with session.lock:
        weights, rest = numbers[:P], numbers[P:]
        for p, w in zip(session.params, weights, strict=True):
            p.data = w
        if grads:
            for p, g in zip(session.params, rest[:P], strict=True):
                p.grad = g
            rest = rest[P:]
        if s["optimizer"] == "adam":
            session.optimizer.steps = integer(optimizer.get("steps")) or 0
            session.optimizer.exp_avg, session.optimizer.exp_avg_sq = rest[:P], rest[P : 2 * P]
        else:
            session.optimizer.velocity = rest[:P]
        session.add_history(history_rows(rows, s["task"]))
        session.epoch = epoch
        session.shuffle.setstate((3, tuple(words), None))
        session.diverged = bool(content.get("diverged"))
        if session.diverged:
            session.status = f"diverged at epoch {epoch}: lower the learning rate"
    return True
