"""Data sets for lectures, ``(X, y)``, and the input features a network can see.

Two-class sets (moons, circles, blobs, xor, spiral, gauss) give X of shape (n, 2)
and y in {-1, +1} (``zero_one=True``: {0, 1}; ``bce_with_logits`` takes either).
spiral and blobs take ``classes=K``; with K >= 3, and for yinyang (3 classes),
y holds the class indexes 0..K-1. The regression sets (reg-plane, reg-gauss, and
the 1-D sine, whose X has shape (n, 1)) give float targets. Every generator takes
``n`` (points), ``noise`` and ``seed``; the same seed gives the same points.
"""

import numpy as np

from ._checks import name_list


def _sklearn():
    # scikit-learn takes about 1.5 s to import: load it only when a set is drawn
    from sklearn import datasets

    return datasets


def _finish(X, y01, zero_one):
    X = np.asarray(X, dtype=np.float64)
    y01 = np.asarray(y01, dtype=np.int64)
    return X, (y01 if zero_one else 2 * y01 - 1)


def _check(n, noise):
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    if not noise >= 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")


def _check_classes(classes, n, most=8):
    if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)) or not 2 <= classes <= most:
        raise ValueError(f"classes must be an integer in [2, {most}], got {classes!r}")
    if n < classes:
        raise ValueError(f"{classes} classes need at least {classes} points, got n={n}")
    return int(classes)


def _finish_classes(X, y, classes, zero_one):
    # two classes keep the {-1, +1} convention of the two-class sets; more are 0..K-1
    return _finish(X, y, zero_one) if classes == 2 else (np.asarray(X, dtype=np.float64), y.astype(np.int64))


def moons(n=100, noise=0.1, seed=None, zero_one=False):
    """Two interleaving half circles (scikit-learn's make_moons), micrograd's demo set."""
    _check(n, noise)
    X, y = _sklearn().make_moons(n_samples=n, noise=noise, random_state=seed)
    return _finish(X, y, zero_one)


def circles(n=100, noise=0.1, seed=None, zero_one=False):
    """A small circle inside a large one (scikit-learn's make_circles)."""
    _check(n, noise)
    X, y = _sklearn().make_circles(n_samples=n, noise=noise, factor=0.5, random_state=seed)
    return _finish(X, y, zero_one)


def blobs(n=100, noise=0.1, seed=None, zero_one=False, classes=2):
    """Gaussian blobs (scikit-learn's make_blobs), one per class; noise scales their spread."""
    _check(n, noise)
    classes = _check_classes(classes, n)
    if classes == 2:
        centers = [(-1.0, -1.0), (1.0, 1.0)]
    else:  # evenly around a circle, as far apart as two classes' centers are
        angles = 2 * np.pi * np.arange(classes) / classes + np.pi / 4
        centers = np.column_stack([np.cos(angles), np.sin(angles)]) * np.sqrt(2)
    X, y = _sklearn().make_blobs(n_samples=n, centers=centers, cluster_std=0.4 + 2 * noise, random_state=seed)
    return _finish_classes(X, y, classes, zero_one)


def gauss(n=100, noise=0.1, seed=None, zero_one=False):
    """Two overlapping Gaussian clouds (TensorFlow Playground's 'gauss'); noise widens them."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    centers = np.where(y[:, None] == 1, 1.0, -1.0)
    X = centers + rng.normal(scale=0.5 + 2 * noise, size=(n, 2))
    return _finish(X, y, zero_one)


def xor(n=100, noise=0.1, seed=None, zero_one=False):
    """Points in [-1, 1]^2 labelled by the sign of x * y: no line separates them."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    X += np.sign(X) * 0.05  # a small margin around the axes
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    X += rng.normal(scale=noise, size=X.shape)
    return _finish(X, y, zero_one)


def spiral(n=100, noise=0.1, seed=None, zero_one=False, classes=2):
    """Interleaved spiral arms, one per class: the hard one of the set."""
    _check(n, noise)
    classes = _check_classes(classes, n)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % classes
    t = np.sqrt(rng.uniform(0, 1, size=n)) * 3 * np.pi  # sqrt: even density along the arm
    angle = t + np.pi * y if classes == 2 else t + 2 * np.pi * y / classes
    radius = t / (3 * np.pi)
    X = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    X += rng.normal(scale=noise * 0.5, size=X.shape)
    return _finish_classes(X, y, classes, zero_one)


