"""The Trainer widget's model, driven as the view drives it (handlers called directly), no browser."""

import json
import math
import threading
import time

import numpy as np
import pytest
from helpers import wait_for

from micrograd_widgets import data
from micrograd_widgets.nn import MLP
from micrograd_widgets.widgets import Trainer


def small(**kwargs):
    return Trainer(**{"hidden": [4], "n": 40, **kwargs})


def send(trainer, **content):
    trainer._on_message(trainer, content, [])


def floats(buffer) -> np.ndarray:
    return np.frombuffer(buffer, dtype="<f8")


def history_table(t) -> np.ndarray:
    """The history rows the view gets: [epoch, loss, metric, test_loss, test_metric]."""
    return floats(t.train_state["history"]).reshape(-1, 5)


def sent_weights(t) -> list:
    return floats(t.train_state["weights"]).tolist()


def test_defaults_show_the_documented_setup():
    t = Trainer()
    assert (t.data, t.n, t.noise, t.test_fraction, t.hidden) == ("moons", 100, 0.1, 0.2, [16, 16])
    assert (t.activation, t.loss, t.lr, t.batch_size, t.l2) == ("relu", "hinge", 0.5, None, 1e-4)
    assert t.model.sizes == [2, 16, 16, 1] and t.train_state["sizes"] == [2, 16, 16, 1]
    assert t.dataset["count"] == 100 and len(t.dataset["points"]) == 100 * 2 * 8 and sum(t.dataset["split"]) == 20
    assert sent_weights(t) == [p.data for p in t.model.parameters()]  # float64: the page computes from the same bits
    # the page trains: one recorded graph, the full batch of 80 training points
    assert t.program["reason"] == "" and [g["length"] for g in t.program["graphs"]] == [80]


def test_train_runs_synchronously_and_fills_history():
    t = small()
    rows = t.train(epochs=3)
    assert [r["epoch"] for r in rows] == [1, 2, 3] and t.epoch == 3
    assert t.history == rows
    assert history_table(t)[:, 0].tolist() == [1, 2, 3]
    assert floats(t.train_state["figures"])[0] == rows[-1]["loss"]


def test_training_in_the_kernel_sends_new_weights_under_a_new_revision():
    # a new revision tells a page that trains to drop its own epochs and take these
    t = small()
    before, revision = sent_weights(t), t.train_state["revision"]
    t.train(1)
    assert sent_weights(t) != before and sent_weights(t) == [p.data for p in t.model.parameters()]
    assert t.train_state["revision"] > revision


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
    assert history_table(t).size == 0


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
    assert t.model.sizes == [2, 3, 2, 1] and t.train_state["sizes"] == [2, 3, 2, 1]
    t.set_state({"data": "circles"})
    assert t.session.settings["data"] == "circles"
    t.train(1)
    t.set_state({"batch_size": 12, "zero_grad": False, "loss": "bce"})
    assert t.epoch == 1  # these do not reset
    assert [g["length"] for g in t.program["graphs"]] == [12, 8]  # 32 training points: 2 batches of 12, one of 8
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
    structure = t.point["structure"]
    assert structure["n"] == len(t.point["data"]) // 8 == len(t.point["grad"]) // 8
    assert any(s.startswith("sample.5.layers.0.neurons.") for s in structure["scope"])
    # where each weight sits in the point's graph: the page puts its own weights there while it trains
    data = floats(t.point["data"])
    assert [data[i] for i in t.point["params"]] == [p.data for p in t.model.parameters()]
    send(t, type="select", index=-1)
    assert t.point == {}
    send(t, type="select", index=10_000)
    assert "point index" in t.status


def test_users_own_model_and_data():
    model = MLP(2, [6, 1], seed=2)
    X, y = data.circles(50, seed=0)
    start = model.state_dict()
    t = Trainer(model=model, X=X, y=y, loss="bce")
    assert t.model is model and t.hidden == [6] and t.data == "custom"
    assert np.array_equal(floats(t.dataset["points"]).reshape(-1, 2), X)  # the user's points are the ones shown
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


def test_a_trainer_played_before_it_is_shown_moves_to_the_page_that_shows_it():
    t = small()
    t.play()  # t = Trainer(); t.play(); t -- the thread starts before any view
    assert wait_for(lambda: t.epoch >= 1) and t._runner.playing
    t._on_message(t, {"type": "view", "event": "open", "view": "v", "engine": "page-1"}, [])
    assert t.driver == "page-1" and t.running
    assert t.wait(5) and not t._runner.running, "the kernel's thread stops: the page trains"
    trained = t.epoch
    assert t.train_state["epoch"] == trained, "the page starts from the thread's last epoch"
    t.close()


def test_the_history_sent_is_thinned_on_long_runs(monkeypatch):
    from micrograd_widgets.widgets import _trainer_state as module

    monkeypatch.setattr(module, "MAX_CURVE_ROWS", 4)
    t = small()
    t.train(10)
    thinned = history_table(t)
    assert len(thinned) == 4 and thinned[0, 0] == 1 and thinned[-1, 0] == 10
    assert t.train_state["history_count"] == 10


