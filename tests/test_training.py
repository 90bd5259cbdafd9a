"""The training session: plain Python, no widget, no thread."""

import math

import numpy as np
import pytest

from micrograd_widgets import data
from micrograd_widgets.nn import MLP
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


def test_history_rows_hold_train_and_test_figures():
    session = Session(test_fraction=0.25, n=40, hidden=[4])
    (row,) = session.train(1)
    assert set(row) == {"epoch", "loss", "accuracy", "test_loss", "test_accuracy"}
    assert session.is_test.sum() == 10
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
        ({"n": 1}, "n (the number of points)"),
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
    assert set(session.y) == {-1.0, 1.0}


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
    old = session.X.copy()
    session.regenerate()
    assert not np.array_equal(session.X, old)


def test_mini_batches_take_several_steps_per_epoch():
    full = Session(hidden=[4], n=40, test_fraction=0)
    mini = Session(hidden=[4], n=40, test_fraction=0, batch_size=10)
    assert len(full._batches()) == 1
    assert [len(b) for b in mini._batches()] == [10, 10, 10, 10]


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


def test_boundary_and_hidden_maps_have_the_promised_shapes():
    session = Session(hidden=[5, 3])
    assert session.boundary().shape == (100 * 100,)
    assert session.boundary().dtype == np.float32
    assert session.hidden_maps(cells=10).shape == (8, 100)
    x_min, x_max, y_min, y_max = session.extent
    assert x_min < session.X[:, 0].min() and y_max > session.X[:, 1].max()
