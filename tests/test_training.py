"""The training session: plain Python, no widget, no thread."""

import ast
import json
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from micrograd_widgets import data
from micrograd_widgets.nn import MLP, Adam, scheduled_lr
from micrograd_widgets.training import Session


def grads(session):
    return np.array([p.grad for p in session.params])


def weights(session):
    return np.array([p.data for p in session.params])


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_default_setup_reaches_97_percent_training_accuracy_within_100_epochs(seed):
    session = Session(seed=seed)
    session.train(100)
    assert max(row["accuracy"] for row in session.history) >= 0.97
    assert session.history[-1]["accuracy"] >= 0.97


def test_a_step_lowers_the_loss_on_moons():
    session = Session()
    before = session.evaluate()["loss"]
    row = session.step()
    assert row["epoch"] == 1 and session.epoch == 1
    assert row["loss"] < before


def test_same_seed_gives_the_same_history_also_with_mini_batches():
    runs = [Session(seed=3, batch_size=16, hidden=[8]).train(5) for _ in range(2)]
    assert runs[0] == runs[1]
    other = Session(seed=4, batch_size=16, hidden=[8]).train(5)
    assert other != runs[0]


def test_a_long_run_keeps_a_bounded_history_thinned_evenly_with_its_last_row(monkeypatch):
    from micrograd_widgets.training import session as session_module

    monkeypatch.setattr(session_module, "HISTORY_MAX", 10)
    s = Session(seed=0, n=40, hidden=[4])
    full = s.train(25)
    epochs = [row["epoch"] for row in s.history]
    assert len(epochs) <= 10 and epochs[0] == 1 and epochs[-1] == 25
    assert all(row == full[row["epoch"] - 1] for row in s.history), "the rows kept are the epochs' own"
    gaps = [b - a for a, b in zip(epochs, epochs[1:], strict=False)]
    assert max(gaps) <= 2 * 24 / (len(epochs) - 1) + 1, f"evenly spread over the run: {epochs}"


def test_history_rows_hold_train_and_test_figures():
    session = Session(test_fraction=0.25, n=40, hidden=[4])
    (row,) = session.train(1)
    assert set(row) == {"epoch", "loss", "accuracy", "test_loss", "test_accuracy"}
    assert sum(session.data.test_flags) == 10
    assert all(math.isfinite(row[k]) for k in row)


def test_no_test_set_gives_nan_test_figures():
    row = Session(test_fraction=0, n=20, hidden=[4]).step()
    assert math.isnan(row["test_loss"]) and math.isnan(row["test_accuracy"])


