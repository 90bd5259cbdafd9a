"""Trainer: train an MLP live on a 2-D data set (or a 1-D fit), the plane repainted every epoch.

The class is thin: traitlets and message handlers. The training itself is the
plain ``training.Session``; ``training.Runner`` plays it on a background
thread; the browser side is ``js/trainer/index.js``.
"""

import math
from pathlib import Path

import anywidget
import numpy as np
import traitlets

from .. import wire
from .._bundle import bundle_path
from .._checks import name_list
from ..training import Runner, Session, validate
from ..training.userdata import read_csv
from ..training.views import Views

SETTINGS = (
    "data",
    "n",
    "noise",
    "test_fraction",
    "hidden",
    "activation",
    "loss",
    "lr",
    "batch_size",
    "l2",
    "zero_grad",
    "task",
    "classes",
    "features",
    "optimizer",
    "lr_schedule",
    "lr_period",
)
VIEW_SETTINGS = ("discretize", "show_test")  # how the plane is painted: the view's alone
# every name hide= and lock= accept: the settings, and the view's buttons and boxes
CONTROLS = (
    *SETTINGS,
    *VIEW_SETTINGS,
    "speed",
    "play",
    "pause",
    "step",
    "reset",
    "new_data",
    "copy_setup",
    "draw",
    "clear_points",
    "point",
)
HIDDEN_CELLS = 20  # each hidden neuron's heatmap is HIDDEN_CELLS x HIDDEN_CELLS
MAX_CURVE_ROWS = 1000  # longer histories are thinned before sending (the last row always goes)
NO_VIEW = "paused: no view"  # the status while the last view is gone (a new view plays on)


class SettingError(ValueError, traitlets.TraitError):
    """A bad control value: a ValueError for users, a TraitError so traitlets rolls the change back."""


