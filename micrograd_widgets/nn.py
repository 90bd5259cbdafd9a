"""A small neural-network library on Value: Neuron, Layer, MLP, losses, SGD and Adam.

Parameter order and initialisation follow micrograd (per layer, per neuron,
weights then bias; weights uniform in [-1, 1], bias 0), so ``MLP(2, [16, 16, 1])``
behaves like micrograd's. A neuron's weighted sum is one ``dot`` node, and every
node records the scope it was made in (``layers.0.neurons.3``), so a graph
widget can fold a neuron, a layer or the whole MLP into one box.
"""

import math
import random
from collections.abc import Iterable, Sequence

from .engine import Value, as_value, dot, logsumexp, scope, vsum

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
    return vsum([(1 - y * s).relu() for s, y in zip(scores, ys, strict=True)]) * (1.0 / len(scores))


def mse_loss(preds: Sequence, targets: Sequence) -> Value:
    """mean((pred - target) ** 2)."""
    _check_pairs(preds, targets, "mse_loss")
    return vsum([(p - t) ** 2 for p, t in zip(preds, targets, strict=True)]) * (1.0 / len(preds))


def bce_with_logits(logits: Sequence, ys: Sequence) -> Value:
    """Binary cross-entropy on logits, mean(softplus(z) - t * z), stable for any z.

    Targets t are in {0, 1}; labels in {-1, +1} are accepted and mapped (-1 -> 0).
    """
    _check_pairs(logits, ys, "bce_with_logits")
    targets = [0.0 if float(y) == -1 else float(y) for y in ys]
    return vsum([z.softplus() - t * z for z, t in zip(logits, targets, strict=True)]) * (1.0 / len(logits))


def huber_loss(preds: Sequence, targets: Sequence, delta: float = 1.0) -> Value:
    """mean of 0.5 * d**2 where |d| < delta, else delta * (|d| - 0.5 * delta), with d = pred - target (torch's)."""
    _check_pairs(preds, targets, "huber_loss")
    terms = []
    for p, t in zip(preds, targets, strict=True):
        d = p - t
        if abs(d.data) < delta:
            terms.append(0.5 * d**2)
        else:  # the branch is chosen by the value now; its slope is delta * sign(d)
            terms.append(delta * (d if d.data > 0 else -d) - 0.5 * delta * delta)
    return vsum(terms) * (1.0 / len(preds))


def _check_class(target, k):
    if isinstance(target, bool) or not float(target).is_integer() or not 0 <= int(target) < k:
        raise ValueError(f"cross_entropy: target must be a class index in [0, {k - 1}], got {target!r}")
    return int(target)


def cross_entropy(logits: Sequence, target) -> Value:
    """-log softmax(logits)[target] = logsumexp(logits) - logits[target], stable for any logits.

    ``logits`` is a list of K Values and ``target`` an int class; for a batch,
    pass a list of such lists and a list of ints: the mean is returned.
    """
    if logits and isinstance(logits[0], (list, tuple)):
        if isinstance(target, (int, float)) or len(logits) != len(target):
            raise ValueError(f"cross_entropy: a batch of {len(logits)} logit lists needs as many targets")
        return vsum([cross_entropy(z, t) for z, t in zip(logits, target, strict=True)]) * (1.0 / len(logits))
    if len(logits) < 1:
        raise ValueError("cross_entropy: no logits")
    logits = [as_value(z) for z in logits]
    return logsumexp(logits) - logits[_check_class(target, len(logits))]


def l2_penalty(params: Iterable, alpha: float) -> Value:
    """alpha * sum(p * p), as one dot node of the parameters with themselves."""
    params = list(params)
    return alpha * dot(params, params)


LOSSES = {
    "hinge": hinge_loss,
    "mse": mse_loss,
    "bce": bce_with_logits,
    "huber": huber_loss,
    "cross_entropy": cross_entropy,
}


def _float(x) -> float:
    return float(x.data if isinstance(x, Value) else x)


def _argmax(logits: Sequence) -> int:
    return max(range(len(logits)), key=lambda k: _float(logits[k]))


def accuracy(scores: Sequence, ys: Sequence) -> float:
    """Fraction of points classified right: a score's sign against labels in {-1, +1} or {0, 1},
    or, when each score is a list of K logits, its argmax against class indexes."""
    _check_pairs(scores, ys, "accuracy")
    if isinstance(scores[0], (list, tuple)):
        right = sum(_argmax(z) == int(y) for z, y in zip(scores, ys, strict=True))
    else:
        right = sum((_float(s) > 0) == (float(y) > 0) for s, y in zip(scores, ys, strict=True))
    return right / len(ys)


def _check_lr(name, lr, weight_decay):
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"{name} needs a learning rate > 0, got {lr!r}")
    if isinstance(weight_decay, bool) or not isinstance(weight_decay, (int, float)) or not weight_decay >= 0:
        raise ValueError(f"{name} weight_decay must be >= 0, got {weight_decay!r}")


