"""Trainer: train an MLP live on a 2-D data set (or a 1-D fit), the plane repainted every epoch.

The class is thin: traitlets (the settings' come from the settings table) and
message handlers. The training itself is the plain ``training.Session``. While
a view is on a page, the page trains (js/trainer/engine.js replays the graphs
the kernel recorded) and reports back; otherwise ``training.Runner`` plays it
on a background thread. The page paints every picture from the weights.
"""

import uuid
from pathlib import Path

import anywidget
import traitlets

from .._bundle import bundle_path
from ..training import Runner, Session
from ..training.settings import BY_NAME, PAGE_NEEDS, SESSION_SETTINGS, SETTINGS, docstring, view_specs
from ..training.state import pack
from ..training.torch_code import torch_code
from ..training.userdata import read_csv
from ..training.views import BEAT_SECONDS, Views
from . import _html, _trainer_page
from . import _trainer_state as wire_state
from ._trainer_options import (
    SIGNATURE,
    VIEW_SETTINGS,
    SettingError,
    SettingTraits,
    bind,
    check_controls,
    locked,
)
from ._trainer_picture import trainer_svg
from ._trainer_protocol import PageProtocol


class Trainer(PageProtocol, anywidget.AnyWidget, SettingTraits):  # type: ignore[misc, valid-type]
    """Train an MLP live: ``Trainer()``, ``Trainer(data='spiral', classes=3)``, ``Trainer(task='regression')``,
    ``Trainer(X=X, y=y)`` on your own points, or ``Trainer(model=mlp, X=X, y=y, loss='bce')``."""

    _esm = bundle_path("trainer.js")
    _css = bundle_path("trainer.css")

    # ---- the controls: built by the page from the settings table ---------------------------
    setting_specs: traitlets.List[dict] = traitlets.List().tag(sync=True)
    hide: traitlets.List[str] = traitlets.List(traitlets.Unicode(), default_value=[]).tag(sync=True)
    lock: traitlets.List[str] = traitlets.List(traitlets.Unicode(), default_value=[]).tag(sync=True)
    locked: traitlets.List[str] = traitlets.List(traitlets.Unicode(), default_value=[]).tag(sync=True)  # and implied
    beat_ms = traitlets.Int(int(BEAT_SECONDS * 1000)).tag(sync=True)  # how often a view says it is there
    # this widget on a page: its views share one engine there (NOTE [one engine per widget on a page], engine.js)
    uid = traitlets.Unicode().tag(sync=True)

    # ---- progress ----------------------------------------------------------------------------
    epoch = traitlets.Int(0).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    running = traitlets.Bool(False).tag(sync=True)
    driver = traitlets.Unicode("").tag(sync=True)  # the page that trains ("": none, or the kernel)
    lr_now = traitlets.Float(0.5).tag(sync=True)

    # ---- the state the page paints and trains from (widgets/_trainer_state.py) ---------------
    dataset = traitlets.Dict().tag(sync=True)
    program = traitlets.Dict().tag(sync=True)
    train_state = traitlets.Dict().tag(sync=True)
    selected = traitlets.Int(-1).tag(sync=True)
    point = traitlets.Dict().tag(sync=True)

    def __init__(self, *args, _session=None, **options):
        bound = bind(args, options)
        view = {name: BY_NAME[name].check(bound.pop(name)) for name in VIEW_SETTINGS if name in bound}
        extra = {k: bound.pop(k) for k in ("layout",) if k in bound}
        hide, lock = check_controls("hide", bound.pop("hide", ())), check_controls("lock", bound.pop("lock", ()))
        self._session = _session or Session(**bound)
        self._runner = Runner(self._session, self._publish_progress)
        # NOTE [a trainer plays only while it is seen]
        # Once a view has attached, the trainer pauses when the last one goes
        # (re-run cell, cleared output, closed tab: training.views) and sends
        # nothing big while none is there; the next view shows where it stopped
        # and plays on. A trainer never displayed (a script) plays as told.
        self._views = Views()
        # the kernel hears a page only between cells: before each cell it looks whether the page that
        # trained is still there (a killed tab says nothing), so Python reads "paused: no view" then
        self._runner.between_epochs = self._check_views
        self._views.shell.before_cell(self._check_views)
        self._no_view = False  # paused because the last view went: the next one plays on
        self._stale = False  # states were skipped while no view looked: the next view needs one
        self._revision = 0  # a new revision: the kernel's numbers replace whatever a page holds
        self._changed = set()  # what the jobs queued since the last publish changed ("data", "program")
        self._keep_revision = False  # the last job changed only numbers a page that trains applies itself
        self._point_key = None
        self._display_id = f"mgw-trainer-{id(self)}"
        self._error = ""
        defaults = {name: BY_NAME[name].default for name in VIEW_SETTINGS}
        super().__init__(
            **self._session_settings(),
            **{**defaults, **view},
            setting_specs=view_specs(),
            uid=uuid.uuid4().hex,
            hide=hide,
            lock=lock,
            locked=locked(lock),
            **extra,
        )
        self._runner.speed = self.speed
        self._publish(data=True, program=True, revision=True)
        self.on_msg(self._on_message)

    # ---- public API -----------------------------------------------------------------------------

    @property
    def model(self):
        """The MLP being trained."""
        return self._session.model

    @property
    def history(self) -> list:
        """A dict per epoch: epoch, loss, accuracy, test_loss, test_accuracy (NaN without a test set).

        Every epoch the kernel trains; of the epochs a page trains, up to 50 a second (NOTE [rows a
        report carries] in js/trainer/state.js). Past 10,000 rows, every other older row goes."""
        return list(self._session.history)

    @property
    def session(self):
        """The plain training.Session underneath."""
        return self._session

    @property
    def dims(self) -> int:
        """2 for points on a plane, 1 for a 1-D fit (x -> target)."""
        return self._session.dims

    @property
    def class_names(self) -> list:
        """The classes as text, in the order of the outputs (your own labels when you gave them)."""
        return self._session.labels.names()

    @property
    def axis_labels(self) -> list:
        """The plane's axes: x1, x2, or your columns' names."""
        return wire_state.axis_labels(self._session)

    @property
    def extent(self) -> list:
        """[x_min, x_max, y_min, y_max] of the plane; fixed while points are drawn (fit_axes refits)."""
        return list(self._session.data.extent)

    def train(self, epochs=1) -> list:
        """Run ``epochs`` epochs now, in the kernel, from the last state the page reported (stops at divergence);
        returns the new history rows. A page that was training drops its newer epochs and shows these."""
        self.pause()
        self._runner.join()
        rows: list = []
        self._change(lambda session: rows.extend(session.train(epochs)))
        return rows

    def play(self):
        """Train until pause() (or divergence): in the page when a view is on one, else on a kernel thread."""
        self._runner._check_open()
        self._no_view = False
        engine = self._views.latest_engine()
        if engine and not self.program.get("reason") and not self._session.diverged:
            self._runner.pause()
            self._drive(engine)
            return
        self.running = True  # before the thread starts, so its final "stopped" always comes later
        try:
            started = self._runner.play()
        except RuntimeError as error:  # no threads here (Pyodide) and no page to train in
            started = False
            self.status = f"can't play here ({error}): show the trainer to play it in the page, or use t.train(epochs)"
        if not started:
            self.running = False

    def pause(self):
        """Stop training now; an epoch in progress is dropped (its update never happens)."""
        self._no_view = False
        self._runner.pause()
        if self.driver:
            self.driver, self.running = "", False

    def step(self):
        """Train one more epoch in the kernel (from the page's last report); while playing, stop after it."""
        self.pause()
        self.running = True
        try:
            self._runner.step()
        except RuntimeError:  # no threads here (Pyodide): the epoch runs now, in the cell
            self._change(lambda session: session.step())
            self.running = False

    def reset(self):
        """Pause and put the weights back to the snapshot taken at the start; clears the history."""
        self.pause()
        self._error = self._runner.error = ""
        self._change(lambda session: session.reset())

    def regenerate(self):
        """Pause, draw new points from the same data set, and reset."""
        self.pause()
        self._change(lambda session: session.regenerate(), data=True)

    def select(self, index):
        """Show point ``index``'s loss graph inside the trainer (-1 hides it)."""
        index = -1 if index is None else index
        count = len(self._session.rows)
        if isinstance(index, bool) or not isinstance(index, int) or not -1 <= index < count:
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
        """Block until background training in the kernel stops; True if it did."""
        return self._runner.join(timeout)

    # ---- the data, and saving the whole setup ------------------------------------------------

    @classmethod
    def from_csv(cls, path, x, y, **options) -> "Trainer":
        """A trainer on a CSV file's columns: ``x`` (one or two names) as the points, ``y`` as labels or targets.

        Rows with a missing value (an empty cell, NA, NaN, null) are skipped, with a warning.
        """
        X, labels, names = read_csv(Path(path), x, y)
        session = Session(X=X, y=labels, seed=options.pop("seed", 0), axis_labels=names,
                          **{k: options.pop(k) for k in list(options) if k in SESSION_SETTINGS})  # fmt: skip
        return cls(_session=session, **options)

    def get_data(self):
        """(X, y), y in the convention the trainer was given (built-in sets: -1/+1, 0..K-1, floats);
        numpy arrays when numpy is installed, else lists."""
        return self._session.get_data()

    def add_points(self, X, y):
        """Add points (y in the trainer's convention); the model and the split of the other points stay."""
        points, labels = self._session.prepare_points(X, y)  # bad input raises here, not on the training thread
        self._change(lambda session: session.append_points(points, labels), data=True)

    def undo_point(self):
        """Take back the last point added (drawn or from add_points)."""
        self._change(lambda session: session.undo_point(), data=True)

    def clear_points(self):
        """Remove every point, to draw a data set from scratch; the model stays."""
        self._change(lambda session: session.clear_points(), data=True)

    def fit_axes(self):
        """Refit the plane's axes to the points (they stay put while points are drawn)."""
        self._change(lambda session: session.fit_axes(), data=True)

    def state(self) -> dict:
        """Settings, data, split, weights, optimizer state, schedule position, random states and epoch,
        as plain data (JSON-serialisable); ``Trainer.from_state(state)`` continues bit for bit.

        While the page trains, this is its last report (at most ~2 s old); ``state()["epoch"]`` says which.
        """
        with self._session.lock:
            state = self._session.state()
        state["view"] = {
            **{name: getattr(self, name) for name in VIEW_SETTINGS},
            "hide": list(self.hide),
            "lock": list(self.lock),
        }
        return state

    @classmethod
    def from_state(cls, state, **options) -> "Trainer":
        """The trainer ``state()`` came from (a dict, or the text copy setup gives), rebuilt: its next
        epochs' losses are the same to the bit."""
        session = Session.from_state(state)
        if isinstance(state, str):
            from ..training.state import unpack

            state = unpack(state)
        view = {**state.get("view", {}), **options}
        return cls(_session=session, **view)

    def setup_text(self) -> str:
        """``Trainer.from_state("...")`` as Python source: paste it into a cell to get this trainer back."""
        return f"Trainer.from_state({pack(self.state())!r})"

    def torch_code(self) -> str:
        """Python source that rebuilds the trained model in PyTorch: it imports only torch and binds ``model``
        (float64, raw points in, scores out), the training and test points, ``loss_fn`` and ``train(model, X, y,
        epochs)``. While the page trains, the weights are its last report's."""
        return torch_code(self._session)

    # ---- settings from Python or the view ---------------------------------------------------

    @traitlets.validate(*(s.name for s in SETTINGS))
    def _validate_setting(self, proposal):
        name, value = proposal["trait"].name, proposal["value"]
        if name in SESSION_SETTINGS and self._session.settings.get(name) == value:
            return value  # the session's own value: checked when it was set
        try:
            return BY_NAME[name].check(value)
        except ValueError as error:
            raise SettingError(str(error)) from None

    @traitlets.validate("hide", "lock")
    def _validate_controls(self, proposal):
        try:
            return check_controls(proposal["trait"].name, proposal["value"])
        except ValueError as error:
            raise SettingError(str(error)) from None

    @traitlets.observe(*(s.name for s in SETTINGS))
    def _on_setting(self, change):
        name, value = change["name"], change["new"]
        if name == "speed":
            self._runner.speed = value
        if name not in SESSION_SETTINGS or self._session.settings.get(name) == value:
            return  # a view's own setting, or our own echo of the session's state
        self._error = ""
        rebuilds = BY_NAME[name].needs not in PAGE_NEEDS

        def apply(session):
            changed = session.apply({name: value})
            if not rebuilds and changed == {name}:
                # numbers only (lr, l2, optimizer ...): a page that trains has applied them itself
                self._keep_revision = True

        self._change(apply, data=rebuilds)

    @traitlets.observe("selected")
    def _on_selected(self, change):
        self._point_key = None
        with self._session.lock:
            self.point = self._point_state(self._session)

    @traitlets.observe("lock")
    def _on_lock(self, change):
        self.locked = locked(change["new"])

    def set_state(self, sync_data):
        # A locked setting from the view is refused here too (the page disables the control; Python
        # can still set it). A bad value must not vanish into the kernel log: show it, put the control back.
        refused = [name for name in sync_data if name in self.locked and name in BY_NAME]
        if refused:
            self.status = f"locked: {', '.join(refused)} can't be changed here"
            sync_data = {k: v for k, v in sync_data.items() if k not in refused}
            self.send_state(refused)
        try:
            super().set_state(sync_data)
        except (ValueError, traitlets.TraitError) as error:  # SettingError: already rolled back
            self._error = str(error)
            self.status = self._error
            self.send_state(list(sync_data))

    # ---- outside a live front-end -----------------------------------------------------------

    def save_html(self, path, *, title=None):
        """Write one self-contained page of this trainer that trains in the browser, with no kernel.

        It starts from the trainer's current state, with its data, settings, hide and
        lock; what needs Python (a new graph, model or data) is locked there, and its
        *copy setup* gives a ``Trainer.from_state(...)`` line that continues in a notebook.
        """
        return _html.save_html(self, path, title=title)

    def _page(self, title):
        return _trainer_page.page(self, title)

    def _repr_mimebundle_(self, **kwargs):
        """The live view, plus a static picture (plane and curve) for viewers with no widget front-end."""
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle or {}, {})
        return {**data, "image/svg+xml": trainer_svg(self._session), "text/plain": repr(self)}, metadata

    def _ipython_display_(self, **kwargs):
        # displayed under an id of its own, so a pause can bring the saved picture up to date
        from IPython.display import display

        data, metadata = self._repr_mimebundle_()
        display(data, metadata=metadata, raw=True, display_id=self._display_id)
        self._displayed = True

    def _refresh_picture(self):
        """After a pause: the output's static picture shows where training stopped (a saved notebook keeps it)."""
        if not getattr(self, "_displayed", False):
            return
        from IPython.display import update_display

        data, metadata = self._repr_mimebundle_()
        update_display(data, metadata=metadata, raw=True, display_id=self._display_id)

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


Trainer.__init__.__signature__ = SIGNATURE  # type: ignore[attr-defined]
Trainer.__init__.__doc__ = f"Settings (each also a trait: t.lr = 0.1):\n{docstring()}\n"
