"""The model as a plain function of floats, and the figures of a history row.

A history row describes the weights as they are after an epoch's updates:
loss (without L2) and accuracy, or R² in regression, on the training and the
test points. They are computed here without building a graph: the weights are
read once (``layers``) and each point goes through the network as floats, in
the engine's order (bias first, then w_i * x_i left to right, as a dot node
adds them). js/trainer/forward.js and figures.js compute the same in the page
(tests/test_cross_check_trainer.py holds them to 1e-12).
"""

import bisect
import math

from .._ops import _logsumexp_forward, _sigmoid, _softplus

_ACTIVATIONS = {
    "relu": lambda z: 0.0 if z <= 0 else z,
    "tanh": math.tanh,
    "sigmoid": _sigmoid,
    "linear": lambda z: z,
}


def layers(model) -> list:
    """[(rows of weights, biases, activation)] per layer, read from the model's Values now."""
    out = []
    for layer in model.layers:
        weights = [[w.data for w in n.w] for n in layer.neurons]
        out.append((weights, [n.b.data for n in layer.neurons], layer.neurons[0].activation))
    return out


def forward(layers_, x, hidden=None) -> list:
    """The network's outputs (a list, one per output neuron) for one input row ``x``.

    With ``hidden`` (a list), each hidden layer's outputs are appended to it.
    """
    a = x
    for k, (weights, biases, activation) in enumerate(layers_):
        f = _ACTIVATIONS[activation]
        out = []
        for w, b in zip(weights, biases, strict=True):
            total = b
            for wi, xi in zip(w, a, strict=True):
                total += wi * xi
            out.append(f(total))
        a = out
        if hidden is not None and k < len(layers_) - 1:
            hidden.append(out)
    return a


def _loss(name, out, y):
    """One point's loss from its outputs (floats) and its label in the trainer's convention."""
    if name == "cross_entropy":
        return _logsumexp_forward(out, 0.0) - out[int(y)]
    s = out[0]
    if name == "hinge":
        z = 1.0 - y * s
        return 0.0 if z <= 0 else z  # NaN stays NaN (a diverged model's loss)
    if name == "bce":
        return _softplus(s) - (1.0 if y > 0 else 0.0) * s
    d = s - y
    if name == "mse":
        return d * d
    a = abs(d)  # huber, delta 1
    return 0.5 * a * a if a < 1.0 else a - 0.5


def _total(values) -> float:
    # left to right, as JavaScript adds (Python 3.12's sum() compensates, so it would differ by versions)
    total = 0.0
    for v in values:
        total += v
    return total


def _right(task, out, y) -> bool:
    if task == "multiclass":
        return max(range(len(out)), key=out.__getitem__) == int(y)
    return (out[0] > 0) == (y > 0)


def figures(task, loss, outputs, ys) -> tuple:
    """(loss, accuracy or R²) of these outputs against their labels; NaN for no points."""
    if not ys:
        return math.nan, math.nan
    value = _total(_loss(loss, out, y) for out, y in zip(outputs, ys, strict=True)) / len(ys)
    if task != "regression":
        return value, _total(float(_right(task, out, y)) for out, y in zip(outputs, ys, strict=True)) / len(ys)
    mean = _total(ys) / len(ys)
    spread = _total((y - mean) * (y - mean) for y in ys)  # products: ** raises OverflowError where JS gives inf
    error = _total((out[0] - y) * (out[0] - y) for out, y in zip(outputs, ys, strict=True))
    return value, (1.0 - error / spread if spread > 0 else math.nan)


def history_row(epoch, task, loss, outputs, ys, is_test) -> dict:
    """The row of one epoch: train and test loss, and accuracy (R² in regression)."""
    train = [k for k, t in enumerate(is_test) if not t]
    test = [k for k, t in enumerate(is_test) if t]
    pick = lambda index, values: [values[k] for k in index]  # noqa: E731
    loss_, metric = figures(task, loss, pick(train, outputs), pick(train, ys))
    test_loss, test_metric = figures(task, loss, pick(test, outputs), pick(test, ys))
    row = {"epoch": epoch, "loss": loss_, "accuracy": metric, "test_loss": test_loss, "test_accuracy": test_metric}
    if task == "regression":
        row.update(accuracy=math.nan, test_accuracy=math.nan, r2=metric, test_r2=test_metric)
    return row


def evenly_spread(history: list, count: int) -> list:
    """About ``count`` of the history's rows, their epochs evenly spread from the first to the last."""
    epochs = [row["epoch"] for row in history]
    first, last = epochs[0], epochs[-1]
    step = (last - first) / (count - 1)
    picks = sorted({bisect.bisect_left(epochs, first + k * step) for k in range(count)})
    return [history[min(k, len(history) - 1)] for k in picks]