def test_divergence_is_caught_with_a_status_and_reset_recovers():
    session = Session(loss="mse", lr=1e3)
    session.train(50)
    assert session.diverged
    n = session.epoch
    assert session.status == f"diverged at epoch {n}: lower the learning rate"
    assert not math.isfinite(session.history[-1]["loss"])
    session.train(5)
    assert session.epoch == n  # a diverged run does not go on
    session.reset()
    assert not session.diverged and session.status == "" and session.epoch == 0
    session.set(lr=0.05)
    assert math.isfinite(session.step()["loss"])


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"lr": 0}, "lr"),
        ({"lr": -0.1}, "lr"),
        ({"lr": float("nan")}, "lr"),
        ({"hidden": []}, "empty architecture"),
        ({"hidden": [8] * 5}, "at most 4 hidden layers"),
        ({"hidden": [33]}, "1 to 32 neurons"),
        ({"hidden": [0]}, "1 to 32 neurons"),
        ({"activation": "softmax"}, "unknown activation"),
        ({"loss": "l1"}, "unknown loss"),
        ({"data": "mnist"}, "unknown data set"),
        ({"test_fraction": 0.95}, "test_fraction"),
        ({"test_fraction": -0.1}, "test_fraction"),
        ({"noise": -1}, "noise"),
        ({"batch_size": -2}, "batch_size"),
        ({"l2": -1e-3}, "l2"),
        ({"n": 1}, "n (the number of points a data set draws)"),
    ],
)
def test_bad_controls_raise_clear_errors(settings, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Session(**settings)
    session = Session(hidden=[4], n=20)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        session.set(**settings)
    assert session.settings["hidden"] == [4]  # a rejected change leaves the session as it was


def test_reset_restores_the_snapshot_of_a_users_own_model():
    model = MLP(2, [8, 1], seed=5)
    start = model.state_dict()
    X, y = data.moons(60, seed=1)
    session = Session(model=model, X=X, y=y, loss="bce")
    assert session.model is model and session.settings["data"] == "custom"
    session.train(3)
    assert model.state_dict() != start
    session.reset()
    assert model.state_dict() == start and session.history == []


def test_users_data_with_zero_one_labels_is_accepted():
    X, y = data.moons(40, seed=0, zero_one=True)
    session = Session(X=X, y=y, hidden=[4])
    assert set(session.data.targets) == {-1.0, 1.0}


def test_without_zero_grad_gradients_pile_up():
    # a tiny lr keeps the weights (and so each step's gradient) nearly the same
    piled = Session(hidden=[4], n=20, lr=1e-9, l2=0, zero_grad=False)
    fresh = Session(hidden=[4], n=20, lr=1e-9, l2=0, zero_grad=True)
    piled.step(), fresh.step()
    first = grads(fresh)
    assert np.allclose(grads(piled), first)
    piled.step(), fresh.step()
    assert np.allclose(grads(fresh), first, rtol=1e-6, atol=1e-9)
    assert np.allclose(grads(piled), 2 * first, rtol=1e-6, atol=1e-9)


def test_lr_change_keeps_the_weights_and_architecture_change_rebuilds():
    session = Session(hidden=[4], n=20)
    session.train(2)
    w = weights(session)
    session.set(lr=0.1, l2=0.0, loss="bce", batch_size=5, zero_grad=False)
    assert np.array_equal(weights(session), w) and session.epoch == 2
    session.set(hidden=[3, 2], activation="tanh")
    assert session.model.sizes == [2, 3, 2, 1] and session.epoch == 0
    assert session.model.layers[0].neurons[0].activation == "tanh"


def test_data_change_resets_to_the_snapshot():
    session = Session(hidden=[4], n=20)
    start = session.model.state_dict()
    session.train(2)
    session.set(data="circles", noise=0.2)
    assert session.model.state_dict() == start and session.epoch == 0
    old = session.data.points
    session.regenerate()
    assert session.data.points != old and session.model.state_dict() == start


def test_mini_batches_take_several_steps_per_epoch():
    full = Session(hidden=[4], n=40, test_fraction=0)
    mini = Session(hidden=[4], n=40, test_fraction=0, batch_size=10)
    assert len(full.batches()) == 1
    assert [len(b) for b in mini.batches()] == [10, 10, 10, 10]
    assert sorted(i for b in mini.batches() for i in b) == list(range(40))


def test_point_graph_is_scoped_by_sample_and_leaves_training_grads_alone():
    session = Session(hidden=[4], n=20, zero_grad=False)
    session.step()
    before = grads(session)
    nodes = session.point_graph(3)
    assert nodes[-1].label == "loss of point 3"
    assert any(node.scope.startswith("sample.3.layers.0.neurons.") for node in nodes)
    assert np.array_equal(grads(session), before)
    with pytest.raises(ValueError, match="point index"):
        session.point_graph(999)


def test_the_planes_axes_frame_the_points_with_a_margin():
    session = Session(hidden=[5, 3])
    x_min, x_max, y_min, y_max = session.data.extent
    xs, ys = [p[0] for p in session.data.points], [p[1] for p in session.data.points]
    assert x_min < min(xs) and x_max > max(xs) and y_min < min(ys) and y_max > max(ys)


# ---- tasks: multi-class, regression, 1-D fit ------------------------------------------------


def test_multiclass_session_has_k_outputs_cross_entropy_and_k_probabilities_per_cell():
    session = Session(data="spiral", classes=3, hidden=[6])
    assert session.task == "multiclass" and session.model.sizes == [2, 6, 3]
    assert session.settings["loss"] == "cross_entropy" and session.settings["optimizer"] == "adam"
    assert session.settings["lr"] == 0.01
    row = session.step()
    assert set(row) == {"epoch", "loss", "accuracy", "test_loss", "test_accuracy"}
    assert all(len(t) == 3 and sum(t) == 1.0 for t in session.targets)  # one-hot targets for the loss graph


def test_regression_rows_carry_r2_and_nan_accuracy():
    session = Session(data="reg-plane", hidden=[6])
    assert session.task == "regression" and session.settings["loss"] == "mse" and session.model.sizes == [2, 6, 1]
    row = session.step()
    assert math.isnan(row["accuracy"]) and math.isnan(row["test_accuracy"])
    # R² from the engine's own outputs (a Value graph per point), against the row
    train = [i for i, test in enumerate(session.data.test_flags) if not test]
    scores = np.array([session.model(session.rows[i]).data for i in train])
    ys = np.array([session.data.targets[i] for i in train])
    r2 = 1 - np.sum((scores - ys) ** 2) / np.sum((ys - ys.mean()) ** 2)
    assert row["r2"] == pytest.approx(r2, rel=1e-12) and math.isfinite(row["test_r2"])


def test_sine_is_a_1d_fit_drawn_as_a_curve():
    session = Session(data="sine", hidden=[8])
    assert session.dims == 1 and session.settings["features"] == ["x1"] and session.model.sizes == [1, 8, 1]
    session.step()
    xs = [p[0] for p in session.data.points]
    assert session.data.extent[0] < min(xs) and session.data.extent[1] > max(xs)
    plane = session.data.plane_points()
    assert [p[1] for p in plane] == session.data.targets  # points drawn at (x, target)


def test_huber_loss_trains_regression_too():
    session = Session(data="reg-plane", loss="huber", hidden=[6])
    first = session.evaluate()["loss"]
    session.train(5)
    assert session.history[-1]["loss"] < first


def test_a_loss_that_does_not_fit_the_task_is_refused():
    with pytest.raises(ValueError, match="does not fit the regression task"):
        Session(data="reg-plane", loss="hinge")
    with pytest.raises(ValueError, match="is a binary task, not regression"):
        Session(data="moons", task="regression")


def _torch_model(session, inputs):
    """The session's MLP in torch float64 on the given feature rows: (output, weights in parameter order)."""
    weights = [torch.tensor(p.data, dtype=torch.float64, requires_grad=True) for p in session.params]
    it = iter(weights)
    a = torch.tensor(inputs, dtype=torch.float64)
    layers = session.model.layers
    for k, layer in enumerate(layers):
        rows = []
        for neuron in layer.neurons:
            w = torch.stack([next(it) for _ in neuron.w])
            rows.append(a @ w + next(it))
        a = torch.stack(rows, dim=-1)
        if k < len(layers) - 1:
            a = torch.relu(a)
    return a, weights


@pytest.mark.parametrize(
    "settings",
    [
        {"data": "spiral", "classes": 3, "features": ["x1", "x2", "x1*x2", "sin(x1)"]},
        {"data": "reg-gauss", "features": ["x1^2", "x2^2", "sin(x2)"], "loss": "huber"},
        {"data": "moons", "features": ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"], "loss": "bce"},
    ],
)
def test_a_points_loss_graph_on_features_matches_torch(settings):
    session = Session(hidden=[5], **settings)
    session.train(2)
    i = 7
    nodes = session.point_graph(i)
    x = torch.tensor(session.data.points[i], dtype=torch.float64)
    columns = {
        "x1": x[0],
        "x2": x[1],
        "x1^2": x[0] * x[0],
        "x2^2": x[1] * x[1],
        "x1*x2": x[0] * x[1],
        "sin(x1)": torch.sin(x[0]),
        "sin(x2)": torch.sin(x[1]),
    }
    inputs = torch.stack([columns[f] for f in session.settings["features"]]).tolist()
    out, weights = _torch_model(session, [inputs])
    label = session.data.targets[i]
    loss_name = session.settings["loss"]
    if loss_name == "cross_entropy":
        loss = F.cross_entropy(out, torch.tensor([int(label)]))
    elif loss_name == "huber":
        loss = F.huber_loss(out[:, 0], torch.tensor([label], dtype=torch.float64), delta=1.0)
    else:
        loss = F.binary_cross_entropy_with_logits(out[:, 0], torch.tensor([float(label > 0)], dtype=torch.float64))
    loss.backward()
    assert nodes[-1].data == pytest.approx(loss.item(), rel=1e-12)
    saved = [p.grad for p in session.params]
    nodes[-1].backward()
    for p, w in zip(session.params, weights, strict=True):
        assert p.grad == pytest.approx(w.grad.item(), rel=1e-9, abs=1e-12)
    for p, g in zip(session.params, saved, strict=True):
        p.grad = g


def test_the_history_rows_forward_matches_torch_on_the_feature_rows():
    # the history rows are computed without a graph (figures.forward): the same numbers as torch's model
    session = Session(data="blobs", classes=4, hidden=[5], features=["x1", "x2", "x1*x2"])
    session.train(2)
    logits, _ = _torch_model(session, session.rows)
    ours = np.array(session.outputs())
    assert np.allclose(ours, logits.detach().numpy(), rtol=1e-12, atol=1e-12)
    expected = F.cross_entropy(logits, torch.tensor([int(v) for v in session.data.targets]), reduction="none")
    train = [i for i, test in enumerate(session.data.test_flags) if not test]
    assert session.evaluate()["loss"] == pytest.approx(expected[train].mean().item(), rel=1e-12)


# ---- settings that depend on each other ---------------------------------------------------------


def test_changing_task_classes_or_features_rebuilds_the_model():
    session = Session(hidden=[4], n=30)
    session.train(1)
    session.set(task="multiclass")
    assert session.settings["data"] == "spiral" and session.settings["classes"] == 3 and session.epoch == 0
    assert session.model.sizes == [2, 4, 3]
    session.set(classes=4)
    assert session.model.sizes == [2, 4, 4] and len(set(session.data.targets)) == 4
    session.set(data="blobs")
    assert session.settings["classes"] == 4  # a set that takes any K keeps it
    session.set(features=["x1", "x2", "x1^2"])
    assert session.model.sizes == [3, 4, 4]
    session.set(task="regression")
    assert session.settings["data"] == "reg-plane" and session.settings["loss"] == "mse"
    assert session.model.sizes == [3, 4, 1]
    session.set(data="sine")
    assert session.settings["features"] == ["x1"] and session.model.sizes == [1, 4, 1]
    with pytest.raises(ValueError, match="has a fixed number of classes|has no classes"):
        session.set(classes=3)
    assert session.settings["data"] == "sine"  # a refused change leaves it as it was


def test_same_shape_feature_change_resets_to_the_snapshot():
    session = Session(hidden=[4], n=30)
    start = session.model.state_dict()
    session.train(2)
    session.set(features=["x1^2", "x2^2"])
    assert session.model.state_dict() == start and session.epoch == 0
    assert [row[0] for row in session.rows] == [p[0] * p[0] for p in session.data.points]


def test_lr_defaults_follow_the_optimizer_unless_given():
    session = Session(hidden=[4], n=30)
    assert session.settings["optimizer"] == "sgd" and session.settings["lr"] == 0.5
    session.set(optimizer="adam")
    assert session.settings["lr"] == 0.01 and isinstance(session.optimizer, Adam)
    session.set(optimizer="momentum")
    assert session.settings["lr"] == 0.5 and session.optimizer.momentum == 0.9
    given = Session(hidden=[4], n=30, lr=0.2)
    given.set(optimizer="adam")
    assert given.settings["lr"] == 0.2


def test_optimizer_change_keeps_the_weights():
    session = Session(hidden=[4], n=30)
    session.train(2)
    w = weights(session)
    session.set(optimizer="adam")
    assert np.array_equal(weights(session), w) and session.epoch == 2


@pytest.mark.parametrize("schedule", ["step", "cosine"])
def test_each_epoch_trains_at_the_scheduled_rate(schedule):
    session = Session(hidden=[3], n=20, lr=0.4, lr_schedule=schedule, lr_period=3)
    used = []
    for _ in range(7):
        assert session.lr_now == scheduled_lr(0.4, session.epoch, schedule, 3)
        session.step()
        used.append(session.optimizer.lr)
    assert used == [scheduled_lr(0.4, e, schedule, 3) for e in range(7)]


# ---- the lecturer's own data ----------------------------------------------------------------------


def test_three_integral_labels_make_a_multiclass_task_and_keep_the_mapping():
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.array([10, 20, 30] * 10)
    session = Session(X=X, y=y, hidden=[4])
    assert session.task == "multiclass" and session.settings["classes"] == 3
    assert session.data.targets == [0.0, 1.0, 2.0] * 10
    X_back, y_back = session.get_data()
    assert np.array_equal(X_back, X) and np.array_equal(y_back, y)
    forced = Session(X=X, y=y, hidden=[4], task="regression")
    assert forced.task == "regression" and forced.data.targets == y.astype(float).tolist()


def test_text_labels_and_float_targets():
    X = np.random.default_rng(1).normal(size=(8, 2))
    session = Session(X=X, y=["cat", "dog"] * 4, hidden=[3])
    assert session.task == "binary" and session.labels.names() == ["cat", "dog"]
    assert session.get_data()[1].tolist() == ["cat", "dog"] * 4
    floats = Session(X=X, y=np.linspace(0, 1, 8), hidden=[3])
    assert floats.task == "regression"


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (np.zeros((6, 3)), [0, 1] * 3, r"shape \(n, 2\) or \(n, 1\)"),
        (np.zeros((6, 2)), [0, 1] * 2, "same number"),
        (np.zeros((6, 2)), [1] * 6, "at least two classes"),
        (np.zeros((6, 1)), [0, 1] * 3, "1-D points"),
        (np.full((6, 2), np.inf), [0, 1] * 3, "finite"),
        (np.zeros((12_000, 2)), [0, 1] * 6000, "X has 12,000 rows; at most 10,000"),
    ],
)
def test_bad_user_data_raises_clear_errors(X, y, message):
    with pytest.raises(ValueError, match=message):
        Session(X=X, y=y)


