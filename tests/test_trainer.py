"""The Trainer widget's model, driven as the view drives it (handlers called directly), no browser."""

import math
import threading
import time

import numpy as np
import pytest

from micrograd_widgets import data
from micrograd_widgets.nn import MLP
from micrograd_widgets.widgets import Trainer


def small(**kwargs):
    return Trainer(**{"hidden": [4], "n": 40, **kwargs})


def send(trainer, **content):
    trainer._on_message(trainer, content, [])


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_defaults_show_the_documented_setup():
    t = Trainer()
    assert (t.data, t.n, t.noise, t.test_fraction, t.hidden) == ("moons", 100, 0.1, 0.2, [16, 16])
    assert (t.activation, t.loss, t.lr, t.batch_size, t.l2) == ("relu", "hinge", 0.5, None, 1e-4)
    assert t.model.sizes == [2, 16, 16, 1]
    assert len(t.boundary) == 100 * 100 * 4  # float32 per cell
    assert len(t.points) == 100 * 2 * 8 and sum(t.split) == 20


def test_train_runs_synchronously_and_fills_history():
    t = small()
    rows = t.train(epochs=3)
    assert [r["epoch"] for r in rows] == [1, 2, 3] and t.epoch == 3
    assert t.history == rows
    curves = np.frombuffer(t.curves, dtype="<f8").reshape(-1, 5)
    assert curves[:, 0].tolist() == [1, 2, 3]
    figures = np.frombuffer(t.figures, dtype="<f8")
    assert figures[0] == pytest.approx(rows[-1]["loss"])


def test_boundary_changes_between_epochs():
    t = small()
    before = t.boundary
    t.train(1)
    assert t.boundary != before


def test_play_and_pause_messages_train_in_the_background_and_stop():
    t = small()
    send(t, type="play")
    assert wait_for(lambda: t.epoch >= 3)
    send(t, type="pause")
    assert t.wait(10)
    stopped = t.epoch
    time.sleep(0.2)
    assert t.epoch == stopped and not t.running
    assert len(t.history) == stopped


def test_a_control_set_while_playing_applies_and_training_goes_on():
    t = small()
    t.play()
    assert wait_for(lambda: t.epoch >= 1)
    t.lr = 0.2  # queued for the training thread: the setter does not wait for training to end
    assert t.running
    assert wait_for(lambda: t.session.settings["lr"] == 0.2)
    changed_at = t.epoch
    assert wait_for(lambda: t.epoch >= changed_at + 2)
    t.pause()
    assert t.wait(10)
    assert t.session.settings["lr"] == 0.2 and t.lr == 0.2


def test_step_message_adds_exactly_one_epoch():
    t = small()
    t.train(2)
    send(t, type="step")
    assert t.wait(10)
    assert t.epoch == 3 and not t.running


def test_reset_message_restores_the_snapshot():
    t = small()
    start = t.model.state_dict()
    t.train(3)
    send(t, type="reset")
    assert t.wait(10)
    assert t.epoch == 0 and t.history == [] and t.model.state_dict() == start
    assert np.frombuffer(t.curves).size == 0


def test_divergence_pauses_and_says_so():
    t = small(loss="mse", lr=1e3)
    t.play()
    assert t.wait(30)
    assert t.status == f"diverged at epoch {t.epoch}: lower the learning rate"
    assert not t.running
    t.play()  # refused until reset
    assert t.wait(5) and not t.running
    t.reset()
    t.lr = 0.01
    assert t.status == "" and t.epoch == 0
    t.train(1)
    assert math.isfinite(t.history[-1]["loss"])


def test_bad_values_from_python_raise_clear_errors():
    t = small()
    with pytest.raises(ValueError, match="learning rate"):
        t.lr = 0
    with pytest.raises(ValueError, match="empty architecture"):
        t.hidden = []
    with pytest.raises(ValueError, match="at most 4 hidden layers"):
        t.hidden = [2, 2, 2, 2, 2]
    with pytest.raises(ValueError, match="speed"):
        t.speed = -1
    with pytest.raises(ValueError, match="unknown data set"):
        Trainer(data="iris")
    assert t.lr == 0.5 and t.hidden == [4]


def test_a_bad_value_from_the_view_shows_in_status_and_keeps_the_old_value():
    t = small()
    t.set_state({"lr": -1.0})
    assert "learning rate" in t.status
    assert t.lr == 0.5 and t.session.settings["lr"] == 0.5