# ---- tasks, features, optimizers from the widget ---------------------------------------


def test_multiclass_trainer_publishes_k_probabilities_per_cell_and_its_class_names():
    t = small(data="spiral", classes=3)
    assert (t.task, t.classes, t.loss, t.optimizer, t.lr) == ("multiclass", 3, "cross_entropy", "adam", 0.01)
    assert t.train_state["sizes"] == [2, 4, 3] and t.dataset["class_names"] == ["0", "1", "2"]
    assert sorted(set(np.frombuffer(t.dataset["labels"], np.int8).tolist())) == [0, 1, 2]
    # each point's target leaves: one-hot over the 3 classes
    targets = floats(t.dataset["loss_targets"]).reshape(-1, 3)
    assert targets.argmax(axis=1).tolist() == floats(t.dataset["targets"]).astype(int).tolist()


def test_regression_trainer_sends_r2_in_the_accuracy_columns():
    t = small(data="reg-gauss")
    t.train(2)
    assert t.task == "regression" and t.classes == 0
    curves = history_table(t)
    assert curves[-1, 2] == t.history[-1]["r2"] and curves[-1, 4] == t.history[-1]["test_r2"]
    assert floats(t.dataset["targets"]).tolist() == t.session.data.targets


def test_sine_trainer_sends_a_curve_and_points_at_their_targets():
    t = small(data="sine")
    assert t.dataset["dims"] == 1 and t.dataset["axis_labels"] == ["x", "target"]
    points = floats(t.dataset["points"]).reshape(-1, 2)
    assert points[:, 1].tolist() == t.session.data.targets


def test_features_from_the_view_rebuild_the_network_and_send_their_maps():
    t = small()
    t.set_state({"features": ["x1", "x2", "x1*x2"]})
    assert t.train_state["sizes"] == [3, 4, 1] and len(floats(t.dataset["rows"])) == 3 * 40
    t.set_state({"features": ["x1", "x5"]})
    assert "unknown feature" in t.status and t.features == ["x1", "x2", "x1*x2"]


def test_task_from_the_view_switches_the_data_set_and_the_defaults():
    t = small()
    t.set_state({"task": "regression"})
    assert (t.data, t.loss, t.optimizer, t.lr) == ("reg-plane", "mse", "adam", 0.01)
    t.set_state({"optimizer": "sgd"})
    assert t.lr == 0.5


def test_lr_now_follows_the_schedule():
    t = small(lr=0.4, lr_schedule="step", lr_period=2)
    t.train(4)
    assert t.lr_now == 0.1


# ---- for the instructor: hide, lock, state, copy setup ---------------------------------


def test_hide_and_lock_take_the_views_control_names_and_refuse_others():
    t = small(hide=["loss", "l2"], lock=["data", "new_data"])
    assert t.hide == ["loss", "l2"] and t.lock == ["data", "new_data"]
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['los'\]; accepted: data, n, noise"):
        small(hide=["los"])
    with pytest.raises(ValueError, match="lock: unknown control"):
        t.lock = ["everything"]
    assert t.lock == ["data", "new_data"]
    t.loss = "bce"  # Python can still set a hidden setting
    assert t.session.settings["loss"] == "bce"


def test_copy_setup_answers_a_python_expression_that_rebuilds_the_trainer_exactly():
    t = small(data="spiral", classes=3, batch_size=8, hide=["l2"], show_test=True)
    t.train(2)
    sent = []
    t.send = lambda content, buffers=None: sent.append(content)
    send(t, type="copy_setup")
    (answer,) = sent
    assert answer["type"] == "setup" and answer["text"].startswith("Trainer.from_state('mgw2:")
    copy = eval(answer["text"], {"Trainer": Trainer})  # what a pasted cell does
    assert copy.hide == ["l2"] and copy.show_test and copy.epoch == 2
    assert [r["loss"] for r in copy.train(3)] == [r["loss"] for r in t.train(3)]


def test_state_is_json_and_from_state_continues_bit_for_bit():
    t = small(data="reg-plane", optimizer="momentum", lr=0.05, zero_grad=False)
    t.train(2)
    state = json.loads(json.dumps(t.state(), allow_nan=False))
    copy = Trainer.from_state(state)
    assert [r["loss"] for r in copy.train(3)] == [r["loss"] for r in t.train(3)]


# ---- the lecturer's own data -----------------------------------------------------------


class _Table:
    """A table as pandas shows it (.columns, .to_numpy()), without pandas."""

    def __init__(self, columns):
        self._columns = columns

    @property
    def columns(self):
        return list(self._columns)

    def to_numpy(self):
        return np.column_stack(list(self._columns.values()))


def test_a_tables_column_names_become_the_axis_labels():
    X = _Table({"height": np.arange(8.0), "weight": np.arange(8.0) % 3})
    t = Trainer(X=X, y=["a", "b"] * 4, hidden=[3])
    assert t.dataset["axis_labels"] == ["height", "weight"] and t.dataset["class_names"] == ["a", "b"]
    assert t.get_data()[1].tolist() == ["a", "b"] * 4


