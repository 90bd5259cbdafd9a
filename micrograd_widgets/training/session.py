"""The training session behind the Trainer widget: settings, data, model, optimizer, epochs, history.

Plain Python (no widget, no thread, no numpy): the Trainer owns one ``Session``.
Training runs on Value graphs through the engine (epoch.py); a history row is
computed from the weights as they are after the update (figures.py), so a
row, the page's pictures and the curves always describe the same model.

Three tasks: binary classification (one score, labels -1/+1), multi-class (K
logits, labels 0..K-1, cross-entropy) and regression (one prediction, float
targets, mse or huber). The network sees the chosen input features of each
point (of its standardised coordinates, for your own data).
"""

import inspect
import math
import random
import threading
from collections.abc import Set as AbstractSet

from .. import data as datasets
from .._checks import check_keywords
from ..engine import Value
from ..nn import ACTIVATIONS, MLP, SGD, Adam, scheduled_lr
from . import epoch as epochs
from . import figures, reconcile
from .checks import check_seed, integer
from .dataset import Dataset
from .loss_graph import point_loss, target_row
from .settings import MOMENTUM, SESSION_SETTINGS, SETTINGS, docstring, needs, signature, validate
from .userdata import Labels, own_data, point_rows

# rows a session's history keeps: a page trains 1,000+ epochs a second, and one dict
# a row (about 500 bytes) grew the kernel by 40 MB a minute; past this, the older
# history keeps half its rows, evenly spread over its epochs: a run of any length
# holds 5,000 to 10,000 rows
HISTORY_MAX = 10_000