def test_added_points_keep_the_model_and_the_split_and_go_where_the_seed_says():
    session = Session(hidden=[4], n=40)
    session.train(2)
    w, split, extent = weights(session), session.data.test_flags, list(session.data.extent)
    session.add_points([[0.1, 0.2], [2.0, 2.0], [-1.0, 0.5]], [1, -1, 1])
    assert np.array_equal(weights(session), w) and session.epoch == 2
    assert session.data.test_flags[:40] == split and len(session.data.targets) == 43
    assert session.data.extent == extent  # the axes stay put while points come in
    twin = Session(hidden=[4], n=40)
    twin.add_points([[0.1, 0.2], [2.0, 2.0], [-1.0, 0.5]], [1, -1, 1])
    assert twin.data.test_flags == session.data.test_flags
    many = Session(hidden=[4], n=40)
    many.add_points(np.zeros((200, 2)), [1] * 200)
    assert 20 < sum(many.data.test_flags[40:]) < 60  # about test_fraction of them
    with pytest.raises(ValueError, match="unknown label 3"):
        session.add_points([[0.0, 0.0]], [3])


def test_clear_points_then_draw_a_new_set():
    session = Session(hidden=[4], n=40)
    session.clear_points()
    assert len(session.data.targets) == 0 and session.settings["data"] == "custom"
    session.step()
    assert session.status.startswith("no training points")
    session.add_points([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]], [1, 1, -1, -1])
    assert session.status == "" and math.isfinite(session.step()["loss"])