def test_from_csv_reads_columns_and_says_what_is_wrong(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("a,b,label\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(10)))
    t = Trainer.from_csv(path, x=["a", "b"], y="label", hidden=[3])
    assert t.dataset["axis_labels"] == ["a", "b"] and t.task == "binary" and len(t.get_data()[0]) == 10
    with pytest.raises(ValueError, match=r"column\(s\) \['c'\] not in .*its columns are \['a', 'b', 'label'\]"):
        Trainer.from_csv(path, x=["a", "c"], y="label")
    with pytest.raises(ValueError, match="cannot read CSV file"):
        Trainer.from_csv(tmp_path / "missing.csv", x=["a", "b"], y="label")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,label\n1,x,0\n")
    with pytest.raises(ValueError, match="line 2: column 'b' is not a number"):
        Trainer.from_csv(bad, x=["a", "b"], y="label")


def test_a_click_in_draw_mode_adds_a_point_that_python_sees():
    t = small()
    w = [p.data for p in t.session.params]
    send(t, type="add_point", x=0.25, y=-0.5, label=1)
    X, y = t.get_data()
    assert X[-1].tolist() == [0.25, -0.5] and y[-1] == 1 and len(y) == 41
    assert [p.data for p in t.session.params] == w
    assert floats(t.dataset["points"]).reshape(-1, 2)[-1].tolist() == [0.25, -0.5]
    send(t, type="add_point", x="left", y=0, label=1)
    assert "add_point" in t.status
    send(t, type="clear_points")
    assert len(t.get_data()[1]) == 0 and t.data == "custom"


def test_add_points_from_python_use_the_trainers_labels():
    t = small(data="blobs", classes=4)
    t.add_points([[0.0, 0.0], [1.0, 1.0]], [3, 0])
    assert t.get_data()[1][-2:].tolist() == [3, 0]
    with pytest.raises(ValueError, match="unknown label 7"):
        t.add_points([[0.0, 0.0]], [7])


def test_a_setting_the_session_refuses_goes_back_to_the_sessions_value():
    t = small()
    t.set_state({"classes": 3})  # moons has two classes, always
    assert "classes= works for spiral and blobs" in t.status
    assert t.classes == 2 and t.session.settings["classes"] == 2


def test_locking_the_data_locks_what_would_change_it_and_the_kernel_refuses_it_from_the_view():
    t = small(lock=["data"])
    assert set(t.locked) >= {"data", "n", "noise", "test_fraction", "new_data", "draw", "undo_point", "clear_points"}
    points = t.get_data()[0].tolist()
    send(t, type="add_point", x=0.5, y=0.5, label=1)  # a page that did not disable draw mode
    send(t, type="regenerate")
    assert t.get_data()[0].tolist() == points and "locked: " in t.status
    t.set_state({"noise": 0.3, "lr": 0.2})
    assert t.session.settings["noise"] == 0.1 and t.session.settings["lr"] == 0.2, "noise is locked, lr is not"
    t.noise = 0.3  # Python can still set everything
    assert t.session.settings["noise"] == 0.3
    t.lock = []
    assert t.locked == []


def test_a_weight_edited_in_the_page_reaches_the_session_and_bad_edits_say_why():
    t = small()
    revision = t.train_state["revision"]
    send(t, type="edit", index=3, value=-0.25)
    assert t.session.params[3].data == -0.25 and t.state()["weights"][3] == -0.25
    assert t.train_state["revision"] == revision, "the page has it already: no new revision to reload"
    send(t, type="edit", index=10_000, value=1.0)
    assert "no weight 10000" in t.status
    send(t, type="edit", index=2, value=float("nan"))
    assert "finite number" in t.status and math.isfinite(t.session.params[2].data)
    locked = small(lock=["edit"])
    send(locked, type="edit", index=0, value=9.0)
    assert locked.session.params[0].data != 9.0 and "locked" in locked.status


def test_a_step_the_page_took_reaches_the_kernel_when_no_page_drives():
    # the page's step report: what a page that never played sends (js/trainer/engine.js step())
    from micrograd_widgets.widgets import _trainer_state as wire_state

    t = small()
    kernel = Trainer.from_state(t.state())
    kernel.train(1)  # what the page computed, as the kernel computes it
    state = wire_state.train_state(kernel.session, t.train_state["revision"])
    numbers = b"".join(
        [state["weights"], state["optimizer"]["velocity"], np.array(wire_state.curve_rows(kernel.history)).tobytes()]
    )
    report = {
        "revision": state["revision"],
        "epoch": 1,
        "rows": 1,
        "grads": False,
        "optimizer": {"kind": "sgd", "steps": 0},
    }
    send_buffers = [numbers, state["shuffle"]]
    t._on_message(t, {"type": "step", "engine": "page-1", "report": report}, send_buffers)
    assert t.epoch == 1 and t.state()["weights"] == kernel.state()["weights"]
    t._on_message(t, {"type": "view", "event": "open", "view": "v", "engine": "page-2"}, [])
    t.play()  # page-2 drives now: another page's report is not taken
    before = t.state()
    t._on_message(t, {"type": "report", "engine": "page-1", "report": {**report, "epoch": 2}}, send_buffers)
    assert t.state() == before