class Optimizer:
    """Shared by SGD and Adam: the parameters, zero_grad, and a plain-data state for saving."""

    def zero_grad(self):
        for p in self.params:
            p.grad = 0.0

    def state_dict(self) -> dict:
        """The optimizer's numbers (hyperparameters, buffers, step count) as plain Python data."""
        return {
            name: list(value) if isinstance(value, list) else value
            for name, value in vars(self).items()
            if name != "params"
        }

    def load_state_dict(self, state: dict):
        """Put back what state_dict() returned (the same parameters, in the same order)."""
        for name, value in state.items():
            if name not in vars(self) or name == "params":
                raise KeyError(f"{type(self).__name__} has no state {name!r}")
            current = getattr(self, name)
            if isinstance(current, list) and len(value) != len(current):
                raise ValueError(f"{name}: {len(value)} numbers for {len(current)} parameters")
            setattr(self, name, [float(v) for v in value] if isinstance(current, list) else value)


class SGD(Optimizer):
    """Stochastic gradient descent with torch.optim.SGD's rule: g = grad + weight_decay * p,
    v = momentum * v + g, p -= lr * v."""

    def __init__(self, params: Iterable, lr: float, momentum: float = 0.0, weight_decay: float = 0.0):
        self.params = list(params)
        _check_lr("SGD", lr, weight_decay)
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0.0 <= momentum < 1.0:
            raise ValueError(f"SGD momentum must be in [0, 1), got {momentum!r}")
        self.lr = lr
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.velocity = [0.0] * len(self.params)

    def step(self):
        lr, momentum, decay, velocity = self.lr, self.momentum, self.weight_decay, self.velocity
        for i, p in enumerate(self.params):
            g = p.grad + decay * p.data if decay else p.grad
            if momentum:
                # torch starts the buffer at the first gradient: momentum * 0 + g is the same number
                g = velocity[i] = momentum * velocity[i] + g
            p.data -= lr * g

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay})"


# NOTE [powers by squaring]
# Adam's bias corrections take beta ** step. Python's ** and JavaScript's
# Math.pow may round the last bit differently, and the page's Adam
# (js/trainer/optimizers.js) must give the kernel's weights to the bit; so
# both take the power by squaring, the same multiplications in the same order,
# and the square root by sqrt (exactly rounded on both sides). torch's Adam
# rounds its powers once: the two differ by a few ulps of the learning rate.


def power(x: float, n: int) -> float:
    """x ** n for an integer n >= 0, by squaring (NOTE [powers by squaring])."""
    result = 1.0
    while n:
        if n & 1:
            result *= x
        x *= x
        n >>= 1
    return result


class Adam(Optimizer):
    """Adam with torch.optim.Adam's rule (weight decay added to the gradient, not decoupled)."""

    def __init__(self, params: Iterable, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.params = list(params)
        _check_lr("Adam", lr, weight_decay)
        beta1, beta2 = betas
        if not (0.0 <= beta1 < 1.0 and 0.0 <= beta2 < 1.0):
            raise ValueError(f"Adam betas must be in [0, 1), got {betas!r}")
        if not eps >= 0:
            raise ValueError(f"Adam eps must be >= 0, got {eps!r}")
        self.lr = lr
        self.betas = (float(beta1), float(beta2))
        self.eps = eps
        self.weight_decay = weight_decay
        self.steps = 0
        self.exp_avg = [0.0] * len(self.params)
        self.exp_avg_sq = [0.0] * len(self.params)

    def step(self):
        beta1, beta2 = self.betas
        decay, m, v = self.weight_decay, self.exp_avg, self.exp_avg_sq
        self.steps += 1
        # the same operations in the same order as torch's single-tensor Adam, so the numbers agree
        # (to the last bit or two: see NOTE [powers by squaring])
        step_size = self.lr / (1 - power(beta1, self.steps))
        bias_correction2_sqrt = math.sqrt(1 - power(beta2, self.steps))
        w1, w2 = 1 - beta1, 1 - beta2
        eps = self.eps
        for i, p in enumerate(self.params):
            g = p.grad + decay * p.data if decay else p.grad
            m[i] += w1 * (g - m[i])  # torch's lerp towards g
            v[i] = v[i] * beta2 + w2 * g * g
            p.data += -step_size * m[i] / (math.sqrt(v[i]) / bias_correction2_sqrt + eps)

    def state_dict(self) -> dict:
        state = super().state_dict()
        state["betas"] = list(self.betas)
        return state

    def load_state_dict(self, state: dict):
        state = dict(state)
        if "betas" in state:
            beta1, beta2 = (float(b) for b in state.pop("betas"))
            self.betas = (beta1, beta2)
        super().load_state_dict(state)

    def __repr__(self):
        return f"Adam(lr={self.lr}, betas={self.betas}, eps={self.eps}, weight_decay={self.weight_decay})"


LR_SCHEDULES = ("constant", "step", "cosine")


def scheduled_lr(lr: float, epoch: int, schedule="constant", period=50) -> float:
    """The learning rate for epoch ``epoch`` (0 = the first): constant; step halves it every ``period``
    epochs (torch's StepLR, gamma 0.5); cosine decays it to 0 over ``period`` epochs, then restarts
    (torch's CosineAnnealingWarmRestarts)."""
    if schedule == "constant":
        return lr
    if schedule == "step":
        return lr * 0.5 ** (epoch // period)
    if schedule == "cosine":
        return lr * (1 + math.cos(math.pi * (epoch % period) / period)) / 2
    raise ValueError(f"unknown lr_schedule {schedule!r}; choose one of {', '.join(map(repr, LR_SCHEDULES))}")
