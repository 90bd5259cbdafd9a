"""The trained model as PyTorch source: text that rebuilds it with torch, never importing torch here.

``torch_code(session)`` writes a short program that imports only torch and
binds ``model`` (an ``nn.Module`` in float64 holding the trained weights: raw
points in, the features and any standardisation inside, raw scores out), the
training and test points, ``loss_fn`` and ``train(model, X, y, epochs)``.

Every number is written with ``repr``, the shortest text that reads back as
the same float, so float64 tensors get the engine's bits. The network's sums
run in torch's order (a matrix product), not the engine's left to right:
outputs agree to rounding, about 1e-15 of their size.
"""

from ..nn import MLP, Layer, Neuron
from . import figures
from .settings import MOMENTUM

# how each input feature (data.FEATURES) is computed from the standardised columns x1, x2
_FEATURES = {
    "x1": "x1",
    "x2": "x2",
    "x1^2": "x1 * x1",
    "x2^2": "x2 * x2",
    "x1*x2": "x1 * x2",
    "sin(x1)": "torch.sin(x1)",
    "sin(x2)": "torch.sin(x2)",
}
_ACTIVATIONS = {"relu": "nn.ReLU()", "tanh": "nn.Tanh()", "sigmoid": "nn.Sigmoid()", "linear": None}
_LOSSES = {
    "hinge": ("mean(relu(1 - y * score)), y = -1 / +1", "torch.relu(1 - y * scores).mean()"),
    "bce": ("binary cross-entropy on the scores, y = -1 / +1 as 0 / 1",
            "nn.functional.binary_cross_entropy_with_logits(scores, (y > 0).double())"),
    "mse": ("mean squared error", "nn.functional.mse_loss(scores, y)"),
    "huber": ("huber, delta 1", "nn.functional.huber_loss(scores, y, delta=1.0)"),
    "cross_entropy": ("cross-entropy on the class scores, y = class 0..K-1", "nn.functional.cross_entropy(scores, y)"),
}  # fmt: skip
_LABELS = {"binary": "-1 / +1", "multiclass": "class 0..K-1", "regression": "the targets"}
WIDTH = 110  # the longest line of numbers


def number(v) -> str:
    """A float as Python source that reads back as the same float (NaN and infinities too); an int as itself."""
    if isinstance(v, int):
        return str(v)
    if v != v:
        return "float('nan')"
    if v in (float("inf"), float("-inf")):
        return "float('inf')" if v > 0 else "-float('inf')"
    return repr(float(v))


def _numbers(values, indent, start) -> str:
    """``values`` as a bracketed list starting at column ``start``: one line if it fits in WIDTH, else
    wrapped lines under ``indent``."""
    texts = [number(v) for v in values]
    if start + sum(len(t) + 2 for t in texts) <= WIDTH:
        return f"[{', '.join(texts)}]"
    lines, line = [], ""
    for text in texts:
        if line and len(indent) + 4 + len(line) + len(text) + 1 > WIDTH:
            lines.append(line.rstrip())
            line = ""
        line += text + ", "
    lines.append(line.rstrip())
    return "[\n" + "".join(f"{indent}    {text}\n" for text in lines) + f"{indent}]"


def _tensor(values, indent, start, matrix=False, dtype="torch.float64") -> str:
    """``torch.tensor(...)`` of a list (or a list of rows) written from column ``start``."""
    if matrix and values:
        inner = indent + "    "
        rows = "".join(f"{inner}{_numbers(row, inner, len(inner))},\n" for row in values)
        body = f"[\n{rows}{indent}]"
    else:
        body = _numbers(values, indent, start + len("torch.tensor("))
    return f"torch.tensor({body}, dtype={dtype})"


def _line(prefix, values, indent, suffix="", **options) -> str:
    """``prefix`` + the tensor of ``values`` + ``suffix``: one statement of the code."""
    return f"{prefix}{_tensor(values, indent, len(prefix), **options)}{suffix}"


def _check_model(model):
    # the code rebuilds nn.MLP's forward pass; a subclass with its own would be silently different
    parts = [(model, MLP), *((layer, Layer) for layer in model.layers)]
    parts += [(n, Neuron) for layer in model.layers for n in layer.neurons]
    for part, base in parts:
        if type(part).__call__ is not base.__call__:
            raise ValueError(
                f"torch_code rebuilds micrograd_widgets.nn.MLP; this model's {type(part).__name__} "
                "computes its own forward pass, which the code can't copy"
            )


