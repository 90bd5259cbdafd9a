"""Data sets for lectures, ``(X, y)``, and the input features a network can see.

Two-class sets (moons, circles, blobs, xor, spiral, gauss) give X of shape (n, 2)
and y in {-1, +1} (``zero_one=True``: {0, 1}; ``bce_with_logits`` takes either).
spiral and blobs take ``classes=K``; with K >= 3, and for yinyang (3 classes),
y holds the class indexes 0..K-1. The regression sets (reg-plane, reg-gauss, and
the 1-D sine, whose X has shape (n, 1)) give float targets. Every generator takes
``n`` (points), ``noise`` and ``seed``; the same seed gives the same points.

Everything here is pure Python, seeded by ``random.Random``: the same seed gives
the same points with or without numpy, in a kernel, in Pyodide and in a saved
page. The functions return numpy arrays when numpy is installed (what a
scikit-learn user expects), and lists (rows of X, labels of y) otherwise; the
values are the same. ``generate`` always gives the lists (the trainer uses it).
The shapes of moons, circles and blobs are scikit-learn's (its make_moons,
make_circles and make_blobs are the tests' oracle); the random draws are ours.
"""

import math
import random
from collections.abc import Callable

from ._checks import name_list


def _check(n, noise):
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not noise >= 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")


def _check_classes(classes, n, most=8):
    if isinstance(classes, bool) or not isinstance(classes, int) or not 2 <= classes <= most:
        raise ValueError(f"classes must be an integer in [2, {most}], got {classes!r}")
    if n < classes:
        raise ValueError(f"{classes} classes need at least {classes} points, got n={n}")
    return classes


def _integer(value):
    # numpy integers (a count read from an array) are integers too, without importing numpy
    if not isinstance(value, (bool, int)) and hasattr(value, "__index__"):
        return value.__index__()
    return value


def _linspace(lo, hi, count, endpoint=True):
    steps = count - 1 if endpoint else count
    if steps <= 0:
        return [lo] * count
    return [lo + (hi - lo) * i / steps for i in range(count)]


def shuffle(rng, items):
    """Shuffle the list ``items`` in place (Fisher-Yates), drawing from ``rng.getrandbits``.

    ``random.Random.shuffle`` draws the same way in today's Pythons, but its
    helper is private and may change; this one is ours, and the page's copy
    (js/trainer/random.js) draws the same words from the same Mersenne Twister.
    """
    for i in range(len(items) - 1, 0, -1):
        bound = i + 1
        bits = bound.bit_length()
        j = rng.getrandbits(bits)
        while j >= bound:
            j = rng.getrandbits(bits)
        items[i], items[j] = items[j], items[i]


def _shuffled(rng, X, y):
    order = list(range(len(y)))
    shuffle(rng, order)
    return [X[i] for i in order], [y[i] for i in order]


def _add_noise(rng, X, sigma):
    return [[x + rng.gauss(0.0, sigma) for x in row] for row in X]


def _two_class(y01, zero_one):
    return y01 if zero_one else [2 * v - 1 for v in y01]


def _moons(rng, n, noise):
    """Two interleaving half circles (scikit-learn's make_moons), micrograd's demo set."""
    outer, inner = n // 2, n - n // 2
    X = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, outer)]
    X += [[1 - math.cos(t), 1 - math.sin(t) - 0.5] for t in _linspace(0.0, math.pi, inner)]
    X, y = _shuffled(rng, X, [0] * outer + [1] * inner)
    return _add_noise(rng, X, noise), y


def _circles(rng, n, noise, factor=0.5):
    """A small circle inside a large one (scikit-learn's make_circles)."""
    outer, inner = n // 2, n - n // 2
    X = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, 2 * math.pi, outer, endpoint=False)]
    X += [[factor * math.cos(t), factor * math.sin(t)] for t in _linspace(0.0, 2 * math.pi, inner, endpoint=False)]
    X, y = _shuffled(rng, X, [0] * outer + [1] * inner)
    return _add_noise(rng, X, noise), y


def _blob_centers(classes):
    if classes == 2:
        return [(-1.0, -1.0), (1.0, 1.0)]
    # evenly around a circle, as far apart as two classes' centers are
    angles = [2 * math.pi * k / classes + math.pi / 4 for k in range(classes)]
    return [(math.sqrt(2) * math.cos(a), math.sqrt(2) * math.sin(a)) for a in angles]