class Session:
    """One training run: data split, model, its initial weights, settings and history."""

    history: list[dict]  # one row per epoch (thinned past HISTORY_MAX): figures.history_row

    def __init__(self, *, model=None, X=None, y=None, seed=0, axis_labels=None, **settings):
        check_keywords(settings, SESSION_SETTINGS, "Session()")
        given = dict(settings)
        self.seed = check_seed(seed)
        self.lock = threading.RLock()  # held for an epoch; the point-graph view takes it too
        self.lr_given = given.get("lr") is not None
        self.optimizer_given = given.get("optimizer") is not None
        if model is not None:
            given["hidden"], given["activation"] = _describe(model)
        asked = {name for name, value in given.items() if value is not None}
        s = validate(**{k: v for k, v in given.items() if v is not None and k in SESSION_SETTINGS})
        if X is not None:
            self.data = self._own_data(X, y, s, axis_labels)
        elif y is not None:
            raise ValueError("y was given without X: pass both, or neither to use a built-in data set")
        else:
            reconcile.fill_generated(s, asked)
        for row in SETTINGS:  # what was not given takes the table's default (None: the task's, below)
            if row.name in SESSION_SETTINGS and row.name not in s:
                s[row.name] = row.default
        if X is None:
            self.data = Dataset.generated(s["data"], s["n"], s["noise"], self.seed, s["classes"], s["test_fraction"])
        self.settings = reconcile.check_combination(reconcile.fill_defaults(s, self.data.dims), asked, self.data.dims)
        self.data.standardize(s["standardize"])
        self._assemble()
        if model is not None:
            _check_shape(model, self._shape())
        self.model = model if model is not None else self._new_model()
        self._take_snapshot()

    def _own_data(self, X, y, s, axis_labels) -> Dataset:
        if y is None:
            raise ValueError("X was given without y: pass the labels (or targets) too")
        points, raw, names = own_data(X, y)
        labels = Labels.detect(raw, s.get("task"))
        if s.get("classes") not in (None, labels.classes):
            raise ValueError(f"classes={s['classes']} but y holds {labels.classes} classes")
        names = axis_labels or names
        dims = len(points[0])
        data = Dataset(points, labels.to_internal(raw), labels, self.seed, s.get("test_fraction", 0.2), custom=True,
                       axis_labels=list(names) if names and len(names) == dims else None)  # fmt: skip
        s.update(data="custom", task=labels.task, classes=labels.classes, n=len(points))
        return data

    # ---- what the settings say ------------------------------------------------------------

    @property
    def task(self) -> str:
        return self.settings["task"]

    @property
    def dims(self) -> int:
        """1 for a 1-D fit (x -> target), else 2."""
        return self.data.dims

    @property
    def labels(self) -> Labels:
        """How the trainer's labels map to the user's (class_labels, names)."""
        return self.data.labels

    def _shape(self) -> tuple:
        """(inputs, outputs) of the network these settings need."""
        s = self.settings
        return len(s["features"]), s["classes"] if s["task"] == "multiclass" else 1

    @property
    def lr_now(self) -> float:
        """The learning rate the next epoch uses (after the schedule)."""
        s = self.settings
        return scheduled_lr(s["lr"], self.epoch, s["lr_schedule"], s["lr_period"])

    # ---- building -------------------------------------------------------------------------

    def _new_model(self):
        nin, nout = self._shape()
        return MLP(nin, [*self.settings["hidden"], nout], activation=self.settings["activation"], seed=self.seed)

    def _assemble(self):
        """What the network sees of each point (rows) and what its loss compares with (targets)."""
        s, data = self.settings, self.data
        self.rows = datasets.feature_rows(data.inputs(data.points), s["features"])
        self.targets = [target_row(s["task"], s["loss"], v, s["classes"]) for v in data.targets]
        self.train_index = [i for i, test in enumerate(data.test_flags) if not test]

    def _take_snapshot(self):
        self.params = self.model.parameters()
        self.snapshot = self.model.state_dict()
        self.reset()

    def _new_optimizer(self):
        s = self.settings
        if s["optimizer"] == "adam":
            return Adam(self.params, lr=s["lr"])
        return SGD(self.params, s["lr"], momentum=MOMENTUM if s["optimizer"] == "momentum" else 0.0)

    def add_history(self, rows: list):
        """Append history rows; past HISTORY_MAX rows, half of them stay, evenly spread over the epochs."""
        self.history.extend(rows)
        if len(self.history) > HISTORY_MAX:
            self.history = figures.evenly_spread(self.history, HISTORY_MAX // 2)

    def reset(self):
        """Back to the weights the session started with (the snapshot); history and optimizer state cleared."""
        with self.lock:
            self.model.load_state_dict(self.snapshot)
            for p in self.params:
                p.grad = 0.0
            self.optimizer = self._new_optimizer()
            self.history = []
            self.epoch = 0
            self.status = ""
            self.diverged = False
            self.shuffle = random.Random(self.seed)  # mini-batch order: same seed, same history

    # ---- changing settings ----------------------------------------------------------------

    def set(self, **settings) -> AbstractSet[str]:
        """Change settings (checked here); returns the names that changed."""
        return self.apply(validate(**settings))

    def apply(self, settings: dict) -> AbstractSet[str]:
        """Change settings already checked by the table: data ones rebuild the data and reset,
        shape ones rebuild the model, optimizer ones start its state afresh; returns what changed."""
        with self.lock:
            old, old_data, old_shape = dict(self.settings), self.data, self._shape()
            asked = {k for k, v in settings.items() if old.get(k) != v}
            self.settings.update(settings)
            try:
                self._follow(asked, old)
                changed = {k for k, v in self.settings.items() if old.get(k) != v}
                if self.data.custom and "data" not in changed:
                    changed -= {"n", "noise"}  # your own points have no generator
                self._rebuild(changed, old_shape)
            except ValueError:
                self.settings, self.data = old, old_data
                self._assemble()
                raise
            return changed

    def _follow(self, asked, old):
        s = self.settings
        if "optimizer" in asked:
            self.optimizer_given = True
        if "lr" in asked:
            self.lr_given = True
        if self.data.custom and "data" in asked and s["data"] != "custom":
            self.data = Dataset.generated(s["data"], s["n"], s["noise"], self.seed, None, s["test_fraction"])
            self.data.custom = False
        if not self.data.custom:
            if s["data"] == "custom":
                raise ValueError("data='custom' needs your own points: Trainer(X=..., y=...)")
            asked = reconcile.follow_generated(s, old, asked)
        else:
            self._follow_labels(asked)
        reconcile.follow_task(s, old, asked, self.optimizer_given, self.lr_given)
        dims = self.data.dims if self.data.custom else 1 if s["data"] == "sine" else 2
        if dims != self.data.dims and "features" not in asked:
            s["features"] = ["x1", "x2"] if dims == 2 else ["x1"]
        reconcile.check_combination(s, asked, dims)

    def _follow_labels(self, asked):
        s, labels = self.settings, self.data.labels
        if "classes" in asked and s["classes"] != labels.classes:
            raise ValueError(f"your data's labels fix classes at {labels.classes}")
        if "task" in asked and s["task"] != labels.task:
            data = self.data
            raw = labels.to_user(data.y)
            new = Labels.detect(raw, s["task"])
            data.y = new.to_internal(raw)
            data.added_y = new.to_internal(labels.to_user(data.added_y))
            data.labels = new
        s["task"], s["classes"] = self.data.labels.task, self.data.labels.classes

    def _rebuild(self, changed, old_shape):
        s = self.settings
        new_points = changed & {"data", "n", "noise", "classes", "task"} and not self.data.custom
        if new_points:
            self.data = Dataset.generated(s["data"], s["n"], s["noise"], self.data.seed, s["classes"],
                                          s["test_fraction"])  # fmt: skip
        elif "test_fraction" in changed:
            self.data.test_fraction = s["test_fraction"]
            self.data.is_test = _split(self.data, s["test_fraction"])
        if "standardize" in changed or new_points:
            self.data.standardize(s["standardize"])
        self._assemble()
        level = needs(changed) if changed else "epoch"
        if changed & {"hidden", "activation"} or self._shape() != old_shape:
            self.model = self._new_model()
            self._take_snapshot()
        elif level in ("data", "model"):
            self.reset()
        elif level == "optimizer":
            self.optimizer = self._new_optimizer()  # weights kept, moments start afresh

    def regenerate(self):
        """New points from the same generator (a new data seed), weights back to the snapshot."""
        with self.lock:
            if self.data.custom:
                raise ValueError("new data needs a data set to draw from; your own points stay as they are")
            s = self.settings
            self.data = Dataset.generated(s["data"], s["n"], s["noise"], self.data.seed + 1, s["classes"],
                                          s["test_fraction"])  # fmt: skip
            self._assemble()
            self.reset()

    # ---- the lecturer's points -------------------------------------------------------------

    def get_data(self):
        """(X, y), y in the convention the data came in (built-in sets: -1/+1, 0..K-1, floats);
        numpy arrays when numpy is installed, else lists."""
        with self.lock:
            X, y = [list(p) for p in self.data.points], self.labels.to_user(self.data.targets)
        return datasets._arrays(X, y) if X else (X, y)

    def prepare_points(self, X, y, internal=False) -> tuple:
        """(points, labels) checked and in the trainer's convention, ready for append_points (raises on bad input)."""
        from .userdata import table_rows

        rows, _ = table_rows(X, "X")
        points = point_rows(rows, self.dims)
        raw, _ = table_rows(y, "y")
        if len(raw) != len(points):
            raise ValueError(f"add_points: {len(points)} points but {len(raw)} labels")
        if not internal:
            return points, self.labels.to_internal(raw)
        return points, [_internal_label(self.task, self.settings["classes"], v) for v in raw]

    def append_points(self, points, labels):
        """Add points already checked by prepare_points; each goes to train or test by its own seeded draw."""
        with self.lock:
            if points and len(points[0]) != self.dims:  # the data set changed since they were checked
                raise ValueError(f"these points have {len(points[0])} coordinate(s), the trainer's have {self.dims}")
            self.data.add(points, labels)
            self._assemble()
            if self.status.startswith("no training points"):
                self.diverged, self.status = False, ""

    def add_points(self, X, y, internal=False):
        """Add points (labels in the data's convention, or the trainer's with internal=True); model and split kept."""
        self.append_points(*self.prepare_points(X, y, internal))

    def undo_point(self) -> bool:
        """Take back the last point added; False when there is none."""
        with self.lock:
            if not self.data.undo():
                return False
            self._assemble()
            return True

    def clear_points(self):
        """Remove every point (to draw a data set from scratch); the model and the axes stay."""
        with self.lock:
            self.data.clear()
            self.settings["data"] = "custom"
            self._assemble()

    def fit_axes(self):
        """Refit the plane's axes to the points (they stay put while points are drawn)."""
        with self.lock:
            self.data.fit_axes()

    # ---- training --------------------------------------------------------------------------

    def batches(self) -> list:
        """This epoch's batches of point indexes (draws the shuffle: call once per epoch)."""
        return epochs.batches(self.train_index, self.settings["batch_size"], self.shuffle)

    def step(self, cancelled=None) -> dict | None:
        """One epoch (one optimizer step per batch); returns its history row. Does nothing once diverged.

        ``cancelled`` (a function) is asked before the first update; if it says
        True, the epoch is dropped (no weights changed, no row) and None is returned.
        """
        with self.lock:
            if self.diverged:
                return self.history[-1] if self.history else self.evaluate()
            if not self.train_index:
                self.diverged = True  # stops the runner; adding points lifts it
                self.status = "no training points yet: add some (draw on the plane, or add_points)"
                return self.evaluate()
            self.optimizer.lr = self.lr_now
            state = self.shuffle.getstate()
            with epochs.gc_paused():
                finite = epochs.run(self, self.batches(), cancelled)
            if finite is None:
                self.shuffle.setstate(state)  # a dropped epoch leaves no trace, not even in the shuffle
                return None
            self.epoch += 1
            row = self.evaluate()
            if not finite:
                row["loss"] = math.inf if math.isfinite(row["loss"]) else row["loss"]
            self.add_history([row])
            if not (math.isfinite(row["loss"]) and all(math.isfinite(p.data) for p in self.params)):
                self.diverged = True
                self.status = f"diverged at epoch {self.epoch}: lower the learning rate"
            return row

    def train(self, epochs: int) -> list:
        """Run ``epochs`` epochs (stopping early at divergence); returns the new history rows."""
        count = integer(epochs)
        if count is None or count < 0:
            raise ValueError(f"epochs must be an integer >= 0, got {epochs!r}")
        rows = []
        for _ in range(count):
            if self.diverged:
                break
            rows.append(self.step())
        return rows

    def outputs(self) -> list:
        """The network's outputs for every point, as floats (one list per point)."""
        layers = figures.layers(self.model)
        return [figures.forward(layers, x) for x in self.rows]

    def evaluate(self) -> dict:
        """The current weights' loss and accuracy (R² in regression) on the training and test points (no L2)."""
        with self.lock:
            s = self.settings
            return figures.history_row(self.epoch, s["task"], s["loss"], self.outputs(), self.data.targets,
                                       self.data.test_flags)  # fmt: skip

    def point_graph(self, i: int, leaves=False):
        """Point i's loss as a Value graph (topological order), built under scope 'sample.i', with grads.

        The parameters' grads are saved and restored, so looking at a point
        never disturbs training (in accumulate mode they hold the piled-up sum).
        ``leaves=True`` also returns the point's feature and target leaves:
        ``(nodes, features, targets)`` (a saved page fills them with another point's).
        """
        k = integer(i)
        if k is None or not 0 <= k < len(self.rows):
            raise ValueError(f"point index must be in [0, {len(self.rows) - 1}], got {i!r}")
        with self.lock:
            s = self.settings
            saved = [p.grad for p in self.params]
            features = [Value(v, _kind="constant") for v in self.rows[k]]
            targets = [Value(v, _kind="constant") for v in self.targets[k]]
            loss = point_loss(self.model, features, targets, s["task"], s["loss"], k)
            loss.backward()
            for p, g in zip(self.params, saved, strict=True):
                p.grad = g
            return (loss.topo(), features, targets) if leaves else loss.topo()

    # ---- saving and restoring ---------------------------------------------------------------

    def state(self) -> dict:
        """Everything the next epochs depend on, as plain data (JSON-serialisable, Python literals)."""
        from .state import session_state

        with self.lock:
            return session_state(self)

    @classmethod
    def from_state(cls, state) -> "Session":
        """A session that continues exactly where the one that gave ``state()`` was."""
        from .state import session_from_state

        return session_from_state(cls, state)


def _split(data, fraction):
    from .dataset import split

    return split(len(data.y), fraction, data.seed)


def _internal_label(task, classes, value):
    # a label in the trainer's own convention (a click in draw mode): -1/+1, a class id, a target
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"a label must be a number, got {value!r}") from None
    if task == "binary":
        return 1.0 if v > 0 else -1.0
    if task == "multiclass" and (not v.is_integer() or not 0 <= v < classes):
        raise ValueError(f"a class must be in 0..{classes - 1}, got {value!r}")
    if not math.isfinite(v):
        raise ValueError("a target must be a finite number")
    return v