# ---- state() and from_state() ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"data": "spiral", "classes": 3, "batch_size": 16, "lr_schedule": "cosine", "lr_period": 4},
        {"data": "reg-gauss", "optimizer": "momentum", "lr": 0.05, "zero_grad": False, "lr_schedule": "step"},
        {"data": "sine", "features": ["x1", "sin(x1)"], "loss": "huber"},
        {"X": [[0, 0], [1, 1], [2, 0], [0, 2], [1, 0], [2, 2]], "y": ["a", "b", "c"] * 2, "test_fraction": 0},
    ],
)
def test_from_state_continues_bit_for_bit(settings):
    session = Session(hidden=[5], **settings)
    session.train(3)
    session.add_points([[v + 0.25 for v in p] for p in session.data.points[:2]], list(session.get_data()[1][:2]))
    state = session.state()
    assert json.loads(json.dumps(state, allow_nan=False)) == state  # JSON-serialisable, no NaN tokens
    assert ast.literal_eval(repr(state)) == state  # and a Python literal
    copy = Session.from_state(ast.literal_eval(repr(state)))
    assert [r["loss"] for r in copy.train(4)] == [r["loss"] for r in session.train(4)]
    assert [p.data for p in copy.params] == [p.data for p in session.params]
    assert copy.data.extent == session.data.extent and copy.data.scale == session.data.scale
    copy.reset(), session.reset()
    assert [p.data for p in copy.params] == [p.data for p in session.params]  # the snapshot came along too