def _blobs(rng, n, noise, classes):
    """Gaussian blobs (scikit-learn's make_blobs: n // K points each, the first n % K one more)."""
    spread = 0.4 + 2 * noise
    X, y = [], []
    for k, (cx, cy) in enumerate(_blob_centers(classes)):
        for _ in range(n // classes + (k < n % classes)):
            X.append([cx + rng.gauss(0.0, spread), cy + rng.gauss(0.0, spread)])
            y.append(k)
    return _shuffled(rng, X, y)


def _gauss(rng, n, noise):
    """Two overlapping Gaussian clouds (TensorFlow Playground's 'gauss'); noise widens them."""
    spread = 0.5 + 2 * noise
    y = [i % 2 for i in range(n)]
    X = [[c + rng.gauss(0.0, spread), c + rng.gauss(0.0, spread)] for c in (1.0 if v else -1.0 for v in y)]
    return X, y


def _xor(rng, n, noise):
    """Points in [-1, 1]^2 labelled by the sign of x * y: no line separates them."""
    X = []
    for _ in range(n):
        row = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
        X.append([x + math.copysign(0.05, x) for x in row])  # a small margin around the axes
    y = [int(x * z > 0) for x, z in X]
    return _add_noise(rng, X, noise), y


def _spiral(rng, n, noise, classes):
    """Interleaved spiral arms, one per class: the hard one of the set."""
    X, y = [], []
    for i in range(n):
        k = i % classes
        t = math.sqrt(rng.random()) * 3 * math.pi  # sqrt: even density along the arm
        angle = t + math.pi * k if classes == 2 else t + 2 * math.pi * k / classes
        radius = t / (3 * math.pi)
        X.append([radius * math.cos(angle), radius * math.sin(angle)])
        y.append(k)
    return _add_noise(rng, X, noise * 0.5), y


def _yinyang_class(x, z):
    up, down = math.hypot(x, z - 0.5), math.hypot(x, z + 0.5)
    if up < 0.2 or down < 0.2:
        return 2
    if up < 0.5:
        return 1
    if down < 0.5:
        return 0
    return int(x >= 0)


def _yinyang(rng, n, noise):
    """Three classes in a disk: yin (0), yang (1) and the two dots (2), balanced (EurekaLabs' micrograd set)."""
    X, y = [], []
    for i in range(n):
        k = i % 3
        while True:  # rejection sampling: draw in the disk until the point lands in its own class
            r, a = math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
            point = [r * math.cos(a), r * math.sin(a)]
            if _yinyang_class(*point) == k:
                break
        X.append(point)
        y.append(k)
    return _add_noise(rng, X, noise * 0.25), y


# ---- regression: float targets ------------------------------------------------------


def _reg_plane(rng, n, noise):
    """A tilted plane over [-1, 1]^2, target (x1 + x2) / 2 plus noise (TensorFlow Playground's reg-plane)."""
    X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(n)]
    return X, [(a + b) / 2 + rng.gauss(0.0, noise) for a, b in X]


_BUMPS = (((-0.5, 0.5), 1.0), ((0.5, 0.5), -1.0), ((-0.5, -0.5), -1.0), ((0.5, -0.5), 1.0))


def _reg_gauss(rng, n, noise):
    """Four Gaussian bumps, two up and two down, over [-1, 1]^2 (TensorFlow Playground's reg-gauss)."""
    X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(n)]
    bump = lambda a, b: sum(s * math.exp(-((a - cx) ** 2 + (b - cy) ** 2) / (2 * 0.3**2)) for (cx, cy), s in _BUMPS)  # noqa: E731
    return X, [bump(a, b) + rng.gauss(0.0, noise) for a, b in X]


def _sine(rng, n, noise):
    """A 1-D function fit: x in [-3, 3] (X has shape (n, 1)), target sin(x) plus noise."""
    xs = [rng.uniform(-3, 3) for _ in range(n)]
    return [[x] for x in xs], [math.sin(x) + rng.gauss(0.0, noise) for x in xs]


_GENERATORS: dict[str, Callable[..., tuple]] = {
    "moons": _moons,
    "circles": _circles,
    "blobs": _blobs,
    "xor": _xor,
    "spiral": _spiral,
    "gauss": _gauss,
    "yinyang": _yinyang,
    "reg-plane": _reg_plane,
    "reg-gauss": _reg_gauss,
    "sine": _sine,
}
REGRESSION = ("reg-plane", "reg-gauss", "sine")  # float targets
MULTICLASS = {"yinyang": 3}  # fixed class counts; spiral and blobs take any
CLASSES_ANY = ("spiral", "blobs")


def task_of(name, classes=2) -> str:
    """'binary', 'multiclass' or 'regression': what data set ``name`` with ``classes`` classes asks for."""
    if name in REGRESSION:
        return "regression"
    return "multiclass" if MULTICLASS.get(name, classes) >= 3 else "binary"