def _header(session) -> list:
    s, data = session.settings, session.data
    batch = "full batch" if s["batch_size"] is None else f"batches of {s['batch_size']}"
    lines = [
        f"# The trainer's model in PyTorch at epoch {session.epoch}, on {s['data']!r}: {s['task']}, {s['loss']} loss,",
        f"# {s['optimizer']} at lr {s['lr']!r} ({s['lr_schedule']} schedule), L2 {s['l2']!r}, {batch}.",
    ]
    if data.axis_labels:
        lines.append(f"# Columns of X: {', '.join(repr(str(name)) for name in data.axis_labels)}.")
    names = session.labels.names()
    if s["task"] == "binary":
        lines.append(f"# A score > 0 means class {names[1]!r} (y = +1), < 0 class {names[0]!r} (y = -1).")
    elif s["task"] == "multiclass":
        lines.append(f"# One score per class: {', '.join(f'{k} = {name!r}' for k, name in enumerate(names))}.")
    return [*lines, "import torch", "from torch import nn", "", ""]


def _model_class(session, sizes, activations) -> list:
    s, scale, dims = session.settings, session.data.scale, session.dims
    out = s["classes"] if s["task"] == "multiclass" else 1
    lines = [
        "class Model(nn.Module):",
        f'    """The trainer\'s network: the input features {", ".join(s["features"])} of each point, '
        f'then the MLP {sizes}."""',
        "",
        "    def __init__(self):",
        "        super().__init__()",
    ]
    if scale is not None:
        lines += [
            "        # the trainer standardises your points before the network sees them: (X - mean) / spread",
            _line('        self.register_buffer("mean", ', [m for m, _ in scale], "        ", ")"),
            _line('        self.register_buffer("spread", ', [d for _, d in scale], "        ", ")"),
        ]
    lines.append("        self.mlp = nn.Sequential(")
    for k, activation in enumerate(activations):
        act = _ACTIVATIONS[activation]
        lines.append(f"            nn.Linear({sizes[k]}, {sizes[k + 1]}),{' ' + act + ',' if act else ''}")
    lines += ["        ).double()", "", "    def forward(self, X):"]
    lines.append("        X = torch.as_tensor(X, dtype=torch.float64)")
    if dims == 1:
        lines.append("        X = X.reshape(-1, 1)  # one column: x")
    if scale is not None:
        lines.append("        X = (X - self.mean) / self.spread")
    lines.append("        x1, x2 = X[:, 0], X[:, 1]" if dims == 2 else "        x1 = X[:, 0]")
    lines.append(f"        features = torch.stack([{', '.join(_FEATURES[f] for f in s['features'])}], dim=1)")
    if out == 1:
        lines.append("        return self.mlp(features).squeeze(1)  # one score per point")
    else:
        lines.append(f"        return self.mlp(features)  # {out} scores per point, one per class")
    return [*lines, "", ""]


def _weights(layers) -> list:
    lines = [
        "model = Model()",
        "with torch.no_grad():  # the trained weights: mlp[k].weight[j] is neuron j's w in the trainer's layer k",
    ]
    index = 0  # the Linear's place in the Sequential, after the activations before it
    for weights, biases, activation in layers:
        lines.append(_line(f"    model.mlp[{index}].weight.copy_(", weights, "    ", ")", matrix=True))
        lines.append(_line(f"    model.mlp[{index}].bias.copy_(", biases, "    ", ")"))
        index += 1 if _ACTIVATIONS[activation] is None else 2
    return [*lines, "", ""]


def _points(session, test) -> list:
    s, data, dims = session.settings, session.data, session.dims
    pick = [k for k, flag in enumerate(data.test_flags) if flag == test]
    points, labels = data.points, data.targets
    suffix = "_test" if test else ""
    if test:
        lines = ["# the test points, held out from training"]
    else:
        columns = "x" if dims == 1 else "x1, x2"
        lines = [f"# the training points ({columns} as given) and their labels as the trainer holds them "
                 f"({_LABELS[s['task']]})"]  # fmt: skip
    if not pick:
        lines.append(f"X{suffix} = torch.zeros(0, {dims}, dtype=torch.float64)")
    else:
        lines.append(_line(f"X{suffix} = ", [points[k] for k in pick], "", matrix=True))
    if s["task"] == "multiclass":
        lines.append(_line(f"y{suffix} = ", [int(labels[k]) for k in pick], "", dtype="torch.long"))
    else:
        lines.append(_line(f"y{suffix} = ", [labels[k] for k in pick], ""))
    return lines