def yinyang(n=100, noise=0.1, seed=None):
    """Three classes in a disk: yin (0), yang (1) and the two dots (2), balanced (EurekaLabs' micrograd set)."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    X = np.zeros((n, 2))
    todo = np.arange(n)
    while len(todo):  # rejection sampling: draw in the disk until each point lands in its own class
        r, a = np.sqrt(rng.uniform(0, 1, len(todo))), rng.uniform(0, 2 * np.pi, len(todo))
        P = np.column_stack([r * np.cos(a), r * np.sin(a)])
        hit = _yinyang_class(P) == y[todo]
        X[todo[hit]] = P[hit]
        todo = todo[~hit]
    X += rng.normal(scale=noise * 0.25, size=X.shape)
    return X, y.astype(np.int64)


def _yinyang_class(P):
    up = np.hypot(P[:, 0], P[:, 1] - 0.5)
    down = np.hypot(P[:, 0], P[:, 1] + 0.5)
    side = np.where(up < 0.5, 1, np.where(down < 0.5, 0, (P[:, 0] >= 0).astype(int)))
    return np.where((up < 0.2) | (down < 0.2), 2, side)


# ---- regression: float targets ------------------------------------------------------


def reg_plane(n=100, noise=0.1, seed=None):
    """A tilted plane over [-1, 1]^2, target (x1 + x2) / 2 plus noise (TensorFlow Playground's reg-plane)."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X, (X[:, 0] + X[:, 1]) / 2 + rng.normal(scale=noise, size=n)


def reg_gauss(n=100, noise=0.1, seed=None):
    """Four Gaussian bumps, two up and two down, over [-1, 1]^2 (TensorFlow Playground's reg-gauss)."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    centers = np.array([(-0.5, 0.5), (0.5, 0.5), (-0.5, -0.5), (0.5, -0.5)])
    signs = np.array([1.0, -1.0, -1.0, 1.0])
    d2 = ((X[:, None, :] - centers[None]) ** 2).sum(axis=2)
    return X, np.exp(-d2 / (2 * 0.3**2)) @ signs + rng.normal(scale=noise, size=n)


def sine(n=100, noise=0.1, seed=None):
    """A 1-D function fit: x in [-3, 3] (X has shape (n, 1)), target sin(x) plus noise."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, size=n)
    return x[:, None], np.sin(x) + rng.normal(scale=noise, size=n)


DATASETS = {
    "moons": moons,
    "circles": circles,
    "blobs": blobs,
    "xor": xor,
    "spiral": spiral,
    "gauss": gauss,
    "yinyang": yinyang,
    "reg-plane": reg_plane,
    "reg-gauss": reg_gauss,
    "sine": sine,
}
REGRESSION = ("reg-plane", "reg-gauss", "sine")  # float targets
MULTICLASS = {"yinyang": 3}  # fixed class counts; spiral and blobs take any
CLASSES_ANY = ("spiral", "blobs")


def task_of(name, classes=2) -> str:
    """'binary', 'multiclass' or 'regression': what data set ``name`` with ``classes`` classes asks for."""
    if name in REGRESSION:
        return "regression"
    return "multiclass" if MULTICLASS.get(name, classes) >= 3 else "binary"


def make(name, n=100, noise=0.1, seed=None, zero_one=False, classes=None):
    """Any data set by name (see DATASETS); ``classes`` for spiral and blobs (default 2)."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {sorted(DATASETS)}")
    if name in CLASSES_ANY:
        return DATASETS[name](n=n, noise=noise, seed=seed, zero_one=zero_one, classes=2 if classes is None else classes)
    if classes is not None and classes != MULTICLASS.get(name, 0 if name in REGRESSION else 2):
        raise ValueError(f"data set {name!r} has a fixed number of classes; classes= works for spiral and blobs")
    if name in REGRESSION or name in MULTICLASS:
        return DATASETS[name](n=n, noise=noise, seed=seed)
    return DATASETS[name](n=n, noise=noise, seed=seed, zero_one=zero_one)


# ---- input features ---------------------------------------------------------------------

FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
_FEATURE_MAPS = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1^2": lambda X: X[:, 0] * X[:, 0],
    "x2^2": lambda X: X[:, 1] * X[:, 1],
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin(x1)": lambda X: np.sin(X[:, 0]),
    "sin(x2)": lambda X: np.sin(X[:, 1]),
}


def check_features(names, dims=2) -> list:
    """The feature names as a list, checked: known, not repeated, at least one, none of x2 on 1-D data."""
    names = name_list(names, FEATURES, "feature")
    if not names:
        raise ValueError(f"features must name at least one of {', '.join(FEATURES)}")
    if len(set(names)) != len(names):
        raise ValueError(f"features must not repeat a name, got {names}")
    if dims == 1 and any("x2" in f for f in names):
        raise ValueError(f"1-D data has no x2: choose features from x1, x1^2, sin(x1); got {names}")
    return names


def features(X, names=("x1", "x2")) -> np.ndarray:
    """The columns the network sees: one per feature name, computed from the points X (shape (n, 2) or (n, 1))."""
    X = np.asarray(X, dtype=np.float64)
    names = check_features(names, X.shape[1])
    return np.column_stack([_FEATURE_MAPS[f](X) for f in names]) if len(X) else np.zeros((0, len(names)))