def generate(name, n=100, noise=0.1, seed=None, zero_one=False, classes=None) -> tuple:
    """Any data set by name as plain lists ``(rows of X, labels)``; ``classes`` for spiral and blobs (default 2)."""
    if name not in _GENERATORS:
        raise ValueError(f"unknown data set {name!r}; choose one of {sorted(_GENERATORS)}")
    n, classes = _integer(n), _integer(classes)
    _check(n, noise)
    rng = random.Random(seed)
    if name in CLASSES_ANY:
        k = _check_classes(2 if classes is None else classes, n)
        X, y = _GENERATORS[name](rng, n, noise, k)
        return X, (_two_class(y, zero_one) if k == 2 else y)
    if classes is not None and classes != MULTICLASS.get(name, 0 if name in REGRESSION else 2):
        raise ValueError(f"data set {name!r} has a fixed number of classes; classes= works for spiral and blobs")
    X, y = _GENERATORS[name](rng, n, noise)
    if name in REGRESSION or name in MULTICLASS:
        return X, y
    return X, _two_class(y, zero_one)


def _arrays(X, y):
    """numpy arrays when numpy is installed, else the lists themselves."""
    try:
        import numpy as np
    except ImportError:
        return X, y
    columns = len(X[0]) if X else 2
    if any(isinstance(v, str) for v in y):
        labels = np.asarray(y)  # class names as text
    else:
        labels = np.asarray(y, dtype=np.float64 if any(isinstance(v, float) for v in y) else np.int64)
    return np.asarray(X, dtype=np.float64).reshape(len(X), columns), labels


def make(name, n=100, noise=0.1, seed=None, zero_one=False, classes=None):
    """Any data set by name (see DATASETS); ``classes`` for spiral and blobs (default 2)."""
    return _arrays(*generate(name, n, noise, seed, zero_one, classes))


def moons(n=100, noise=0.1, seed=None, zero_one=False):
    """Two interleaving half circles (scikit-learn's make_moons), micrograd's demo set."""
    return make("moons", n, noise, seed, zero_one)


def circles(n=100, noise=0.1, seed=None, zero_one=False):
    """A small circle inside a large one (scikit-learn's make_circles)."""
    return make("circles", n, noise, seed, zero_one)


def blobs(n=100, noise=0.1, seed=None, zero_one=False, classes=2):
    """Gaussian blobs (scikit-learn's make_blobs), one per class; noise scales their spread."""
    return make("blobs", n, noise, seed, zero_one, classes)


def gauss(n=100, noise=0.1, seed=None, zero_one=False):
    """Two overlapping Gaussian clouds (TensorFlow Playground's 'gauss'); noise widens them."""
    return make("gauss", n, noise, seed, zero_one)


def xor(n=100, noise=0.1, seed=None, zero_one=False):
    """Points in [-1, 1]^2 labelled by the sign of x * y: no line separates them."""
    return make("xor", n, noise, seed, zero_one)


def spiral(n=100, noise=0.1, seed=None, zero_one=False, classes=2):
    """Interleaved spiral arms, one per class: the hard one of the set."""
    return make("spiral", n, noise, seed, zero_one, classes)


def yinyang(n=100, noise=0.1, seed=None):
    """Three classes in a disk: yin (0), yang (1) and the two dots (2), balanced (EurekaLabs' micrograd set)."""
    return make("yinyang", n, noise, seed)


def reg_plane(n=100, noise=0.1, seed=None):
    """A tilted plane over [-1, 1]^2, target (x1 + x2) / 2 plus noise (TensorFlow Playground's reg-plane)."""
    return make("reg-plane", n, noise, seed)


def reg_gauss(n=100, noise=0.1, seed=None):
    """Four Gaussian bumps, two up and two down, over [-1, 1]^2 (TensorFlow Playground's reg-gauss)."""
    return make("reg-gauss", n, noise, seed)


def sine(n=100, noise=0.1, seed=None):
    """A 1-D function fit: x in [-3, 3] (X has shape (n, 1)), target sin(x) plus noise."""
    return make("sine", n, noise, seed)


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


# ---- input features ---------------------------------------------------------------------

FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
# one function of a point (its coordinates) per feature; js/trainer/forward.js has the same table
_FEATURE_FUNCTIONS = {
    "x1": lambda p: p[0],
    "x2": lambda p: p[1],
    "x1^2": lambda p: p[0] * p[0],
    "x2^2": lambda p: p[1] * p[1],
    "x1*x2": lambda p: p[0] * p[1],
    "sin(x1)": lambda p: math.sin(p[0]),
    "sin(x2)": lambda p: math.sin(p[1]),
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


def feature_rows(points, names) -> list:
    """The network's inputs for plain rows of coordinates: one list of floats per point, one per feature."""
    functions = [_FEATURE_FUNCTIONS[f] for f in names]
    return [[f(p) for f in functions] for p in points]


def features(X, names=("x1", "x2")):
    """The columns the network sees: one per feature name, computed from the points X (shape (n, 2) or (n, 1))."""
    rows = [[float(v) for v in row] for row in (X.tolist() if hasattr(X, "tolist") else X)]
    names = check_features(names, len(rows[0]) if rows else 2)
    out = feature_rows(rows, names)
    try:
        import numpy as np
    except ImportError:
        return out
    return np.asarray(out, dtype=np.float64).reshape(len(out), len(names))
