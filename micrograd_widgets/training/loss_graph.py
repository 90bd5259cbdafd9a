"""The trainer's loss as a Value graph whose shape never depends on the data.

The kernel trains on these graphs, and the page replays them (js/trainer/epoch.js)
with each mini-batch's points put into the data leaves: so the graph of a batch
must be the same for every batch of its length. Three losses are written to
make that so, with the same numbers as their usual forms:

- cross-entropy picks the target's logit with a one-hot dot product,
  ``logsumexp(z) - dot(onehot, z)`` (0 * z adds exactly nothing), not ``z[target]``;
- huber (delta 1) is ``0.5 * m * m + (a - m)`` with ``a = |d|`` and ``m = min(a, 1)``
  made of relus, not a branch on ``|d| < 1`` (exact for |d| below 2**52);
- bce takes its 0/1 target from the target row (labels -1/+1 become 0/1 here).

L2 is always in the graph, its strength a leaf: the page changes it without a
new graph (0 * sum(w * w) adds exactly nothing). mse squares by ``d * d``: a
product is exactly rounded in Python and in JavaScript alike, ``d ** 2`` goes
through each side's pow.
"""

from ..engine import Value, dot, logsumexp, scope, vsum


def target_row(task, loss, label, classes) -> list:
    """What a point's target leaves hold: a one-hot row (multi-class), 0/1 (bce), else the label itself."""
    if task == "multiclass":
        return [1.0 if k == int(label) else 0.0 for k in range(classes)]
    if loss == "bce":
        return [1.0 if label > 0 else 0.0]
    return [float(label)]


def _term(task, loss, out, target):
    """One point's loss from its output(s) and its target leaves (Values or floats)."""
    if task == "multiclass":
        return logsumexp(out) - dot(target, out)
    t = target[0]
    if loss == "hinge":
        return (1 - t * out).relu()
    if loss == "bce":
        return out.softplus() - t * out
    d = out - t
    if loss == "mse":
        return d * d
    if loss == "huber":
        a = d.relu() + (-d).relu()
        m = a - (a - 1.0).relu()
        return 0.5 * (m * m) + (a - m)
    raise ValueError(f"unknown loss {loss!r}")


def batch_loss(model, inputs, targets, task, loss, l2, params, points=None) -> Value:
    """mean over the batch of each point's loss, plus ``l2 * dot(params, params)``.

    ``inputs`` and ``targets`` are rows (floats, or Values to record data leaves);
    ``points`` are the points' indexes, for the scopes ``sample.i`` the graph view folds by.
    """
    terms = []
    for j, (x, t) in enumerate(zip(inputs, targets, strict=True)):
        with scope(f"sample.{points[j] if points is not None else j}"):
            terms.append(_term(task, loss, model(x), t))
    return vsum(terms) * (1.0 / len(terms)) + l2 * dot(params, params)


def point_loss(model, x, target, task, loss, index) -> Value:
    """Point ``index``'s own loss (no L2), the graph a click on it shows."""
    with scope(f"sample.{index}"):
        out = _term(task, loss, model(x), target)
    out.label = f"loss of point {index}"
    return out
