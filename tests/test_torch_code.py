"""t.torch_code(): PyTorch source that rebuilds the trained model, run here under torch as a user would.

The oracle is the engine: the torch model's outputs on every point against the
session's, its loss against the history row's, and torch's own training
(train(...) in the code) against the trainer's epochs from the same weights.
"""

import ast
import json
import math
import random
import re
import subprocess
import sys
import textwrap

import pytest
import torch

from micrograd_widgets.nn import MLP
from micrograd_widgets.training import Session
from micrograd_widgets.training.epoch import batches
from micrograd_widgets.training.figures import layers
from micrograd_widgets.training.torch_code import torch_code
from micrograd_widgets.widgets import Trainer

SMALL = {"hidden": [6], "n": 40, "seed": 0}


def run_code(code) -> dict:
    """Execute the code as a pasted cell would, in a fresh namespace."""
    namespace: dict = {}
    exec(compile(code, "<torch_code>", "exec"), namespace)
    return namespace


def close(a: float, b: float) -> bool:
    # relative, or absolute below 1: an output near 0 is a sum of terms of size ~1, rounded in another order
    return abs(a - b) <= 1e-12 * max(abs(b), 1.0)


def torch_outputs(model, points) -> list:
    with torch.no_grad():
        out = model(torch.tensor(points, dtype=torch.float64))
    return out.reshape(len(points), -1).tolist()


def assert_same_outputs(session, model):
    engine = session.outputs()
    mine = torch_outputs(model, session.data.points)
    assert len(engine) == len(mine) == len(session.data.points) > 0
    bad = [(k, a, b) for k, (x, e) in enumerate(zip(mine, engine, strict=True)) for a, b in zip(x, e, strict=True)
           if not close(a, b)]  # fmt: skip
    assert not bad, bad[:5]


def assert_same_weights(session, model):
    """The model's weights are the engine's to the bit (repr wrote each float exactly)."""
    linears = [m for m in model.mlp if isinstance(m, torch.nn.Linear)]
    expected = layers(session.model)
    assert len(linears) == len(expected)
    for linear, (weights, biases, _) in zip(linears, expected, strict=True):
        assert linear.weight.dtype == torch.float64
        assert linear.weight.tolist() == weights and linear.bias.tolist() == biases


CASES = {
    "binary hinge": dict(SMALL),
    "binary bce, batches": {**SMALL, "loss": "bce", "batch_size": 8},
    "binary mse": {**SMALL, "loss": "mse"},
    "multiclass cross_entropy": {**SMALL, "data": "spiral", "classes": 3, "n": 60, "hidden": [6, 5]},
    "regression mse": {**SMALL, "data": "reg-gauss"},
    "regression huber": {**SMALL, "data": "reg-plane", "loss": "huber"},
    "1-D sine": {**SMALL, "data": "sine", "features": ["x1", "sin(x1)", "x1^2"]},
    "features, tanh": {**SMALL, "data": "circles", "activation": "tanh",
                       "features": ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]},
    "sigmoid, two layers": {**SMALL, "activation": "sigmoid", "hidden": [5, 4], "features": ["x1*x2", "sin(x2)"]},
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_the_torch_model_gives_the_engines_outputs_and_loss(name):
    # fails if a feature, the activation, the layer order or a weight is written wrong
    t = Trainer(**CASES[name])
    t.train(4)
    code = t.torch_code()
    namespace = run_code(code)
    model = namespace["model"]
    assert isinstance(model, torch.nn.Module)
    assert_same_weights(t.session, model)
    assert_same_outputs(t.session, model)
    count = len(t.session.data.points)
    shape = (count, t.session.settings["classes"]) if t.task == "multiclass" else (count,)  # one score per point
    assert model(t.session.data.points).shape == shape  # plain lists go in too
    # the bound data are the training points, and the loss on them is the history row's (no L2)
    train = t.session.train_index
    assert namespace["X"].tolist() == [t.session.data.points[k] for k in train]
    assert namespace["y"].tolist() == [t.session.data.targets[k] for k in train]
    assert len(namespace["X_test"]) == len(t.session.data.points) - len(train)
    with torch.no_grad():
        loss = namespace["loss_fn"](model(namespace["X"]), namespace["y"]).item()
    assert math.isclose(loss, t.history[-1]["loss"], rel_tol=1e-12)


