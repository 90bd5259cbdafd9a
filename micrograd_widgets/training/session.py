"""The training session behind the Trainer widget: data, model, settings, epochs, history.

Plain Python (no widget, no thread): the Trainer owns one ``Session`` and a
background loop (``runner.py``) calls ``step()``. Training runs on Value graphs
through the engine, one ``scope(f"sample.{i}")`` per data point; the figures of
each epoch (train/test loss and accuracy) and every picture of the plane are
computed on the numpy fast path from the weights as they are after the update,
so a history row, the boundary and the curves always describe the same model.
"""

import contextlib
import gc
import math
import random
import threading

import numpy as np

from .. import data as datasets
from ..engine import scope
from ..nn import ACTIVATIONS, LOSSES, MLP, SGD, l2_penalty
from . import fastpath
from .settings import REBUILD_DATA, REBUILD_MODEL, validate

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
# graph has no reference cycles once the loss's cached order is dropped, so
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


# ---- numpy losses for the figures (the Value versions are in nn.LOSSES) ----------


def _numpy_loss(name, scores, ys):
    with np.errstate(all="ignore"):
        if name == "hinge":
            return float(np.mean(np.maximum(0.0, 1.0 - ys * scores)))
        if name == "mse":
            return float(np.mean((scores - ys) ** 2))
        targets = (ys > 0).astype(np.float64)
        return float(np.mean(np.logaddexp(0.0, scores) - targets * scores))


def _figures(loss, scores, ys):
    if len(ys) == 0:
        return math.nan, math.nan
    return _numpy_loss(loss, scores, ys), float(np.mean((scores > 0) == (ys > 0)))