def test_state_holds_grads_only_when_they_pile_up():
    assert Session(hidden=[3], n=20).state()["grads"] is None
    piled = Session(hidden=[3], n=20, zero_grad=False)
    piled.step()
    assert piled.state()["grads"] == [p.grad for p in piled.params]


def test_from_state_rejects_something_else():
    with pytest.raises(ValueError, match="not a trainer state"):
        Session.from_state({"settings": {}})


# ---- each task learns its data set on a seeded default run ----------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("settings", "epochs"),
    [
        ({"data": "spiral", "classes": 3}, 200),
        ({"data": "blobs", "classes": 4}, 60),
        ({"data": "yinyang"}, 160),
    ],
)
def test_multiclass_default_run_reaches_90_percent_training_accuracy(settings, epochs):
    session = Session(seed=0, **settings)
    session.train(epochs)
    assert session.history[-1]["accuracy"] >= 0.9, [round(r["accuracy"], 3) for r in session.history[-10:]]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "epochs"), [("reg-plane", 40), ("reg-gauss", 150), ("sine", 80)])
def test_regression_default_run_reaches_r2_of_0_8(name, epochs):
    session = Session(data=name, seed=0)
    session.train(epochs)
    row = session.history[-1]
    assert row["r2"] >= 0.8 and row["test_r2"] >= 0.7, row


