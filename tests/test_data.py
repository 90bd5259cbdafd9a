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


def test_moons_is_scikit_learns_make_moons():
    from sklearn.datasets import make_moons

    X, y = data.moons(30, noise=0.05, seed=2)
    X_sk, y_sk = make_moons(n_samples=30, noise=0.05, random_state=2)
    assert np.array_equal(X, X_sk)
    assert np.array_equal(y, 2 * y_sk - 1)


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