class Trainer(anywidget.AnyWidget):
    """Train an MLP live: ``Trainer()``, ``Trainer(data='spiral', classes=3)``, ``Trainer(task='regression')``,
    ``Trainer(X=X, y=y)`` on your own points, or ``Trainer(model=mlp, X=X, y=y, loss='bce')``."""

    _esm = bundle_path("trainer.js")
    _css = bundle_path("trainer.css")

    # ---- settings: set from Python or the view; checked by training.validate ---------
    data = traitlets.Unicode("moons").tag(sync=True)
    n = traitlets.Int(100).tag(sync=True)
    noise = traitlets.Float(0.1).tag(sync=True)
    test_fraction = traitlets.Float(0.2).tag(sync=True)
    hidden = traitlets.List(traitlets.Int(), default_value=[16, 16]).tag(sync=True)
    activation = traitlets.Unicode("relu").tag(sync=True)
    loss = traitlets.Unicode("hinge").tag(sync=True)
    lr = traitlets.Float(0.5).tag(sync=True)  # Trainer(lr=None): 0.5 for sgd/momentum, 0.01 for adam
    batch_size = traitlets.Int(None, allow_none=True).tag(sync=True)  # None: full batch
    l2 = traitlets.Float(1e-4).tag(sync=True)
    zero_grad = traitlets.Bool(True).tag(sync=True)
    task = traitlets.Unicode("binary").tag(sync=True)  # binary | multiclass | regression
    classes = traitlets.Int(2).tag(sync=True)  # K; 0 in regression
    features: traitlets.List[str] = traitlets.List(traitlets.Unicode(), default_value=["x1", "x2"]).tag(sync=True)
    optimizer = traitlets.Unicode("sgd").tag(sync=True)  # sgd | momentum | adam
    lr_schedule = traitlets.Unicode("constant").tag(sync=True)  # constant | step | cosine
    lr_period = traitlets.Int(50).tag(sync=True)
    speed = traitlets.Float(0.0).tag(sync=True)  # epochs per second; 0 = as fast as it goes
    discretize = traitlets.Bool(False).tag(sync=True)
    show_test = traitlets.Bool(False).tag(sync=True)

    # ---- for the instructor: controls hidden or shown disabled (data-setting names) ---------
    hide: traitlets.List[str] = traitlets.List(traitlets.Unicode(), default_value=[]).tag(sync=True)
    lock: traitlets.List[str] = traitlets.List(traitlets.Unicode(), default_value=[]).tag(sync=True)

    # ---- progress: Python -> view ------------------------------------------------------
    epoch = traitlets.Int(0).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    running = traitlets.Bool(False).tag(sync=True)
    figures = traitlets.Bytes(b"").tag(sync=True)  # float64 [loss, accuracy, test_loss, test_accuracy] now
    curves = traitlets.Bytes(b"").tag(sync=True)  # float64 rows [epoch, loss, accuracy, test_loss, test_accuracy]
    metric = traitlets.Unicode("accuracy").tag(sync=True)  # "r2" in regression: the accuracy columns hold R²
    lr_now = traitlets.Float(0.5).tag(sync=True)  # the rate the next epoch uses (after the schedule)

    # ---- the plane: points once per data set, the boundary every epoch --------------
    points = traitlets.Bytes(b"").tag(sync=True)  # float64 (x, y) per point; (x, target) on a 1-D fit
    labels = traitlets.Bytes(b"").tag(sync=True)  # int8 per point: -1 / +1, class 0..K-1, or 0 in regression
    targets = traitlets.Bytes(b"").tag(sync=True)  # float64 per point: the regression target or class id
    dims = traitlets.Int(2).tag(sync=True)  # 1 for a 1-D fit
    axis_labels: traitlets.List[str] = traitlets.List(["x1", "x2"]).tag(sync=True)
    class_names: traitlets.List[str] = traitlets.List([]).tag(sync=True)  # the user's labels, class by class
    split = traitlets.Bytes(b"").tag(sync=True)  # uint8: 1 = test point
    extent: traitlets.List[float] = traitlets.List([]).tag(sync=True)  # [x_min, x_max, y_min, y_max]
    cells = traitlets.Int(100).tag(sync=True)
    # float32, row 0 at y_min: cells x cells scores; multi-class: cells x cells x K probabilities
    # (point-major); regression: predictions; empty on a 1-D fit
    boundary = traitlets.Bytes(b"").tag(sync=True)
    boundary_range: traitlets.List[float] = traitlets.List([]).tag(sync=True)  # regression: [lo, hi] of targets
    curve = traitlets.Bytes(b"").tag(sync=True)  # 1-D fit: float32, 200 x values then the predictions

    # ---- the network: hidden-neuron heatmaps and weights -----------------------------
    sizes: traitlets.List[int] = traitlets.List([]).tag(sync=True)  # [2, hidden..., 1]
    hidden_cells = traitlets.Int(HIDDEN_CELLS).tag(sync=True)
    hidden_maps = traitlets.Bytes(b"").tag(sync=True)  # float32, first two hidden layers, one map per neuron
    weights = traitlets.Bytes(b"").tag(sync=True)  # float32, every layer's W (nout x nin) in order
    feature_maps = traitlets.Bytes(b"").tag(sync=True)  # float32, one map per chosen input feature

    # ---- the selected point's loss graph (wire.structure + packed numbers) -----------
    selected = traitlets.Int(-1).tag(sync=True)
    point_structure = traitlets.Dict({}).tag(sync=True)
    point_data = traitlets.Bytes(b"").tag(sync=True)
    point_grad = traitlets.Bytes(b"").tag(sync=True)

    def __init__(
        self,
        data=None,
        n=100,
        noise=0.1,
        test_fraction=0.2,
        hidden=(16, 16),
        activation="relu",
        loss=None,
        lr=None,
        batch_size=None,
        l2=1e-4,
        seed=0,
        *,
        model=None,
        X=None,
        y=None,
        zero_grad=True,
        speed=0.0,
        task=None,
        classes=None,
        features=None,
        optimizer=None,
        lr_schedule="constant",
        lr_period=50,
        discretize=False,
        show_test=False,
        hide=(),
        lock=(),
        _session=None,
        **kwargs,
    ):
        hide, lock = _check_controls("hide", hide), _check_controls("lock", lock)
        if _session is not None:  # from_state
            self._session = _session
        else:
            self._session = Session(
                data=data,
                n=n,
                noise=noise,
                test_fraction=test_fraction,
                hidden=hidden,
                activation=activation,
                loss=loss,
                lr=lr,
                batch_size=batch_size,
                l2=l2,
                seed=seed,
                zero_grad=zero_grad,
                model=model,
                X=X,
                y=y,
                task=task,
                classes=classes,
                features=features,
                optimizer=optimizer,
                lr_schedule=lr_schedule,
                lr_period=lr_period,
            )
        self._runner = Runner(self._session, self._send_state)
        # NOTE [a trainer plays only while it is seen]
        # Once a view has attached, the trainer pauses when the last one goes
        # (re-run cell, cleared output, closed tab: training.views) and sends
        # nothing big while none is there; the next view shows where it stopped
        # and plays on. A trainer never displayed (a script) plays as told.
        self._views = Views()
        self._no_view = False  # paused because the last view went: the next one plays on
        self._stale = False  # states were skipped while no view looked: the next view needs one
        self._runner.between_epochs = self._check_views
        self._error = ""
        self._point_key = None
        self._curve_cache = np.zeros((0, 5))
        self._published_settings = self._settings()
        super().__init__(
            **self._settings(),
            speed=_check_speed(speed),
            discretize=bool(discretize),
            show_test=bool(show_test),
            hide=hide,
            lock=lock,
            **kwargs,
        )
        self._runner.speed = self.speed
        self._send_state(self._session, True)
        self.on_msg(self._on_message)

    # ---- public API ---------------------------------------------------------------------

    @property
    def model(self):
        """The MLP being trained."""
        return self._session.model

    @property
    def history(self) -> list:
        """One dict per epoch: epoch, loss, accuracy, test_loss, test_accuracy (NaN without a test set)."""
        return list(self._session.history)

    @property
    def session(self):
        """The plain training.Session underneath."""
        return self._session

    def train(self, epochs=1) -> list:
        """Run ``epochs`` epochs now, synchronously (stops at divergence); returns the new history rows."""
        self.pause()
        self._runner.join()
        rows = []
        self._runner.submit(lambda session: rows.extend(session.train(epochs)))
        return rows

    def play(self):
        """Train on a background thread until pause() (or divergence)."""
        self._no_view = False
        self.running = True  # before the thread starts, so its final "stopped" always comes later
        if not self._runner.play():
            self.running = False

    def pause(self):
        """Stop training now; an epoch in progress is dropped (its update never happens)."""
        self._no_view = False
        self._runner.pause()

    def step(self):
        """Train one more epoch (in the background); while playing, stop after it."""
        self.running = True
        self._runner.step()

    def reset(self):
        """Pause and put the weights back to the snapshot taken at the start; clears the history."""
        self._runner.pause()
        self._error = self._runner.error = ""
        self._runner.submit(lambda session: session.reset())

    def regenerate(self):
        """Pause, draw new points from the same data set, and reset."""
        self._runner.pause()
        self._runner.submit(lambda session: session.regenerate())

    def select(self, index):
        """Show point ``index``'s loss graph inside the trainer (-1 hides it)."""
        index = -1 if index is None else index
        count = len(self._session.y)
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not -1 <= index < count:
            raise ValueError(f"point index must be in [0, {count - 1}] (or -1 for none), got {index!r}")
        self.selected = int(index)

    def close(self):
        """Stop training and release the model and its graphs, then close the widget.

        The thread stops first: it must not write to a closed comm. anywidget keeps a
        closed widget object alive, so the widget lets go of the session itself.
        """
        runner = getattr(self, "_runner", None)
        if runner is not None and not runner.closed:
            session = runner.session
            runner.close()
            self._session = _Closed(session)
        super().close()

    def wait(self, timeout=None) -> bool:
        """Block until background training stops; True if it did."""
        return self._runner.join(timeout)

    # ---- the data, and saving the whole setup -----------------------------------------------

    @classmethod
    def from_csv(cls, path, x, y, **options) -> "Trainer":
        """A trainer on a CSV file's columns: ``x`` (one or two names) as the points, ``y`` as labels or targets."""
        X, labels, names = read_csv(Path(path), x, y)
        trainer = cls(X=X, y=labels, **options)
        trainer._session.axis_labels = list(names) if len(names) == 2 else [names[0], str(y)]
        trainer.axis_labels = _axis_labels(trainer._session)
        return trainer

    def get_data(self):
        """(X, y) as numpy arrays, y in the convention the trainer was given (built-in sets: -1/+1, 0..K-1, floats)."""
        return self._session.get_data()

    def add_points(self, X, y):
        """Add points (y in the trainer's convention); the model and the split of the other points stay."""
        points, labels = self._session.prepare_points(X, y)  # bad input raises here, not on the training thread
        self._runner.submit(lambda session: self._append(session, points, labels))

    def _append(self, session, points, labels):
        try:
            session.append_points(points, labels)
        except ValueError as error:  # the data changed under a queued add: say so, keep training
            self._error = str(error)

    def clear_points(self):
        """Remove every point, to draw a data set from scratch; the model stays."""
        self._runner.submit(lambda session: session.clear_points())

    def state(self) -> dict:
        """Settings, data, split, weights, optimizer state, schedule position, random states and epoch,
        as plain data (JSON-serialisable); ``Trainer.from_state(state)`` continues bit for bit."""
        with self._session.lock:
            state = self._session.state()
        state["view"] = {
            "discretize": self.discretize,
            "show_test": self.show_test,
            "speed": self.speed,
            "hide": list(self.hide),
            "lock": list(self.lock),
        }
        return state

    @classmethod
    def from_state(cls, state: dict, **options) -> "Trainer":
        """The trainer ``state()`` came from, rebuilt: its next epochs' losses are the same to the bit."""
        session = Session.from_state(state)
        view = {**state.get("view", {}), **options}
        return cls(_session=session, **view)

    def setup_text(self) -> str:
        """``Trainer.from_state({...})`` as Python source: paste it into a cell to get this trainer back."""
        return f"Trainer.from_state({self.state()!r})"

    # ---- settings from Python or the view ------------------------------------------------

    @traitlets.validate(*SETTINGS)
    def _validate_setting(self, proposal):
        name = proposal["trait"].name
        value = proposal["value"]
        if name == "data" and value == "custom" and self._session.settings["data"] == "custom":
            return value
        try:
            return validate(**{name: value})[name]
        except ValueError as error:
            raise SettingError(str(error)) from None

    @traitlets.validate("hide", "lock")
    def _validate_controls(self, proposal):
        try:
            return _check_controls(proposal["trait"].name, proposal["value"])
        except ValueError as error:
            raise SettingError(str(error)) from None

    @traitlets.validate("speed")
    def _validate_speed(self, proposal):
        try:
            return _check_speed(proposal["value"])
        except ValueError as error:
            raise SettingError(str(error)) from None

    @traitlets.observe(*SETTINGS)
    def _on_setting(self, change):
        name, value = change["name"], change["new"]
        if self._session.settings.get(name) == value:
            return  # our own echo of the session's state
        self._error = ""

        def apply(session):
            try:
                session.set(**{name: value})
            except ValueError as error:  # e.g. a split that leaves no training points
                self._error = str(error)
                self._published_settings = None  # send the session's settings back: the control shows them

        self._runner.submit(apply)

    @traitlets.observe("speed")
    def _on_speed(self, change):
        self._runner.speed = change["new"]

    @traitlets.observe("selected")
    def _on_selected(self, change):
        self._point_key = None
        self._runner.submit(lambda session: None)  # publish now (or at the next epoch)

    def set_state(self, sync_data):
        # A bad value from the view must not vanish into the kernel log: show it and put the control back.
        try:
            super().set_state(sync_data)
        except (ValueError, traitlets.TraitError) as error:  # SettingError: already rolled back
            self._error = str(error)
            self.status = self._error
            self.send_state(list(sync_data))

    # ---- messages from the view -------------------------------------------------------

    def _on_message(self, widget, content, buffers):
        kind = content.get("type") if isinstance(content, dict) else None
        actions = {
            "play": self.play,
            "pause": self.pause,
            "step": self.step,
            "reset": self.reset,
            "regenerate": self.regenerate,
        }
        if kind == "view":
            self._on_view(content.get("event"), content.get("view"))
        elif kind in actions:
            actions[kind]()
        elif kind == "select":
            try:
                self.select(content.get("index", -1))
            except ValueError as error:
                self.status = str(error)
        elif kind == "add_point":
            self._add_point_from_view(content)
        elif kind == "clear_points":
            self.clear_points()
        elif kind == "copy_setup":
            self.send({"type": "setup", "text": self.setup_text()})

    def _add_point_from_view(self, content):
        # a click in draw mode: (x, y) on the plane, the label in the view's convention
        # (-1/+1, a class id, or on a 1-D fit the target, with x the only coordinate)
        try:
            x, y, label = (float(content.get(k)) for k in ("x", "y", "label"))
            point = [x] if self._session.dims == 1 else [x, y]
        except (TypeError, ValueError):
            self.status = f"add_point needs numbers x, y and label, got {content!r}"
            return
        self._error = ""

        try:
            points, labels = self._session.prepare_points([point], [label], internal=True)
        except ValueError as error:
            self.status = str(error)
            return
        self._runner.submit(lambda session: self._append(session, points, labels))

    def _on_view(self, event, view):
        if self._runner.closed or not self._views.message(event, view):
            return
        if event == "close":
            self._check_views()
            return
        resume, self._no_view = self._no_view, False
        # a new view (or one back from silence) may hold the page's copy from when
        # the last view went: send the state now (after any send in flight)
        if event == "open" or self._stale:
            self._stale = False
            self._runner.submit(lambda session: None)
        if resume:
            self.play()

    def _check_views(self):
        """Pause when nobody is looking (main thread on a view's close, the training thread between epochs)."""
        if self._runner.playing and self._views.unseen():
            self._no_view = True
            self._runner.pause()

    # ---- state -> view (runs on whichever thread trained; the runner serialises it) ------

    def _settings(self) -> dict:
        s = self._session.settings
        return {name: s[name] for name in SETTINGS}

    def _send_state(self, session, final):
        if self._views.unseen():
            # nobody is looking: keep what Python reads (t.status, t.epoch) true, send no picture
            self._stale = True
            with session.lock:
                status = session.status or self._error or self._runner.error or (NO_VIEW if self._no_view else "")
                small = {"epoch": session.epoch, "status": status}
            with self.hold_sync():
                for name, value in small.items():
                    setattr(self, name, value)
                self.running = self._runner.running if final else True
            return
        with session.lock, np.errstate(all="ignore"):  # a diverged model's numbers are inf/NaN on purpose
            figures = session.history[-1] if session.history else session.evaluate()
            regression = session.task == "regression"
            state = {
                "epoch": session.epoch,
                "status": session.status or self._error or self._runner.error or (NO_VIEW if self._no_view else ""),
                "figures": _pack64(_curve_rows([figures])[0, 1:]),
                "curves": self._curves(session.history),
                "metric": "r2" if regression else "accuracy",
                "lr_now": session.lr_now,
                "points": session.plane_points.astype(np.float64).tobytes(),
                "labels": (np.zeros(len(session.y)) if regression else session.y).astype(np.int8).tobytes(),
                "targets": session.y.astype("<f8").tobytes(),
                "split": session.is_test.astype(np.uint8).tobytes(),
                "dims": session.dims,
                "axis_labels": _axis_labels(session),
                "class_names": session.labels.names(),
                "extent": session.extent,
                "boundary": session.boundary().tobytes(),
                "boundary_range": session.boundary_range,
                "curve": session.curve().tobytes(),
                "sizes": session.model.sizes,
                "hidden_maps": session.hidden_maps(HIDDEN_CELLS).tobytes(),
                "feature_maps": session.feature_maps(HIDDEN_CELLS).tobytes(),
                "weights": _weights(session.model),
            }
            state.update(self._point_state(session))
            settings = self._settings()
        if settings != self._published_settings:
            # only when the session's settings moved: resending them every epoch would
            # undo a change the view just made and the loop has not yet applied
            self._published_settings = settings
            state.update(settings)
        state["running"] = self._runner.running if final else True
        with self.hold_sync():
            for name, value in state.items():
                setattr(self, name, value)

    def _curves(self, history) -> bytes:
        # appended to, not rebuilt: the history grows by one row per epoch for as long as it plays
        rows = self._curve_cache
        if len(rows) > len(history) or (
            len(rows)
            and not np.array_equal(rows[-1], _curve_rows(history[len(rows) - 1 : len(rows)])[0], equal_nan=True)
        ):
            rows = np.zeros((0, 5))  # a reset or a rebuild started a new history
        if len(rows) < len(history):
            rows = np.concatenate([rows, _curve_rows(history[len(rows) :])])
        self._curve_cache = rows
        return _thin(rows)

    def _point_state(self, session) -> dict:
        i = self.selected
        if i < 0 or i >= len(session.y):
            self._point_key = None
            return {"point_structure": {}, "point_data": b"", "point_grad": b""}
        nodes = session.point_graph(i)
        key = (i, tuple(session.model.sizes), session.settings["activation"], session.settings["loss"])
        state: dict = {"point_data": wire.pack_data(nodes), "point_grad": wire.pack_grad(nodes)}
        if key != self._point_key:
            self._point_key = key
            state["point_structure"] = wire.structure(nodes)
        return state

    def __repr__(self):
        s = self._session
        if isinstance(s, _Closed):
            return f"Trainer(closed, epoch={s.epoch})"
        return (
            f"Trainer(data={s.settings['data']!r}, task={s.settings['task']!r}, sizes={s.model.sizes}, "
            f"loss={s.settings['loss']!r}, optimizer={s.settings['optimizer']!r}, lr={s.settings['lr']}, "
            f"epoch={s.epoch})"
        )