class Session:
    """One training run: data split, model, its initial weights, settings and history."""

    def __init__(
        self,
        data="moons",
        n=100,
        noise=0.1,
        test_fraction=0.2,
        hidden=(16, 16),
        activation="relu",
        loss="hinge",
        lr=0.5,
        batch_size=None,
        l2=1e-4,
        seed=0,
        zero_grad=True,
        model=None,
        X=None,
        y=None,
    ):
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(f"seed must be an integer, got {seed!r}")
        self.seed = int(seed)
        self.data_seed = self.seed
        self.lock = threading.RLock()  # held for an epoch; the point-graph view takes it too
        if model is not None:
            hidden, activation = _describe(model)
        settings = dict(
            n=n,
            noise=noise,
            test_fraction=test_fraction,
            loss=loss,
            lr=lr,
            batch_size=batch_size,
            l2=l2,
            zero_grad=zero_grad,
            activation=activation,
        )
        if X is None:
            settings["data"] = data
        if model is None:
            settings["hidden"] = hidden
        self.settings = validate(**settings)
        self.settings.setdefault("hidden", list(hidden))
        if X is not None:
            self.settings["data"] = "custom"
            self._custom = _check_xy(X, y)
            self.settings["n"] = len(self._custom[1])
        elif y is not None:
            raise ValueError("y was given without X: pass both, or neither to use a built-in data set")
        self._make_data()
        self.model = model if model is not None else self._new_model()
        self._take_snapshot()

    # ---- building -------------------------------------------------------------------

    def _new_model(self):
        return MLP(2, [*self.settings["hidden"], 1], activation=self.settings["activation"], seed=self.seed)

    def _make_data(self):
        if self.settings["data"] == "custom":
            X, y = self._custom
        else:
            X, y = datasets.make(self.settings["data"], self.settings["n"], self.settings["noise"], self.data_seed)
        order = np.random.default_rng(self.data_seed).permutation(len(y))
        n_test = int(round(self.settings["test_fraction"] * len(y)))
        if len(y) - n_test < 2:
            raise ValueError(f"test_fraction {self.settings['test_fraction']} leaves fewer than 2 training points")
        self.X, self.y = X, y.astype(np.float64)
        self.is_test = np.zeros(len(y), dtype=bool)
        self.is_test[order[:n_test]] = True
        self.train_index = np.flatnonzero(~self.is_test)
        self._rows = X.tolist()  # Python floats: the engine's inputs
        self._labels = self.y.tolist()
        self._xs, self._ys, self._grid = fastpath.grid(X, cells=100)

    def _take_snapshot(self):
        self.params = self.model.parameters()
        self.optimizer = SGD(self.params, self.settings["lr"])
        self.snapshot = self.model.state_dict()
        self.reset()

    def reset(self):
        """Back to the weights the session started with (the snapshot); history cleared."""
        with self.lock:
            self.model.load_state_dict(self.snapshot)
            for p in self.params:
                p.grad = 0.0
            self.history = []
            self.epoch = 0
            self.status = ""
            self.diverged = False
            self._shuffle = random.Random(self.seed)  # mini-batch order: same seed, same history

    def set(self, **settings):
        """Change settings: data ones rebuild the data and reset, architecture ones rebuild the model."""
        settings = validate(**settings)
        with self.lock:
            old = dict(self.settings)
            self.settings.update(settings)
            changed = {k for k, v in settings.items() if old.get(k) != v}
            try:
                if self.settings["data"] == "custom" and "data" not in changed:
                    changed -= {"n", "noise"}  # the user's own points have no generator
                if changed & REBUILD_DATA:
                    self._make_data()
                if changed & REBUILD_MODEL:
                    self.model = self._new_model()
                    self._take_snapshot()
                elif changed & REBUILD_DATA:
                    self.reset()
            except ValueError:
                self.settings = old
                self._make_data()
                raise
            return changed

    def regenerate(self):
        """New points from the same generator (a new data seed), weights back to the snapshot."""
        with self.lock:
            self.data_seed += 1
            self._make_data()
            self.reset()

    # ---- training -------------------------------------------------------------------

    def _batches(self):
        index = self.train_index.tolist()
        size = self.settings["batch_size"]
        if size is None or size >= len(index):
            return [index]
        self._shuffle.shuffle(index)
        return [index[i : i + size] for i in range(0, len(index), size)]

    def step(self, cancelled=None) -> dict | None:
        """One epoch (one SGD step per batch); returns its history row. Does nothing once diverged.

        ``cancelled`` (a function) is asked every few points during the forward
        pass; if it says True before the first update, the epoch is dropped
        (no weights changed, no row) and None is returned: a pause lands at once.
        """
        with self.lock:
            if self.diverged:
                return self.history[-1] if self.history else self.evaluate()
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

    def _run_batches(self, cancelled):
        """The epoch's SGD steps on Value graphs: True, False if a loss was not finite, None if cancelled."""
        s = self.settings
        criterion, params = LOSSES[s["loss"]], self.params
        self.optimizer.lr = s["lr"]
        for k, batch in enumerate(self._batches()):
            scores = []
            for j, i in enumerate(batch):
                if cancelled is not None and k == 0 and j % 8 == 0 and cancelled():
                    return None
                with scope(f"sample.{i}"):
                    scores.append(self.model(self._rows[i]))
            loss = criterion(scores, [self._labels[i] for i in batch])
            if s["l2"] > 0:
                loss = loss + l2_penalty(params, s["l2"])
            if not math.isfinite(loss.data):
                return False  # do not step on inf/NaN gradients: keep the last finite weights
            if s["zero_grad"]:
                self.model.zero_grad()
                loss.backward()
            else:  # the classic bug, on purpose: grads pile up from step to step
                loss.backward(accumulate=True)
            loss._topo = None  # the cached order holds the loss itself: without it the graph is freed at once
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
        """The current weights' loss and accuracy on the training and test points (no L2 term)."""
        with self.lock, _one_blas_thread():
            scores = fastpath.forward(self.model, self.X)
            loss, acc = _figures(self.settings["loss"], scores[~self.is_test], self.y[~self.is_test])
            test_loss, test_acc = _figures(self.settings["loss"], scores[self.is_test], self.y[self.is_test])
            return {
                "epoch": self.epoch,
                "loss": loss,
                "accuracy": acc,
                "test_loss": test_loss,
                "test_accuracy": test_acc,
            }

    # ---- pictures of the plane -------------------------------------------------------

    def boundary(self) -> np.ndarray:
        """The score on a 100 x 100 grid over the data (row-major, y upward), float32."""
        with self.lock, np.errstate(all="ignore"), _one_blas_thread():
            return fastpath.forward(self.model, self._grid).astype(np.float32)

    @property
    def extent(self) -> list:
        """[x_min, x_max, y_min, y_max] of the boundary grid."""
        return [float(self._xs[0]), float(self._xs[-1]), float(self._ys[0]), float(self._ys[-1])]

    def hidden_maps(self, cells=24, layers=2) -> np.ndarray:
        """Each neuron's output of the first ``layers`` hidden layers on a cells x cells grid: (neurons, cells**2)."""
        _, _, points = fastpath.grid(self.X, cells=cells)
        with self.lock, np.errstate(all="ignore"), _one_blas_thread():
            _, hidden = fastpath.forward(self.model, points, with_hidden=True)
            maps = [h.T for h in hidden[:layers]]
            return np.concatenate(maps).astype(np.float32) if maps else np.zeros((0, cells * cells), np.float32)

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
                score = self.model(self._rows[i])
                loss = LOSSES[self.settings["loss"]]([score], [self._labels[i]])
            loss.label = f"loss of point {int(i)}"
            loss.backward()
            for p, g in zip(self.params, saved, strict=True):
                p.grad = g
            return loss.topo()


def _describe(model):
    """(hidden sizes, activation) of a user's MLP; it must map 2 inputs to 1 score."""
    if not hasattr(model, "layers") or not hasattr(model, "sizes"):
        raise ValueError(f"model must be an MLP (micrograd_widgets.nn.MLP), got {type(model).__name__}")
    sizes = model.sizes
    if sizes[0] != 2 or sizes[-1] != 1:
        raise ValueError(
            f"the trainer needs an MLP from 2 inputs to 1 score, e.g. MLP(2, [16, 16, 1]); got sizes {sizes}"
        )
    activation = model.layers[0].neurons[0].activation
    if len(model.layers) > 1 and activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r} in the model")
    return sizes[1:-1], activation if len(model.layers) > 1 else "relu"


def _check_xy(X, y):
    X = np.asarray(X, dtype=np.float64)
    if y is None:
        raise ValueError("X was given without y: pass the labels too")
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    if len(y) != len(X) or len(y) < 4:
        raise ValueError(f"X and y must hold the same number (>= 4) of points, got {len(X)} and {len(y)}")
    if not np.all(np.isin(y, (-1.0, 1.0))) and not np.all(np.isin(y, (0.0, 1.0))):
        raise ValueError("y must hold labels in {-1, +1} or {0, 1}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must hold finite numbers")
    return X, np.where(y > 0, 1.0, -1.0)