def test_a_version_1_state_still_loads_and_another_version_says_which_it_is():
    session = Session(hidden=[3], n=20, batch_size=4)
    session.train(2)
    state = session.state()
    # what version 1 wrote: the data's seed at the top, no scale, no axes, no standardize setting
    old = json.loads(json.dumps(state))
    old.update(version=1, data_seed=old["data"].pop("seed"))
    for key in ("test_fraction", "scale", "extent"):
        old["data"].pop(key)
    old["settings"].pop("standardize")
    copy = Session.from_state(old)
    assert copy.train(3) == session.train(3)
    with pytest.raises(ValueError, match="reads versions 1 and 2\\): got version 7"):
        Session.from_state({**state, "version": 7})


class _BranchingMLP(MLP):
    """A model whose graph depends on the data: Python control flow on a value."""

    def __call__(self, x):
        out = super().__call__(x)
        first = x[0].data if hasattr(x[0], "data") else x[0]
        return out * 2 if first > 0 else out


def test_a_model_whose_graph_changes_with_the_data_trains_in_the_kernel_and_says_why():
    from micrograd_widgets.training.program import record

    model = _BranchingMLP(2, [4, 1], seed=0)
    X, y = data.moons(40, seed=0)
    session = Session(model=model, X=X, y=y)
    program = record(session)
    assert program["graphs"] == [] and "changes with the data" in program["reason"]
    plain = Session(model=MLP(2, [4, 1], seed=0), X=X, y=y)
    assert record(plain)["reason"] == "" and len(record(plain)["graphs"]) == 1
    assert math.isfinite(session.step()["loss"])  # the kernel trains it all the same
