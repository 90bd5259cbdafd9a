import subprocess
import sys

import numpy as np
import pytest

from micrograd_widgets import data

NAMES = ["moons", "circles", "blobs", "xor", "spiral", "gauss"]


@pytest.mark.parametrize("name", NAMES)
def test_data_set_has_n_points_in_2d_with_both_labels(name):
    X, y = data.make(name, n=60, noise=0.1, seed=0)
    assert X.shape == (60, 2) and X.dtype == np.float64
    assert y.shape == (60,)
    assert set(y.tolist()) == {-1, 1}
    assert np.isfinite(X).all()


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_gives_the_same_points_and_another_seed_does_not(name):
    X1, y1 = data.make(name, n=50, seed=4)
    X2, y2 = data.make(name, n=50, seed=4)
    X3, _ = data.make(name, n=50, seed=5)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", NAMES)
def test_zero_one_option_gives_labels_0_and_1(name):
    _, y = data.make(name, n=40, seed=0, zero_one=True)
    assert set(y.tolist()) == {0, 1}


@pytest.mark.parametrize("name", ["moons", "circles"])
def test_moons_and_circles_lie_on_scikit_learns_curves(name):
    # the draws are ours (pure Python); the shapes are scikit-learn's: without noise,
    # the same points in another order, with the same labels
    from sklearn import datasets as sk

    maker = {"moons": sk.make_moons, "circles": lambda **kw: sk.make_circles(factor=0.5, **kw)}[name]
    for n in (7, 30):
        X, y = data.make(name, n, noise=0.0, seed=2, zero_one=True)
        X_sk, y_sk = maker(n_samples=n, noise=0.0, random_state=2)
        # each point has a twin with the same label in the other set (the order differs)
        ours, theirs = np.asarray(X), np.asarray(X_sk)
        distance = np.hypot(*(ours[:, None, :] - theirs[None, :, :]).transpose(2, 0, 1))
        twin = distance.argmin(axis=1)
        assert distance.min(axis=1).max() < 1e-12
        assert sorted(twin.tolist()) == list(range(n))
        assert np.array_equal(y, y_sk[twin])


def test_blobs_split_points_per_class_as_scikit_learn_does():
    from sklearn.datasets import make_blobs

    for classes, n in ((2, 41), (4, 90), (5, 23)):
        _, y = data.make("blobs", n, seed=1, zero_one=True, classes=classes)
        centers = [[0.0, 0.0]] * classes
        _, y_sk = make_blobs(n_samples=n, centers=centers, random_state=1)
        assert np.array_equal(np.bincount(y), np.bincount(y_sk))


def test_data_sets_are_lists_without_numpy_with_the_same_values(monkeypatch):
    X, y = data.make("spiral", n=30, seed=3, classes=3)
    monkeypatch.setitem(sys.modules, "numpy", None)  # import numpy now fails, as in Pyodide
    X_list, y_list = data.make("spiral", n=30, seed=3, classes=3)
    assert isinstance(X_list, list) and isinstance(y_list, list)
    assert X_list == X.tolist() and y_list == y.tolist()
    assert data.features(X_list, ["x1", "x1*x2"]) == [[a, a * b] for a, b in X_list]


def test_the_same_seed_gives_the_same_points_in_another_process():
    # pure Python draws: nothing depends on numpy's generator or on hash randomisation
    code = "from micrograd_widgets import data; print(data.generate('moons', 5, seed=7))"
    run = lambda: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout  # noqa: E731
    runs = {run(), run()}
    assert len(runs) == 1 and repr(data.generate("moons", 5, seed=7)) == runs.pop().strip()


def test_noise_spreads_the_points():
    X0, _ = data.xor(200, noise=0.0, seed=0)
    X1, _ = data.xor(200, noise=0.5, seed=0)
    assert np.abs(X0).max() <= 1.05 + 1e-12
    assert np.abs(X1).max() > 1.2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "swirl"}, "unknown data set"),
        ({"name": "moons", "n": 1}, "n must be"),
        ({"name": "moons", "noise": -1}, "noise"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.make(**kwargs)


# ---- several classes, regression sets, features ---------------------------------------


@pytest.mark.parametrize(("name", "classes"), [("spiral", 3), ("spiral", 5), ("blobs", 4), ("yinyang", None)])
def test_multiclass_sets_label_every_class_0_to_k_minus_1(name, classes):
    X, y = data.make(name, n=90, seed=0, classes=classes)
    k = classes or 3
    assert X.shape == (90, 2) and np.isfinite(X).all()
    assert sorted(set(y.tolist())) == list(range(k))
    assert np.bincount(y).min() >= 90 // k - 1  # balanced: no class is starved


def test_two_class_spiral_and_blobs_are_unchanged_by_the_classes_option():
    for name in ("spiral", "blobs"):
        X, y = data.make(name, n=50, seed=3)
        X2, y2 = data.make(name, n=50, seed=3, classes=2)
        assert np.array_equal(X, X2) and np.array_equal(y, y2) and set(y.tolist()) == {-1, 1}


def test_yinyang_dots_sit_inside_the_small_circles():
    X, y = data.yinyang(300, noise=0.0, seed=1)
    dots = X[y == 2]
    near = np.minimum(np.hypot(dots[:, 0], dots[:, 1] - 0.5), np.hypot(dots[:, 0], dots[:, 1] + 0.5))
    assert (near < 0.2).all()
    assert (np.hypot(X[:, 0], X[:, 1]) <= 1.0).all()


@pytest.mark.parametrize("name", ["reg-plane", "reg-gauss", "sine"])
def test_regression_sets_give_float_targets_that_follow_their_function(name):
    X, y = data.make(name, n=200, noise=0.0, seed=0)
    assert y.dtype == np.float64 and len(y) == 200
    if name == "reg-plane":
        assert np.allclose(y, (X[:, 0] + X[:, 1]) / 2)
    elif name == "sine":
        assert X.shape == (200, 1) and np.allclose(y, np.sin(X[:, 0]))
    else:
        assert y.max() > 0.5 and y.min() < -0.5  # bumps up and down
    _, noisy = data.make(name, n=200, noise=0.2, seed=0)
    assert not np.allclose(noisy, y)


def test_classes_on_a_fixed_set_is_refused():
    with pytest.raises(ValueError, match="classes= works for spiral and blobs"):
        data.make("moons", classes=3)
    with pytest.raises(ValueError, match=r"classes must be an integer in \[2, 8\]"):
        data.make("spiral", classes=1)


def test_features_are_the_named_functions_of_x1_and_x2():
    X = np.array([[0.5, -2.0], [1.5, 3.0]])
    F = data.features(X, list(data.FEATURES))
    x1, x2 = X[:, 0], X[:, 1]
    expected = np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)])
    assert np.array_equal(F, expected)
    assert data.features(X).shape == (2, 2)  # default x1, x2


def test_unknown_feature_lists_the_accepted_ones():
    with pytest.raises(ValueError, match=r"unknown feature\(s\) \['x3'\]; accepted: x1, x2, x1\^2"):
        data.features(np.zeros((3, 2)), ["x1", "x3"])
    with pytest.raises(ValueError, match="1-D data has no x2"):
        data.features(np.zeros((3, 1)), ["x1", "x1*x2"])
