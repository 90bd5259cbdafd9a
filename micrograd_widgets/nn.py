"""A small neural-network library on Value: Neuron, Layer, MLP, losses and SGD.

Parameter order and initialisation follow micrograd (per layer, per neuron,
weights then bias; weights uniform in [-1, 1], bias 0), so ``MLP(2, [16, 16, 1])``
behaves like micrograd's. A neuron's weighted sum is one ``dot`` node, and every
node records the scope it was made in (``layers.0.neurons.3``), so a graph
widget can fold a neuron, a layer or the whole MLP into one box.
"""

import random
from collections.abc import Iterable, Sequence

from .engine import Value, as_value, dot, scope, vsum

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
_REPR_NAMES = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": "Linear"}  # micrograd's ReLUNeuron(2)


class Module:
    """Base class: parameters, names, zero_grad and state dicts, like torch.nn.Module."""

    def children(self) -> list:
        """(name, module) pairs of the sub-modules."""
        return []

    def named_parameters(self, prefix="") -> list:
        """(name, parameter) pairs in micrograd's order, named like PyTorch's (``layers.0.neurons.3.w.1``)."""
        found = []
        for name, child in self.children():
            found.extend(child.named_parameters(f"{prefix}{name}."))
        return found

    def parameters(self) -> list:
        return [p for _, p in self.named_parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0

    def state_dict(self) -> dict:
        """{name: float} of every parameter (a copy: later training does not change it)."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict):
        """Set every parameter from ``state``; names must match exactly."""
        params = dict(self.named_parameters())
        missing, unexpected = params.keys() - state.keys(), state.keys() - params.keys()
        if missing or unexpected:
            raise KeyError(f"state_dict mismatch: missing {sorted(missing)}, unexpected {sorted(unexpected)}")
        for name, p in params.items():
            p.data = float(state[name])


class Neuron(Module):
    """act(w · x + b) as one dot node and one activation node."""

    def __init__(self, nin: int, activation="relu", nonlin=None, rng=None):
        if nonlin is not None:  # micrograd's spelling
            activation = "relu" if nonlin else "linear"
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if not isinstance(nin, int) or nin < 1:
            raise ValueError(f"a Neuron needs nin >= 1 inputs, got {nin!r}")
        uniform = (rng or random).uniform
        self.w = [Value(uniform(-1, 1), label=f"w{i}", _kind="parameter") for i in range(nin)]
        self.b = Value(0.0, label="b", _kind="parameter")
        self.activation = activation

    @property
    def nonlin(self) -> bool:
        return self.activation != "linear"

    def named_parameters(self, prefix="") -> list:
        return [(f"{prefix}w.{i}", w) for i, w in enumerate(self.w)] + [(f"{prefix}b", self.b)]

    def __call__(self, x: Sequence):
        if len(x) != len(self.w):
            raise ValueError(f"this Neuron takes {len(self.w)} inputs, got {len(x)}")
        act = dot(self.w, x, self.b)
        if self.activation == "relu":
            return act.relu()
        if self.activation == "tanh":
            return act.tanh()
        if self.activation == "sigmoid":
            return act.sigmoid()
        return act

    def __repr__(self):
        return f"{_REPR_NAMES[self.activation]}Neuron({len(self.w)})"


class Layer(Module):
    """nout neurons that see the same inputs."""

    def __init__(self, nin: int, nout: int, activation="relu", rng=None, **kwargs):
        if not isinstance(nout, int) or nout < 1:
            raise ValueError(f"a Layer needs nout >= 1 neurons, got {nout!r}")
        self.neurons = []
        for i in range(nout):
            with scope(f"neurons.{i}"):  # parameters record the scope of the neuron that owns them
                self.neurons.append(Neuron(nin, activation, rng=rng, **kwargs))

    def children(self):
        return [(f"neurons.{i}", n) for i, n in enumerate(self.neurons)]

    def __call__(self, x: Sequence):
        out = []
        for i, neuron in enumerate(self.neurons):
            with scope(f"neurons.{i}"):
                out.append(neuron(x))
        return out[0] if len(out) == 1 else out

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron; the last layer is linear, as in micrograd."""

    def __init__(self, nin: int, nouts: Sequence[int], activation="relu", seed=None):
        nouts = list(nouts)
        if not nouts:
            raise ValueError("an MLP needs at least one layer: nouts must not be empty")
        rng = random.Random(seed) if seed is not None else None
        sizes = [nin] + nouts
        self.activation = activation
        self.layers = []
        for i in range(len(nouts)):
            with scope(f"layers.{i}"):
                self.layers.append(
                    Layer(sizes[i], sizes[i + 1], activation if i < len(nouts) - 1 else "linear", rng=rng)
                )

    @property
    def sizes(self) -> list:
        """[nin, hidden..., nout]."""
        return [len(self.layers[0].neurons[0].w)] + [len(layer.neurons) for layer in self.layers]

    def children(self):
        return [(f"layers.{i}", layer) for i, layer in enumerate(self.layers)]

    def __call__(self, x: Sequence):
        x = [as_value(v) for v in x]  # once per point, not once per first-layer neuron
        for i, layer in enumerate(self.layers):
            with scope(f"layers.{i}"):
                x = layer(x)
            if not isinstance(x, list):
                x = [x] if i < len(self.layers) - 1 else x
        return x

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


# ---- losses ------------------------------------------------------------------


def _check_pairs(scores, targets, name):
    if len(scores) != len(targets):
        raise ValueError(f"{name}: {len(scores)} scores but {len(targets)} targets")
    if not scores:
        raise ValueError(f"{name}: no scores")


def hinge_loss(scores: Sequence, ys: Sequence) -> Value:
    """mean(relu(1 - y * score)) with labels y in {-1, +1}: micrograd's max-margin loss."""
    _check_pairs(scores, ys, "hinge_loss")
    return vsum([(1 - y * s).relu() for s, y in zip(scores, ys)]) * (1.0 / len(scores))


def mse_loss(preds: Sequence, targets: Sequence) -> Value:
    """mean((pred - target) ** 2)."""
    _check_pairs(preds, targets, "mse_loss")
    return vsum([(p - t) ** 2 for p, t in zip(preds, targets)]) * (1.0 / len(preds))


def bce_with_logits(logits: Sequence, ys: Sequence) -> Value:
    """Binary cross-entropy on logits, mean(softplus(z) - t * z), stable for any z.

    Targets t are in {0, 1}; labels in {-1, +1} are accepted and mapped (-1 -> 0).
    """
    _check_pairs(logits, ys, "bce_with_logits")
    targets = [0.0 if float(y) == -1 else float(y) for y in ys]
    return vsum([z.softplus() - t * z for z, t in zip(logits, targets)]) * (1.0 / len(logits))


def l2_penalty(params: Iterable, alpha: float) -> Value:
    """alpha * sum(p * p), as one dot node of the parameters with themselves."""
    params = list(params)
    return alpha * dot(params, params)


LOSSES = {"hinge": hinge_loss, "mse": mse_loss, "bce": bce_with_logits}


def accuracy(scores: Sequence, ys: Sequence) -> float:
    """Fraction of points whose score has the label's sign (labels in {-1, +1} or {0, 1})."""
    _check_pairs(scores, ys, "accuracy")
    right = sum((float(s.data if isinstance(s, Value) else s) > 0) == (float(y) > 0) for s, y in zip(scores, ys))
    return right / len(ys)


class SGD:
    """Stochastic gradient descent with optional momentum: p -= lr * v, v = momentum * v + grad."""

    def __init__(self, params: Iterable, lr: float, momentum: float = 0.0):
        self.params = list(params)
        if not lr > 0:
            raise ValueError(f"SGD needs a learning rate > 0, got {lr!r}")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"SGD momentum must be in [0, 1), got {momentum!r}")
        self.lr = lr
        self.momentum = momentum
        self._velocity = [0.0] * len(self.params)

    def step(self):
        lr, momentum, velocity = self.lr, self.momentum, self._velocity
        for i, p in enumerate(self.params):
            velocity[i] = momentum * velocity[i] + p.grad
            p.data -= lr * velocity[i]

    def zero_grad(self):
        for p in self.params:
            p.grad = 0.0

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum})"