def _loss(session) -> list:
    text, code = _LOSSES[session.settings["loss"]]
    return [
        "",
        "",
        "def loss_fn(scores, y):",
        f'    """The trainer\'s loss, without L2: {text}."""',
        f"    return {code}",
        "",
        "",
    ]


def _optimizer(s, decay) -> str:
    weight_decay = f", weight_decay={number(2 * s['l2'])}" if decay else ""
    if s["optimizer"] == "adam":
        return f"torch.optim.Adam(model.parameters(), lr={number(s['lr'])}{weight_decay})"
    momentum = MOMENTUM if s["optimizer"] == "momentum" else 0.0
    return f"torch.optim.SGD(model.parameters(), lr={number(s['lr'])}, momentum={momentum!r}{weight_decay})"


_SCHEDULERS = {
    "step": "torch.optim.lr_scheduler.StepLR(optimizer, step_size={period}, gamma=0.5)",
    "cosine": "torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0={period})",
}


def _step_lines(s, indent) -> list:
    """One optimizer step on the batch (X[batch], y[batch]) or the whole of (X, y)."""
    batch = "" if s["batch_size"] is None else "[batch]"
    if s["zero_grad"]:
        return [
            f"{indent}optimizer.zero_grad()",
            f"{indent}loss = loss_fn(model(X{batch}), y{batch})",
            f"{indent}loss.backward()",
            f"{indent}optimizer.step()",
        ]
    return [
        f"{indent}# no optimizer.zero_grad(), as the trainer with zero_grad=False: the gradients pile up,",
        f"{indent}# L2's too (so L2 is in the loss here, not a weight_decay)",
        f"{indent}l2 = {number(s['l2'])} * sum((p * p).sum() for p in model.parameters())",
        f"{indent}loss = loss_fn(model(X{batch}), y{batch}) + l2",
        f"{indent}loss.backward()",
        f"{indent}optimizer.step()",
    ]


def _train(session) -> list:
    s = session.settings
    batch = "the whole training set at each step" if s["batch_size"] is None else f"batches of {s['batch_size']}"
    label_type = "torch.long" if s["task"] == "multiclass" else "torch.float64"
    lines = [
        "def train(model, X, y, epochs):",
        f'    """Train as the trainer does: {s["optimizer"]}, {s["loss"]} loss, L2 {s["l2"]!r} '
        + ("as weight_decay = 2 * l2," if s["zero_grad"] else "in the loss, zero_grad off,"),
        f'    {batch}; a fresh optimizer and schedule. Returns each epoch\'s loss on (X, y), without L2."""',
        "    X, y = torch.as_tensor(X, dtype=torch.float64), torch.as_tensor(y, dtype=" + label_type + ")",
        f"    optimizer = {_optimizer(s, decay=s['zero_grad'])}",
    ]
    if s["lr_schedule"] in _SCHEDULERS:
        lines.append(f"    scheduler = {_SCHEDULERS[s['lr_schedule']].format(period=s['lr_period'])}")
    lines += ["    losses = []", "    for _ in range(epochs):"]
    if s["batch_size"] is None:
        lines += _step_lines(s, "        ")
    else:
        lines += [
            "        # the trainer shuffles with Python's own Mersenne Twister: torch's shuffle makes other batches",
            f"        for batch in torch.randperm(len(X)).split({s['batch_size']}):",
            *_step_lines(s, "            "),
        ]
    if s["lr_schedule"] in _SCHEDULERS:
        lines.append("        scheduler.step()")
    lines += [
        "        with torch.no_grad():",
        "            losses.append(loss_fn(model(X), y).item())",
        "    return losses",
    ]
    return lines


def torch_code(session) -> str:
    """Python source that rebuilds the session's model in PyTorch, with its data, loss_fn and train()."""
    with session.lock:
        model = session.model
        _check_model(model)
        layers = figures.layers(model)
        lines = [
            *_header(session),
            *_model_class(session, model.sizes, [activation for _, _, activation in layers]),
            *_weights(layers),
            *_points(session, test=False),
            *_points(session, test=True),
            *_loss(session),
            *_train(session),
        ]
    return "\n".join(lines) + "\n"