def test_controls_from_the_view_apply_at_the_next_epoch():
    t = small()
    t.set_state({"hidden": [3, 2]})
    assert t.model.sizes == [2, 3, 2, 1] and t.sizes == [2, 3, 2, 1]
    t.set_state({"data": "circles"})
    assert t.session.settings["data"] == "circles"
    t.train(1)
    t.set_state({"batch_size": 8, "zero_grad": False, "loss": "bce"})
    assert t.epoch == 1  # these do not reset
    t.train(1)
    assert t.epoch == 2


def test_architecture_change_while_playing_takes_effect_without_corrupting_state():
    t = small()
    t.play()
    assert wait_for(lambda: t.epoch >= 2)
    t.hidden = [3]
    assert wait_for(lambda: t.model.sizes == [2, 3, 1])
    t.pause()
    t.wait(10)
    assert [r["epoch"] for r in t.history] == list(range(1, t.epoch + 1))
    assert all(math.isfinite(r["loss"]) for r in t.history)


def test_clicking_a_point_sends_its_loss_graph_grouped_by_sample():
    t = small()
    send(t, type="select", index=5)
    assert t.selected == 5
    structure = t.point_structure
    assert structure["n"] == len(t.point_data) // 8 == len(t.point_grad) // 8
    assert any(s.startswith("sample.5.layers.0.neurons.") for s in structure["scope"])
    send(t, type="select", index=-1)
    assert t.point_structure == {}
    send(t, type="select", index=10_000)
    assert "point index" in t.status


def test_hidden_maps_and_weights_cover_the_first_two_hidden_layers():
    t = Trainer(hidden=[5, 3, 2], n=20)
    assert len(t.hidden_maps) == (5 + 3) * t.hidden_cells**2 * 4
    assert len(t.weights) == (5 * 2 + 3 * 5 + 2 * 3 + 1 * 2) * 4


def test_users_own_model_and_data():
    model = MLP(2, [6, 1], seed=2)
    X, y = data.circles(50, seed=0)
    start = model.state_dict()
    t = Trainer(model=model, X=X, y=y, loss="bce")
    assert t.model is model and t.hidden == [6] and t.data == "custom"
    assert np.array_equal(np.frombuffer(t.points).reshape(-1, 2), X)  # the user's points are the ones shown
    t.train(2)
    assert model.state_dict() != start  # trained in place
    t.reset()
    assert t.epoch == 0 and model.state_dict() == start  # reset: back to the user's own weights


class RecordingWake(threading.Event):
    """The runner's slow-motion wait, recorded instead of slept: (timeout, already set?) per wait."""

    def __init__(self):
        super().__init__()
        self.waits = []

    def wait(self, timeout=None):
        self.waits.append((timeout, self.is_set()))
        return super().wait(0)


@pytest.mark.parametrize("speed", [10.0, 0.0])
def test_speed_waits_out_each_epochs_share_of_a_second(speed):
    t = small(speed=speed)
    wake = t._runner._wake = RecordingWake()
    t.pause()
    t.play()  # pause then play again: the pause's wake-up must not cut the next waits short
    assert wait_for(lambda: t.epoch >= 4)
    waits = list(wake.waits)
    t.pause()
    assert t.wait(10)
    if speed == 0:
        assert waits == []  # full speed: no wait at all
        return
    assert len(waits) >= 3  # one wait between every two epochs
    assert all(0 <= timeout <= 1 / speed and not already_set for timeout, already_set in waits), waits


def test_closing_while_playing_stops_the_training_thread():
    t = small()
    t.play()
    assert wait_for(lambda: t.epoch >= 1)
    t.close()
    assert t.wait(0) and not t._runner.running


def test_curves_follow_the_history_across_resets_and_long_runs(monkeypatch):
    from micrograd_widgets.widgets import trainer as module

    monkeypatch.setattr(module, "MAX_CURVE_ROWS", 4)
    t = small()
    t.train(3)
    first = np.frombuffer(t.curves).reshape(-1, 5).copy()
    t.session.reset()  # behind the widget's back: the cache must notice
    t.lr = 0.05
    t.train(3)
    again = np.frombuffer(t.curves).reshape(-1, 5)
    assert again[:, 0].tolist() == [1, 2, 3] and not np.array_equal(again, first)
    assert again[-1, 1] == t.history[-1]["loss"]
    t.train(7)
    thinned = np.frombuffer(t.curves).reshape(-1, 5)
    assert len(thinned) == 4 and thinned[0, 0] == 1 and thinned[-1, 0] == 10
