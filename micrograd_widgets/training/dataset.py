"""The trainer's points: a generated set or your own, the points added later, the split and the plane's axes.

Plain lists of floats, seeded by ``random.Random``: the same seed gives the same
points and the same split with or without numpy. Labels are in the trainer's
convention (-1/+1, 0..K-1, float targets); ``labels`` maps them to the user's.
"""

import math
import random

from .. import data as datasets
from ..data import shuffle
from .checks import MAX_OWN_POINTS
from .userdata import Labels, generated_labels

EMPTY_EXTENT = [-1.5, 1.5, -1.5, 1.5]  # the plane of a data set drawn from scratch


class Dataset:
    """Base points (a set's or yours) with their split, points added later (each split by its own draw), axes."""

    def __init__(self, X, y, labels: Labels, seed: int, test_fraction: float, custom: bool, axis_labels=None):
        self.X, self.y = [list(p) for p in X], list(y)
        self.labels = labels
        self.seed = seed  # the data's seed: the split and each added point's draw
        self.custom = custom
        self.axis_labels = axis_labels
        self.dims = len(self.X[0]) if self.X else (axis_labels and len(axis_labels)) or 2
        self.is_test = split(len(self.y), test_fraction, seed)
        self.test_fraction = test_fraction
        self.added_X: list[list[float]] = []
        self.added_y: list[float] = []
        self.scale: list | None = None  # [(mean, spread)] per coordinate when standardised
        self.extent = self.fitted_extent()

    @classmethod
    def generated(cls, name, n, noise, seed, classes, test_fraction):
        """A built-in set (``classes`` for spiral and blobs)."""
        X, y = datasets.generate(name, n, noise, seed, classes=classes if name in datasets.CLASSES_ANY else None)
        task = datasets.task_of(name, classes or 2)
        k = datasets.MULTICLASS.get(name, classes or 2) if task == "multiclass" else (2 if task == "binary" else 0)
        return cls(X, [float(v) for v in y], generated_labels(task, k), seed, test_fraction, custom=False)

    # ---- what the plane and the network see -------------------------------------------------

    @property
    def points(self) -> list:
        """Every point: the base ones, then the added ones."""
        return self.X + self.added_X

    @property
    def targets(self) -> list:
        return self.y + self.added_y

    @property
    def test_flags(self) -> list:
        start = len(self.y)
        return self.is_test + [self._added_is_test(start + j) for j in range(len(self.added_y))]

    def _added_is_test(self, index) -> bool:
        # a point added later goes to the test set by its own seeded draw: the others keep theirs
        return random.Random(f"{self.seed}/{index}").random() < self.test_fraction

    def plane_points(self) -> list:
        """Where the points are drawn: X itself, or (x, target) on a 1-D fit."""
        if self.dims == 2:
            return self.points
        return [[p[0], t] for p, t in zip(self.points, self.targets, strict=True)]

    def standardize(self, on: bool):
        """Scale the coordinates to mean 0 and spread 1 before the network sees them (your own data only)."""
        self.scale = _scale(self.X) if on and self.custom and self.X else None

    def inputs(self, points) -> list:
        """Points in the network's coordinates: standardised when ``scale`` is set."""
        if self.scale is None:
            return [list(p) for p in points]
        return [[(x - m) / s for x, (m, s) in zip(p, self.scale, strict=True)] for p in points]

    def fitted_extent(self) -> list:
        """[x_min, x_max, y_min, y_max] around the points, with a margin; a fixed square for no points."""
        points = self.plane_points()
        if not points:
            return list(EMPTY_EXTENT)
        out = []
        for k in range(2):
            lo, hi = min(p[k] for p in points), max(p[k] for p in points)
            pad = 0.15 * (hi - lo) if hi > lo else 1.0
            out += [lo - pad, hi + pad]
        return out

    def fit_axes(self):
        self.extent = self.fitted_extent()

    # ---- points added, taken back, cleared ------------------------------------------------------

    def add(self, X, y):
        """Append points (already in the trainer's convention); the axes stay where they are."""
        if len(self.targets) + len(y) > MAX_OWN_POINTS:
            raise ValueError(f"at most {MAX_OWN_POINTS:,} points: this trainer has {len(self.targets):,}")
        self.added_X.extend(list(p) for p in X)
        self.added_y.extend(float(v) for v in y)

    def undo(self) -> bool:
        """Take back the last added point; False when there is none."""
        if not self.added_y:
            return False
        self.added_X.pop()
        self.added_y.pop()
        return True

    def clear(self):
        """No points at all (to draw a set from scratch): your own, empty; the labels and the axes stay."""
        self.X, self.y, self.is_test = [], [], []
        self.added_X, self.added_y = [], []
        self.custom = True


def split(count, fraction, seed) -> list:
    """Which of ``count`` points are test points: a seeded shuffle, the first round(fraction * count) of it."""
    order = list(range(count))
    shuffle(random.Random(seed), order)
    n_test = int(round(fraction * count))
    if count and count - n_test < 2:
        raise ValueError(f"test_fraction {fraction} leaves fewer than 2 training points")
    flags = [False] * count
    for i in order[:n_test]:
        flags[i] = True
    return flags


def _scale(X) -> list:
    """(mean, spread) per coordinate; a coordinate that never varies keeps spread 1."""
    out = []
    for k in range(len(X[0])):
        column = [p[k] for p in X]
        mean = math.fsum(column) / len(column)
        spread = math.sqrt(math.fsum((x - mean) * (x - mean) for x in column) / len(column))
        out.append((mean, spread if spread > 0 else 1.0))
    return out
