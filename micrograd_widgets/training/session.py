"""The training session behind the Trainer widget: data, model, settings, epochs, history.

Plain Python (no widget, no thread): the Trainer owns one ``Session`` and a
background loop (``runner.py``) calls ``step()``. Training runs on Value graphs
through the engine, one ``scope(f"sample.{i}")`` per data point; the figures of
each epoch (train/test loss and accuracy, or R² in regression) and every picture
of the plane are computed on the numpy fast path from the weights as they are
after the update, so a history row, the boundary and the curves always describe
the same model.

Three tasks: binary classification (one score, labels -1/+1), multi-class (K
logits, labels 0..K-1, cross-entropy) and regression (one prediction, float
targets, mse or huber). The network sees the chosen input features of each point.
"""

import contextlib
import gc
import math
import random
import threading

import numpy as np

from .. import data as datasets
from ..engine import scope
from ..nn import ACTIVATIONS, LOSSES, MLP, SGD, Adam, cross_entropy, l2_penalty, scheduled_lr
from . import fastpath
from .settings import (
    DEFAULT_LR,
    DEFAULT_OPTIMIZER,
    MOMENTUM,
    REBUILD_DATA,
    REBUILD_OPTIMIZER,
    TASK_LOSSES,
    validate,
)
from .userdata import Labels, check_points, generated_labels, table_to_array

CURVE_POINTS = 200  # the 1-D fit's curve: this many (x, prediction) pairs
DEFAULT_DATA = {"binary": "moons", "multiclass": "spiral", "regression": "reg-plane"}
STATE_VERSION = 1

# NOTE [one BLAS thread for the pictures]
# The plane's pictures are small matrix products (10,000 x 16). On this 2-core
# machine OpenBLAS spreads them over its threads, which then spin and steal the
# CPU from the engine: a 100 x 100 boundary took 9 ms instead of 2, and the next
# epoch 40 ms instead of 24. One thread is faster for sizes this small.
_blas = None


def _one_blas_thread():
    global _blas
    try:
        if _blas is None:
            from threadpoolctl import ThreadpoolController  # a scikit-learn dependency

            _blas = ThreadpoolController()
        return _blas.limit(limits=1, user_api="blas")
    except Exception:  # no threadpoolctl, or it cannot see the BLAS: just slower
        return contextlib.nullcontext()


# NOTE [no cyclic GC during an epoch]
# An epoch allocates ~10,000 Values; every 700 allocations CPython's cyclic
# collector scans the young ones, and now and then the old ones too. The
# graph has no reference cycles (see NOTE [no cycles] in engine.py), so
# reference counting frees it anyway: pausing the collector for the epoch cut
# its CPU time from ~28 ms to ~19 ms on the default moons setup.
@contextlib.contextmanager
def _gc_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# ---- numpy losses and figures (the Value versions are in nn.LOSSES) ----------------


def _numpy_loss(name, scores, ys):
    with np.errstate(all="ignore"):
        if name == "hinge":
            return float(np.mean(np.maximum(0.0, 1.0 - ys * scores)))
        if name == "mse":
            return float(np.mean((scores - ys) ** 2))
        if name == "huber":
            d = np.abs(scores - ys)
            return float(np.mean(np.where(d < 1.0, 0.5 * d * d, d - 0.5)))
        if name == "cross_entropy":
            return float(np.mean(fastpath.logsumexp(scores) - scores[np.arange(len(ys)), ys.astype(int)]))
        targets = (ys > 0).astype(np.float64)
        return float(np.mean(np.logaddexp(0.0, scores) - targets * scores))


def _figures(task, loss, scores, ys):
    """(loss, accuracy or R²) of these scores; NaN for an empty set."""
    if len(ys) == 0:
        return math.nan, math.nan
    value = _numpy_loss(loss, scores, ys)
    if task == "binary":
        return value, float(np.mean((scores > 0) == (ys > 0)))
    if task == "multiclass":
        return value, float(np.mean(np.argmax(scores, axis=1) == ys))
    with np.errstate(all="ignore"):
        spread = float(np.sum((ys - ys.mean()) ** 2))
        return value, (1.0 - float(np.sum((scores - ys) ** 2)) / spread) if spread > 0 else math.nan