def _describe(model):
    """(hidden sizes, activation) of a user's MLP."""
    if not hasattr(model, "layers") or not hasattr(model, "sizes"):
        raise ValueError(f"model must be an MLP (micrograd_widgets.nn.MLP), got {type(model).__name__}")
    activation = model.layers[0].neurons[0].activation
    if len(model.layers) > 1 and activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r} in the model")
    return model.sizes[1:-1], activation if len(model.layers) > 1 else "relu"


def _check_shape(model, shape):
    sizes, (nin, nout) = model.sizes, shape
    if sizes[0] != nin or sizes[-1] != nout:
        raise ValueError(
            f"the trainer needs an MLP from {nin} input(s) (one per feature) to {nout} output(s), "
            f"e.g. MLP({nin}, [16, 16, {nout}]); got sizes {sizes}"
        )


Session.__init__.__signature__ = signature(  # type: ignore[attr-defined]
    head=[inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)],
    tail=[
        *(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None) for name in ("model", "X", "y")),
        inspect.Parameter("seed", inspect.Parameter.KEYWORD_ONLY, default=0),
        inspect.Parameter("axis_labels", inspect.Parameter.KEYWORD_ONLY, default=None),
    ],
    positional=False,
)
Session.__doc__ = f"{Session.__doc__}\n\nSettings (Trainer(...) takes the same):\n{docstring()}\n"
