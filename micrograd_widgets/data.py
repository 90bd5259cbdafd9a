"""2-D classification data sets for lectures: ``(X, y)`` with X of shape (n, 2), y in {-1, +1}.

Every generator takes ``n`` (points), ``noise`` and ``seed``; the same seed gives
the same points. ``zero_one=True`` returns labels in {0, 1} instead (for
``bce_with_logits`` either works: it maps -1 to 0).
"""

import numpy as np


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


def blobs(n=100, noise=0.1, seed=None, zero_one=False):
    """Two Gaussian blobs (scikit-learn's make_blobs); noise scales their spread."""
    _check(n, noise)
    X, y = _sklearn().make_blobs(
        n_samples=n, centers=[(-1.0, -1.0), (1.0, 1.0)], cluster_std=0.4 + 2 * noise, random_state=seed
    )
    return _finish(X, y, zero_one)


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


def spiral(n=100, noise=0.1, seed=None, zero_one=False):
    """Two interleaved spirals, the hard one of the set."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    t = np.sqrt(rng.uniform(0, 1, size=n)) * 3 * np.pi  # sqrt: even density along the arm
    angle = t + np.pi * y
    radius = t / (3 * np.pi)
    X = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    X += rng.normal(scale=noise * 0.5, size=X.shape)
    return _finish(X, y, zero_one)


DATASETS = {"moons": moons, "circles": circles, "blobs": blobs, "xor": xor, "spiral": spiral, "gauss": gauss}


def make(name, n=100, noise=0.1, seed=None, zero_one=False):
    """Any data set by name: one of moons, circles, blobs, xor, spiral, gauss."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {sorted(DATASETS)}")
    return DATASETS[name](n=n, noise=noise, seed=seed, zero_one=zero_one)
