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