# ---- plain-data encoding for state() ----------------------------------------------------


def _enc(x):
    """A float for a JSON or Python-literal state: non-finite numbers as text."""
    x = float(x)
    return x if math.isfinite(x) else repr(x)


def _dec(x):
    return float(x)  # float("nan"), float("inf") read the text back


class Session:
    """One training run: data split, model, its initial weights, settings and history."""

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
        zero_grad=True,
        model=None,
        X=None,
        y=None,
        task=None,
        classes=None,
        features=None,
        optimizer=None,
        lr_schedule="constant",
        lr_period=50,
    ):
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(f"seed must be an integer, got {seed!r}")
        self.seed = int(seed)
        self.data_seed = self.seed
        self.lock = threading.RLock()  # held for an epoch; the point-graph view takes it too
        self.lr_given = lr is not None
        self.optimizer_given = optimizer is not None
        self._user = None  # the user's own points: Labels, base X and raw labels
        self._extra_X, self._extra_y = [], []  # points added later (add_points, draw mode)
        if model is not None:
            hidden, activation = _describe(model)
        settings = dict(
            n=n,
            noise=noise,
            test_fraction=test_fraction,
            batch_size=batch_size,
            l2=l2,
            zero_grad=zero_grad,
            activation=activation,
            hidden=hidden,
            lr_schedule=lr_schedule,
            lr_period=lr_period,
        )
        given = dict(task=task, classes=classes, loss=loss, lr=lr, optimizer=optimizer, features=features)
        settings.update({name: value for name, value in given.items() if value is not None})  # None: the task's default
        if data is not None and X is None:
            settings["data"] = data
        settings = validate(**settings)
        if X is not None:
            Xa, axis = check_points(X)
            raw, _ = table_to_array(y, "y") if y is not None else (None, None)
            if raw is None:
                raise ValueError("X was given without y: pass the labels (or targets) too")
            raw = raw.reshape(-1)
            if len(raw) != len(Xa) or len(raw) < 4:
                raise ValueError(f"X and y must hold the same number (>= 4) of points, got {len(Xa)} and {len(raw)}")
            labels = Labels.detect(raw, settings.get("task"))
            if "classes" in settings and settings["classes"] != labels.classes:
                raise ValueError(f"classes={settings['classes']} but y holds {labels.classes} classes")
            self._user = {"X": Xa, "y": labels.to_internal(raw), "labels": labels}
            self.axis_labels = axis if axis and len(axis) == Xa.shape[1] else None
            settings.update(data="custom", task=labels.task, classes=labels.classes, n=len(raw))
        elif y is not None:
            raise ValueError("y was given without X: pass both, or neither to use a built-in data set")
        else:
            self.axis_labels = None
            settings = self._generated(settings, set(settings))
        settings.setdefault("loss", TASK_LOSSES[settings["task"]][0])
        settings.setdefault("optimizer", DEFAULT_OPTIMIZER[settings["task"]])
        settings.setdefault("lr", DEFAULT_LR[settings["optimizer"]])
        settings.setdefault("features", ["x1", "x2"] if self._dims(settings) == 2 else ["x1"])
        self.settings = settings
        self._check_combination(set(settings))
        self._make_data()
        if model is not None:
            _check_shape(model, self._shape())
        self.model = model if model is not None else self._new_model()
        self._take_snapshot()

    # ---- settings that depend on each other --------------------------------------------

    def _generated(self, s, asked):
        """Fill in data, task and classes of a built-in set from what was asked for."""
        task = s.get("task")
        if "data" not in s:
            if task is None:
                task = "multiclass" if s.get("classes", 2) >= 3 else "binary"
            s["data"] = DEFAULT_DATA[task]
        name = s["data"]
        if name in datasets.REGRESSION:
            classes = 0
        elif name in datasets.MULTICLASS:
            classes = datasets.MULTICLASS[name]
        elif name in datasets.CLASSES_ANY:
            classes = s.get("classes", 3 if task == "multiclass" else 2)
            if classes == 0:
                classes = 2
        else:
            classes = 2
        if "classes" in asked and s["classes"] not in (classes, 0):
            raise ValueError(
                f"data set {name!r} has {classes or 'no'} classes; "
                "classes= works for spiral and blobs (and your own data)"
            )
        s["classes"] = classes
        actual = datasets.task_of(name, classes)
        if task is not None and "task" in asked and actual != task:
            raise ValueError(
                f"data set {name!r} is a {actual} task, not {task}: choose a {task} set such as {DEFAULT_DATA[task]!r}"
            )
        s["task"] = actual
        return s

    def _dims(self, s=None) -> int:
        s = s or self.settings
        if self._user is not None:
            return self._user["X"].shape[1]
        return 1 if s.get("data") == "sine" else 2

    def _check_combination(self, asked):
        s = self.settings
        if s["loss"] not in TASK_LOSSES[s["task"]]:
            if "loss" in asked:
                raise ValueError(
                    f"loss {s['loss']!r} does not fit the {s['task']} task; choose one of {TASK_LOSSES[s['task']]}"
                )
            s["loss"] = TASK_LOSSES[s["task"]][0]
        s["features"] = datasets.check_features(s["features"], self._dims())
        if self._dims() == 1 and s["task"] != "regression":
            raise ValueError("1-D points (one column of X) are for regression: a 1-D fit needs task='regression'")

    def _shape(self) -> tuple:
        """(inputs, outputs) of the network these settings need."""
        s = self.settings
        return len(s["features"]), s["classes"] if s["task"] == "multiclass" else 1

    @property
    def task(self) -> str:
        return self.settings["task"]

    @property
    def dims(self) -> int:
        """1 for a 1-D fit (x -> target), else 2."""
        return self._dims()

    @property
    def labels(self) -> Labels:
        """How the trainer's labels map to the user's (class_labels, names)."""
        if self._user is not None:
            return self._user["labels"]
        return generated_labels(self.task, self.settings["classes"])

    # ---- building -------------------------------------------------------------------

    def _new_model(self):
        nin, nout = self._shape()
        return MLP(nin, [*self.settings["hidden"], nout], activation=self.settings["activation"], seed=self.seed)

    def _make_data(self):
        s = self.settings
        if self._user is not None:
            X, y = self._user["X"], self._user["y"]
        else:
            classes = s["classes"] if s["data"] in datasets.CLASSES_ANY else None
            X, y = datasets.make(s["data"], s["n"], s["noise"], self.data_seed, classes=classes)
        order = np.random.default_rng(self.data_seed).permutation(len(y))
        n_test = int(round(s["test_fraction"] * len(y)))
        if len(y) and len(y) - n_test < 2:
            raise ValueError(f"test_fraction {s['test_fraction']} leaves fewer than 2 training points")
        base_test = np.zeros(len(y), dtype=bool)
        base_test[order[:n_test]] = True
        self._base = (np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64), base_test)
        self._assemble()

    def _extra_is_test(self, index) -> bool:
        # a point added later goes to the test set by its own seeded draw: the others keep theirs
        return bool(np.random.default_rng([self.data_seed, index]).random() < self.settings["test_fraction"])

    def _assemble(self):
        """All points (the set's and the added ones), their split, the engine's rows and the grids."""
        X, y, is_test = self._base
        if self._extra_X:
            start = len(y)
            X = np.concatenate([X, np.asarray(self._extra_X, dtype=np.float64)])
            y = np.concatenate([y, np.asarray(self._extra_y, dtype=np.float64)])
            extra = [self._extra_is_test(start + j) for j in range(len(self._extra_y))]
            is_test = np.concatenate([is_test, np.asarray(extra, dtype=bool)])
        self.X, self.y, self.is_test = X, y, is_test
        self.train_index = np.flatnonzero(~self.is_test)
        features = self.settings["features"]
        self.F = datasets.features(X, features) if len(X) else np.zeros((0, len(features)))
        self._rows = self.F.tolist()  # Python floats: the engine's inputs
        self._labels = [int(v) for v in y.tolist()] if self.task == "multiclass" else y.tolist()
        self._xs, self._ys, grid = fastpath.grid(self.plane_points, cells=100)
        self._grid = self._features_of(grid)

    def _features_of(self, plane):
        # on a 1-D fit the plane's second axis is the target: the network sees x only
        return datasets.features(plane[:, : self.dims], self.settings["features"])

    @property
    def plane_points(self) -> np.ndarray:
        """Where the points are drawn: X itself, or (x, target) on a 1-D fit."""
        if self.dims == 2:
            return self.X
        return np.column_stack([self.X[:, 0], self.y])

    def _take_snapshot(self):
        self.params = self.model.parameters()
        self.snapshot = self.model.state_dict()
        self.reset()

    def _new_optimizer(self):
        s = self.settings
        if s["optimizer"] == "adam":
            return Adam(self.params, lr=s["lr"])
        return SGD(self.params, s["lr"], momentum=MOMENTUM if s["optimizer"] == "momentum" else 0.0)

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
            self._shuffle = random.Random(self.seed)  # mini-batch order: same seed, same history

    def set(self, **settings):
        """Change settings: data ones rebuild the data and reset, shape ones rebuild the model."""
        settings = validate(**settings)
        with self.lock:
            old = dict(self.settings)
            old_user, old_shape, old_dims = self._user, self._shape(), self.dims
            asked = {k for k, v in settings.items() if old.get(k) != v}
            self.settings.update(settings)
            try:
                self._reconcile(asked, old)
                if self.dims != old_dims and "features" not in asked:
                    self.settings["features"] = ["x1", "x2"] if self.dims == 2 else ["x1"]
                self._check_combination(asked)
                if "lr" in settings:
                    self.lr_given = True
                changed = {k for k, v in self.settings.items() if old.get(k) != v}
                if self.settings["data"] == "custom" and "data" not in changed:
                    changed -= {"n", "noise"}  # the user's own points have no generator
                if changed & (REBUILD_DATA | {"features"}):
                    if changed & {"data", "n", "noise", "classes"}:
                        self._extra_X, self._extra_y = [], []  # added points belong to the old set
                    self._make_data()
                if changed & {"hidden", "activation"} or self._shape() != old_shape:
                    self.model = self._new_model()
                    self._take_snapshot()
                elif changed & (REBUILD_DATA | {"features"}):
                    self.reset()
                elif changed & REBUILD_OPTIMIZER:
                    self.optimizer = self._new_optimizer()  # weights kept, moments start afresh
            except ValueError:
                self.settings, self._user = old, old_user
                self._make_data()
                raise
            return changed

    def _reconcile(self, asked, old):
        """Make data, task, classes and lr agree after a change of one of them."""
        s = self.settings
        if "optimizer" in asked:
            self.optimizer_given = True
        if self._user is not None and "data" in asked and s["data"] != "custom":
            self._user = None  # back to a built-in set
        if self._user is None:
            if s["data"] == "custom":
                raise ValueError("data='custom' needs your own points: Trainer(X=..., y=...)")
            given = {"data": s["data"], "classes": s["classes"]}
            if "task" in asked:
                given["task"] = s["task"]
                if "data" not in asked and datasets.task_of(s["data"], s["classes"]) != s["task"]:
                    given["data"] = DEFAULT_DATA[s["task"]]  # a task switch picks a set of that kind
                    asked = asked | {"data"}
                    if s["task"] == "multiclass":
                        given["classes"] = max(3, old["classes"])
            # blobs after a 4-class spiral: still 4 classes (a set with fixed classes sets its own)
            rest = {k: v for k, v in s.items() if k not in ("data", "task", "classes")}
            filled = self._generated({**rest, **given}, asked)
            s.update(data=filled["data"], task=filled["task"], classes=filled["classes"])
        else:
            labels = self._user["labels"]
            if "classes" in asked and s["classes"] != labels.classes:
                raise ValueError(f"your data's labels fix classes at {labels.classes}")
            if "task" in asked and s["task"] != labels.task:
                raw = labels.to_user(self._user["y"])
                new = Labels.detect(raw, s["task"])
                self._user = {**self._user, "y": new.to_internal(raw), "labels": new}
                self._extra_y = new.to_internal(labels.to_user(np.asarray(self._extra_y))).tolist()
            s["task"], s["classes"] = self._user["labels"].task, self._user["labels"].classes
        if s["task"] != old["task"] and not self.optimizer_given:
            s["optimizer"] = DEFAULT_OPTIMIZER[s["task"]]
        if s["optimizer"] != old["optimizer"] and not self.lr_given and "lr" not in asked:
            s["lr"] = DEFAULT_LR[s["optimizer"]]

    def regenerate(self):
        """New points from the same generator (a new data seed), weights back to the snapshot."""
        with self.lock:
            self.data_seed += 1
            self._extra_X, self._extra_y = [], []
            self._make_data()
            self.reset()

    # ---- the lecturer's points ------------------------------------------------------

    def get_data(self):
        """(X, y) as numpy arrays, y in the convention the data came in (built-in sets: -1/+1, 0..K-1, floats)."""
        with self.lock:
            return self.X.copy(), self.labels.to_user(self.y)

    def add_points(self, X, y, internal=False):
        """Add points (labels in the data's convention, or the trainer's with internal=True); model and split kept."""
        self.append_points(*self.prepare_points(X, y, internal))

    def prepare_points(self, X, y, internal=False):
        """(X, labels) checked and in the trainer's convention, ready for append_points (raises on bad input)."""
        Xa, _ = check_points(X, self.dims)
        raw = np.asarray(y).reshape(-1)
        if len(raw) != len(Xa):
            raise ValueError(f"add_points: {len(Xa)} points but {len(raw)} labels")
        if not internal:
            return Xa, self.labels.to_internal(raw)
        try:
            ys = raw.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"a label must be a number, got {raw.tolist()}") from None
        if self.task == "binary":
            ys = np.where(ys > 0, 1.0, -1.0)
        elif self.task == "multiclass" and not np.all(np.isin(ys, np.arange(self.settings["classes"]))):
            raise ValueError(f"a class must be in 0..{self.settings['classes'] - 1}, got {raw.tolist()}")
        elif not np.all(np.isfinite(ys)):
            raise ValueError("a target must be a finite number")
        return Xa, ys

    def append_points(self, X, ys):
        """Add points already checked by prepare_points; each goes to train or test by its own seeded draw."""
        with self.lock:
            if X.shape[1] != self.dims:  # the data set changed since they were checked
                raise ValueError(f"these points have {X.shape[1]} coordinate(s), the trainer's have {self.dims}")
            if len(self.y) + len(ys) > 10_000:
                raise ValueError("at most 10000 points")
            self._extra_X.extend(X.tolist())
            self._extra_y.extend(ys.tolist())
            self._assemble()
            if self.status.startswith("no training points"):
                self.diverged, self.status = False, ""

    def clear_points(self):
        """Remove every point (to draw a data set from scratch); the model stays."""
        with self.lock:
            labels = self.labels
            dims = self.dims
            self._user = {"X": np.zeros((0, dims)), "y": np.zeros(0), "labels": labels}
            self._extra_X, self._extra_y = [], []
            self.settings["data"] = "custom"
            self._make_data()

    # ---- training -------------------------------------------------------------------

    @property
    def lr_now(self) -> float:
        """The learning rate the next epoch uses (after the schedule)."""
        s = self.settings
        return scheduled_lr(s["lr"], self.epoch, s["lr_schedule"], s["lr_period"])

    def _batches(self):
        index = self.train_index.tolist()
        size = self.settings["batch_size"]
        if size is None or size >= len(index):
            return [index]
        self._shuffle.shuffle(index)
        return [index[i : i + size] for i in range(0, len(index), size)]

    def step(self, cancelled=None) -> dict | None:
        """One epoch (one optimizer step per batch); returns its history row. Does nothing once diverged.

        ``cancelled`` (a function) is asked every few points during the forward
        pass; if it says True before the first update, the epoch is dropped
        (no weights changed, no row) and None is returned: a pause lands at once.
        """
        with self.lock:
            if self.diverged:
                return self.history[-1] if self.history else self.evaluate()
            if len(self.train_index) == 0:
                self.diverged = True  # stops the runner; adding points lifts it
                self.status = "no training points yet: add some (draw on the plane, or add_points)"
                return self.evaluate()
            with _gc_paused():
                finite = self._run_batches(cancelled)
            if finite is None:
                return None
            self.epoch += 1
            row = self.evaluate()
            if not finite:
                row["loss"] = math.inf if math.isfinite(row["loss"]) else row["loss"]
            self.history.append(row)
            if not (math.isfinite(row["loss"]) and all(math.isfinite(p.data) for p in self.params)):
                self.diverged = True
                self.status = f"diverged at epoch {self.epoch}: lower the learning rate"
            return row

    def _loss_of(self, outputs, targets):
        if self.task == "multiclass":
            return cross_entropy(outputs, targets)
        return LOSSES[self.settings["loss"]](outputs, targets)

    def _run_batches(self, cancelled):
        """The epoch's optimizer steps on Value graphs: True, False if a loss was not finite, None if cancelled."""
        s = self.settings
        params = self.params
        self.optimizer.lr = self.lr_now
        for k, batch in enumerate(self._batches()):
            outputs = []
            for j, i in enumerate(batch):
                if cancelled is not None and k == 0 and j % 8 == 0 and cancelled():
                    return None
                with scope(f"sample.{i}"):
                    outputs.append(self.model(self._rows[i]))
            loss = self._loss_of(outputs, [self._labels[i] for i in batch])
            if s["l2"] > 0:
                loss = loss + l2_penalty(params, s["l2"])
            if not math.isfinite(loss.data):
                return False  # do not step on inf/NaN gradients: keep the last finite weights
            if s["zero_grad"]:
                self.model.zero_grad()
                loss.backward()
            else:  # the classic bug, on purpose: grads pile up from step to step
                loss.backward(accumulate=True)
            self.optimizer.step()
        return True

    def train(self, epochs: int) -> list:
        """Run ``epochs`` epochs (stopping early at divergence); returns the new history rows."""
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
            raise ValueError(f"epochs must be an integer >= 0, got {epochs!r}")
        rows = []
        for _ in range(int(epochs)):
            if self.diverged:
                break
            rows.append(self.step())
        return rows

    def evaluate(self) -> dict:
        """The current weights' loss and accuracy (R² in regression) on the training and test points (no L2)."""
        with self.lock, _one_blas_thread():
            s = self.settings
            scores = fastpath.forward(self.model, self.F) if len(self.F) else np.zeros((0,) + self._shape()[1:])
            train, test = ~self.is_test, self.is_test
            loss, metric = _figures(s["task"], s["loss"], scores[train], self.y[train])
            test_loss, test_metric = _figures(s["task"], s["loss"], scores[test], self.y[test])
            row = {"epoch": self.epoch, "loss": loss, "accuracy": metric, "test_loss": test_loss}
            row["test_accuracy"] = test_metric
            if s["task"] == "regression":
                row.update(accuracy=math.nan, test_accuracy=math.nan, r2=metric, test_r2=test_metric)
            return row

    # ---- pictures of the plane -------------------------------------------------------

    def boundary(self) -> np.ndarray:
        """The plane on a 100 x 100 grid (row-major, y upward), float32: binary scores, K softmax
        probabilities per cell (point-major) in multi-class, predictions in regression; empty on a 1-D fit."""
        if self.dims == 1:
            return np.zeros(0, np.float32)
        with self.lock, np.errstate(all="ignore"), _one_blas_thread():
            out = fastpath.forward(self.model, self._grid)
            if self.task == "multiclass":
                out = fastpath.softmax(out)
            return out.astype(np.float32).ravel()

    def curve(self, points=CURVE_POINTS) -> np.ndarray:
        """A 1-D fit's curve: float32, ``points`` x values then the model's predictions there."""
        if self.dims != 1:
            return np.zeros(0, np.float32)
        xs = np.linspace(self._xs[0], self._xs[-1], points)
        with self.lock, np.errstate(all="ignore"), _one_blas_thread():
            preds = fastpath.forward(self.model, datasets.features(xs[:, None], self.settings["features"]))
        return np.concatenate([xs, preds]).astype(np.float32)

    @property
    def boundary_range(self) -> list:
        """[lo, hi] of the regression targets (for a diverging legend); [] for classification."""
        if self.task != "regression":
            return []
        if len(self.y) == 0:
            return [-1.0, 1.0]
        return [float(self.y.min()), float(self.y.max())]

    @property
    def extent(self) -> list:
        """[x_min, x_max, y_min, y_max] of the boundary grid (y is the target on a 1-D fit)."""
        return [float(self._xs[0]), float(self._xs[-1]), float(self._ys[0]), float(self._ys[-1])]

    def hidden_maps(self, cells=24, layers=2) -> np.ndarray:
        """Each neuron's output of the first ``layers`` hidden layers on a cells x cells grid: (neurons, cells**2)."""
        _, _, points = fastpath.grid(self.plane_points, cells=cells)
        with self.lock, np.errstate(all="ignore"), _one_blas_thread():
            _, hidden = fastpath.forward(self.model, self._features_of(points), with_hidden=True)
            maps = [h.T for h in hidden[:layers]]
            return np.concatenate(maps).astype(np.float32) if maps else np.zeros((0, cells * cells), np.float32)

    def feature_maps(self, cells=24) -> np.ndarray:
        """Each chosen input feature on a cells x cells grid: (features, cells**2) float32."""
        _, _, points = fastpath.grid(self.plane_points, cells=cells)
        return self._features_of(points).T.astype(np.float32)

    def point_graph(self, i: int) -> list:
        """Point i's loss as a Value graph (topological order), built under scope 'sample.i', with grads.

        The parameters' grads are saved and restored, so looking at a point
        never disturbs training (in accumulate mode they hold the piled-up sum).
        """
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not 0 <= i < len(self._rows):
            raise ValueError(f"point index must be in [0, {len(self._rows) - 1}], got {i!r}")
        with self.lock:
            saved = [p.grad for p in self.params]
            with scope(f"sample.{int(i)}"):
                out = self.model(self._rows[i])
                loss = self._loss_of([out], [self._labels[i]])
            loss.label = f"loss of point {int(i)}"
            loss.backward()
            for p, g in zip(self.params, saved, strict=True):
                p.grad = g
            return loss.topo()

    # ---- saving and restoring ---------------------------------------------------------

    def state(self) -> dict:
        """Everything the next epochs depend on, as plain data (JSON-serialisable, Python literals)."""
        with self.lock:
            X, y, base_test = self._base
            labels = self.labels
            rng = self._shuffle.getstate()
            return {
                "version": STATE_VERSION,
                "settings": {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in self.settings.items()},
                "lr_given": self.lr_given,
                "optimizer_given": self.optimizer_given,
                "seed": self.seed,
                "data_seed": self.data_seed,
                "data": {
                    "X": X.tolist(),
                    "y": y.tolist(),
                    "is_test": base_test.astype(int).tolist(),
                    "added_X": [list(p) for p in self._extra_X],
                    "added_y": list(self._extra_y),
                    "custom": self._user is not None,
                    "dims": self.dims,
                    "task": labels.task,
                    "class_labels": [_plain_label(v) for v in labels.class_labels],
                    "axis_labels": self.axis_labels,
                },
                "weights": [_enc(p.data) for p in self.params],
                "snapshot": [_enc(v) for v in self.snapshot.values()],
                "grads": None if self.settings["zero_grad"] else [_enc(p.grad) for p in self.params],
                "optimizer": _plain_optimizer(self.optimizer.state_dict()),
                "epoch": self.epoch,
                "lr_now": self.lr_now,
                "history": [
                    {k: _enc(v) if isinstance(v, float) else v for k, v in row.items()} for row in self.history
                ],
                "shuffle_rng": [rng[0], list(rng[1]), rng[2]],
                "diverged": self.diverged,
                "status": self.status,
            }

    @classmethod
    def from_state(cls, state: dict) -> "Session":
        """A session that continues exactly where the one that gave ``state()`` was."""
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            raise ValueError(f"not a trainer state (version {STATE_VERSION}): {str(state)[:80]!r}")
        s, d = dict(state["settings"]), state["data"]
        self = cls.__new__(cls)
        self.seed, self.data_seed = int(state["seed"]), int(state["data_seed"])
        self.lock = threading.RLock()
        self.lr_given = bool(state["lr_given"])
        self.optimizer_given = bool(state["optimizer_given"])
        self.axis_labels = d["axis_labels"]
        dims = int(d["dims"])
        X = np.asarray(d["X"], dtype=np.float64).reshape(len(d["y"]), -1) if d["X"] else np.zeros((0, dims))
        y = np.asarray(d["y"], dtype=np.float64)
        labels = Labels(d["task"], d["class_labels"])
        self._user = {"X": X, "y": y, "labels": labels} if d["custom"] else None
        self.settings = validate(**{k: v for k, v in s.items() if k != "data"})
        self.settings["data"] = s["data"]
        self._base = (X, y, np.asarray(d["is_test"], dtype=bool))
        self._extra_X, self._extra_y = [list(p) for p in d["added_X"]], list(d["added_y"])
        self._assemble()
        self.model = self._new_model()
        self.params = self.model.parameters()
        names = [name for name, _ in self.model.named_parameters()]
        if len(names) != len(state["weights"]):
            raise ValueError(f"the state holds {len(state['weights'])} weights, the network has {len(names)}")
        self.snapshot = dict(zip(names, map(_dec, state["snapshot"]), strict=True))
        self.reset()
        for p, w in zip(self.params, state["weights"], strict=True):
            p.data = _dec(w)
        if state["grads"] is not None:
            for p, g in zip(self.params, state["grads"], strict=True):
                p.grad = _dec(g)
        self.optimizer.load_state_dict(state["optimizer"])
        self.epoch = int(state["epoch"])
        self.history = [{k: _dec(v) if k != "epoch" else v for k, v in row.items()} for row in state["history"]]
        version, internal, gauss = state["shuffle_rng"]
        self._shuffle.setstate((version, tuple(internal), gauss))
        self.diverged, self.status = bool(state["diverged"]), state["status"]
        return self


def _plain_label(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


def _plain_optimizer(state):
    out = {}
    for k, v in state.items():
        if isinstance(v, (list, tuple)):
            out[k] = [_enc(x) if isinstance(x, float) else x for x in v]
        elif isinstance(v, float):
            out[k] = _enc(v)
        else:
            out[k] = v
    return out


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