class _Closed:
    """Stands in for the session after close(): the history stays readable; the rest says it is gone."""

    def __init__(self, session):
        self.history = list(session.history)
        self.epoch = session.epoch
        self.settings = dict(session.settings)

    def __getattr__(self, name):
        raise RuntimeError("this Trainer is closed (its model and graphs were released): create a new one")


def _check_controls(name, names) -> list:
    return name_list(names, CONTROLS, "control", where=f"{name}: ")


def _axis_labels(session) -> list:
    if session.axis_labels:
        names = list(session.axis_labels)
        return names + ["y"] if len(names) == 1 else names
    return ["x", "y"] if session.dims == 1 else ["x1", "x2"]


def _check_speed(speed):
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not (speed >= 0 and math.isfinite(speed)):
        raise ValueError(f"speed (epochs per second) must be >= 0 (0 = as fast as it goes), got {speed!r}")
    return float(speed)


def _pack64(values) -> bytes:
    return np.asarray(values, dtype="<f8").tobytes()


def _curve_rows(history) -> np.ndarray:
    # regression rows carry r2 / test_r2: they take the accuracy columns (the trait `metric` says so)
    return np.array(
        [
            [r["epoch"], r["loss"], r.get("r2", r["accuracy"]), r["test_loss"], r.get("test_r2", r["test_accuracy"])]
            for r in history
        ],
        dtype="<f8",
    ).reshape(-1, 5)


def _thin(rows) -> bytes:
    if len(rows) > MAX_CURVE_ROWS:
        keep = np.unique(np.linspace(0, len(rows) - 1, MAX_CURVE_ROWS).astype(int))
        rows = rows[keep]
    return rows.tobytes()


def _weights(model) -> bytes:
    arrays = [np.array([[w.data for w in neuron.w] for neuron in layer.neurons]).ravel() for layer in model.layers]
    return np.concatenate(arrays).astype("<f4").tobytes()