def test_your_own_data_in_kg_and_cm_is_standardised_inside_the_model():
    # fails if the model expects standardised points, or standardises with other numbers than the trainer's
    rng = random.Random(3)
    X = [[rng.gauss(70.0, 12.0), rng.gauss(172.0, 9.0)] for _ in range(50)]
    y = ["heavy" if (w - 70) / 12 - (h - 172) / 9 > 0 else "light" for w, h in X]
    session = Session(X=X, y=y, hidden=[6], seed=0, axis_labels=["weight (kg)", "height (cm)"])
    session.train(5)
    assert session.data.scale is not None
    code = torch_code(session)
    assert "# Columns of X: 'weight (kg)', 'height (cm)'." in code
    assert "means class 'light' (y = +1), < 0 class 'heavy' (y = -1)" in code
    namespace = run_code(code)
    model = namespace["model"]
    assert model.mean.tolist() == [m for m, _ in session.data.scale]
    assert model.spread.tolist() == [s for _, s in session.data.scale]
    assert_same_outputs(session, model)
    regression = Session(X=X, y=[0.5 * w - 0.1 * h for w, h in X], hidden=[6], seed=0)
    regression.train(5)
    assert_same_outputs(regression, run_code(torch_code(regression))["model"])


def test_the_code_imports_only_torch_and_does_not_train_when_run():
    t = Trainer(**SMALL, batch_size=8, lr_schedule="cosine")
    t.train(2)
    tree = ast.parse(t.torch_code())
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert imported and {name.split(".")[0] for name in imported} == {"torch"}
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert {"train", "loss_fn"} <= functions
    calls = [node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
    assert "train" not in calls  # train runs only when called
    namespace = run_code(t.torch_code())
    assert_same_weights(t.session, namespace["model"])  # untouched by the run


def test_train_lowers_the_loss_in_batches():
    t = Trainer(**SMALL, batch_size=8)
    namespace = run_code(t.torch_code())
    model, X, y, loss_fn = namespace["model"], namespace["X"], namespace["y"], namespace["loss_fn"]
    with torch.no_grad():
        before = loss_fn(model(X), y).item()
    torch.manual_seed(0)
    losses = namespace["train"](model, X, y, epochs=2)
    assert len(losses) == 2 and losses[-1] < before


TRAINING = {
    "sgd, L2 on every weight and bias": {**SMALL, "l2": 1e-2},
    "momentum, step schedule": {**SMALL, "optimizer": "momentum", "lr": 0.1, "lr_schedule": "step", "lr_period": 2},
    "adam, cosine, bce": {**SMALL, "optimizer": "adam", "lr": 0.05, "lr_schedule": "cosine", "lr_period": 3,
                          "loss": "bce"},
    "cross_entropy": {**SMALL, "data": "spiral", "classes": 3, "n": 60, "l2": 1e-3},
    "huber, tanh": {**SMALL, "data": "reg-gauss", "loss": "huber", "activation": "tanh"},
    "zero_grad off": {**SMALL, "optimizer": "momentum", "lr": 0.05, "zero_grad": False, "l2": 1e-2},
}  # fmt: skip


@pytest.mark.parametrize("name", TRAINING)
def test_train_trains_as_the_trainer_does_on_the_full_batch(name):
    # fails if weight_decay is not 2 * l2 (or skips the biases), a schedule steps otherwise, or the optimizer differs
    t = Trainer(**TRAINING[name])
    namespace = run_code(t.torch_code())
    losses = namespace["train"](namespace["model"], namespace["X"], namespace["y"], 6)
    rows = t.train(6)
    assert len(losses) == len(rows) == 6
    assert all(math.isclose(a, r["loss"], rel_tol=1e-10) for a, r in zip(losses, rows, strict=True))
    assert_same_outputs(t.session, namespace["model"])


def test_train_in_the_trainers_batches_trains_as_the_trainer_does(monkeypatch):
    # torch's shuffle is its own; given the trainer's batch order, the epochs are the trainer's
    t = Trainer(**SMALL, batch_size=8, optimizer="adam", lr=0.05)
    session = t.session
    rng = random.Random()
    rng.setstate(session.shuffle.getstate())
    position = {k: j for j, k in enumerate(session.train_index)}

    def trainer_order(n):
        assert n == len(position)
        return torch.tensor([position[k] for batch in batches(session.train_index, 8, rng) for k in batch])

    namespace = run_code(t.torch_code())
    monkeypatch.setattr(torch, "randperm", trainer_order)
    losses = namespace["train"](namespace["model"], namespace["X"], namespace["y"], 3)
    rows = t.train(3)
    assert all(math.isclose(a, r["loss"], rel_tol=1e-10) for a, r in zip(losses, rows, strict=True))


def test_copy_torch_answers_the_code_and_can_be_hidden_and_locked():
    t = Trainer(**SMALL, hide=["copy_torch"])
    assert t.hide == ["copy_torch"]
    sent = []
    t.send = lambda content, buffers=None: sent.append(content)
    t._on_message(t, {"type": "copy_torch"}, [])
    assert sent == [{"type": "torch", "text": t.torch_code()}]
    t.lock = ["copy_torch"]
    t._on_message(t, {"type": "copy_torch"}, [])
    assert len(sent) == 1 and t.status == "locked: copy_torch can't be changed here"


def test_a_saved_page_locks_copy_torch():
    # the page has no Python to write the code with
    page = Trainer(**SMALL)._page(None)
    saved = json.loads(re.search(r'<script type="application/json" id="mgw-state">(.*?)</script>', page, re.S)[1])
    assert "copy_torch" in saved["state"]["lock"]


class _Doubled(MLP):
    def __call__(self, x):
        out = super().__call__(x)
        return out * 2


def test_a_model_with_its_own_forward_pass_is_refused_by_name():
    t = Trainer(**SMALL, model=_Doubled(2, [4, 1], seed=0))
    with pytest.raises(ValueError, match="_Doubled computes its own forward pass"):
        t.torch_code()
    t._on_message(t, {"type": "copy_torch"}, [])
    assert "_Doubled computes its own forward pass" in t.status


def test_user_text_stays_in_comments_and_special_floats_are_written_as_floats():
    # a column name with a line break must not become a line of code
    X = [[0.0, 0.0], [1.0, 1.0], [2.0, 0.0], [0.0, 2.0], [1.0, 0.0], [2.0, 2.0]]
    session = Session(X=X, y=["a\nraise SystemExit", "b"] * 3, hidden=[3], seed=0, test_fraction=0.0,
                      axis_labels=["x\nraise SystemExit", "y"])  # fmt: skip
    weights = session.model.layers[0].neurons[0].w
    weights[0].data, weights[1].data = math.nan, -math.inf
    namespace = run_code(torch_code(session))
    first = namespace["model"].mlp[0].weight[0].tolist()
    assert math.isnan(first[0]) and first[1] == -math.inf


def test_the_package_writes_the_code_without_importing_torch():
    script = textwrap.dedent(
        """
        import sys

        class Blocked:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "torch":
                    raise ModuleNotFoundError("No module named 'torch'", name=name)

        sys.meta_path.insert(0, Blocked())
        from micrograd_widgets.widgets import Trainer
        t = Trainer(hidden=[4], n=20)
        t.train(1)
        code = t.torch_code()
        assert "torch" not in sys.modules and code.startswith("# The trainer's model in PyTorch")
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr[-2000:]
