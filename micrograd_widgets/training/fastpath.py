"""The MLP's current weights read into numpy arrays, for evaluating many points fast.

Training runs on Value graphs; pictures of the whole plane (decision boundary,
hidden-neuron heatmaps) need the same function at 10,000+ points, so they read
the weights out once and evaluate with numpy, building no graph.
"""

import numpy as np

_ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),  # the logistic function, overflow-free
    "linear": lambda z: z,
}


def weights(model) -> list:
    """[(W, b, activation)] per layer: W of shape (nout, nin), read from the Values now."""
    layers = []
    for layer in model.layers:
        W = np.array([[w.data for w in n.w] for n in layer.neurons], dtype=np.float64)
        b = np.array([n.b.data for n in layer.neurons], dtype=np.float64)
        layers.append((W, b, layer.neurons[0].activation))
    return layers


def forward(model, X, with_hidden=False):
    """The model's scores for the rows of X (shape (m,)); with_hidden also returns each layer's outputs."""
    a = np.asarray(X, dtype=np.float64)
    hidden = []
    with np.errstate(over="ignore", invalid="ignore"):
        for W, b, activation in weights(model):
            a = _ACTIVATIONS[activation](a @ W.T + b)
            hidden.append(a)
    scores = a[:, 0] if a.shape[1] == 1 else a
    return (scores, hidden[:-1]) if with_hidden else scores


def softmax(Z):
    """Row-wise softmax of the logits Z (m, K), shifted by each row's max so that exp never overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)


def logsumexp(Z):
    """Row-wise log(sum(exp(Z))), max-shifted like the engine's op."""
    with np.errstate(over="ignore", invalid="ignore"):
        top = Z.max(axis=1)
        shift = np.where(np.isfinite(top), top, 0.0)
        return np.log(np.exp(Z - shift[:, None]).sum(axis=1)) + shift


def grid(X, cells=100, margin=0.5):
    """(xs, ys, points): a cells x cells grid covering X plus a margin; points has shape (cells**2, 2)."""
    X = np.asarray(X, dtype=np.float64)
    if len(X) == 0:  # no points yet (a plane being drawn on): the unit square and its margin
        X = np.array([[-1.0, -1.0], [1.0, 1.0]])
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xs = np.linspace(lo[0], hi[0], cells)
    ys = np.linspace(lo[1], hi[1], cells)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])
