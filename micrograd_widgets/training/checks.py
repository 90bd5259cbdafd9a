"""The checks behind the settings table: one clear ValueError per bad value, the value normalised.

Plain functions of one value each; ``settings.py`` names which one reads which
setting. No numpy: a count read from an array is an integer by ``__index__``.
"""

import math

from .. import data as datasets
from ..nn import LOSSES, LR_SCHEDULES

MAX_LAYERS = 4
MAX_NEURONS = 32
MAX_POINTS = 2000  # the n of a generated set
MAX_OWN_POINTS = 10_000  # your own data (X, y), and the points added to any set
MAX_CLASSES = 8
HIDDEN_ACTIVATIONS = ("relu", "tanh", "sigmoid")
TASKS = ("binary", "multiclass", "regression")
OPTIMIZERS = ("sgd", "momentum", "adam")


def integer(value):
    """``value`` as an int if it is one (Python's or numpy's), else None; bool is not a number here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if hasattr(value, "__index__") and not isinstance(value, float):
        return value.__index__()
    return None


def number(value):
    """``value`` as a float if it is a real number (not a bool), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if hasattr(value, "__float__") and hasattr(value, "dtype"):  # a numpy scalar
        return float(value)
    return None


def check_lr(lr):
    x = number(lr)
    if x is None or not (x > 0 and math.isfinite(x)):
        raise ValueError(f"lr (the learning rate) must be a finite number > 0, got {lr!r}")
    return x


def check_l2(l2):
    x = number(l2)
    if x is None or not (x >= 0 and math.isfinite(x)):
        raise ValueError(f"l2 (the L2 strength) must be a finite number >= 0, got {l2!r}")
    return x


def check_hidden(hidden):
    try:
        sizes = list(hidden)
    except TypeError:
        raise ValueError(f"hidden must be a list of layer sizes such as [16, 16], got {hidden!r}") from None
    if not sizes:
        raise ValueError("hidden must name at least one hidden layer, e.g. [16, 16]; got an empty architecture")
    if len(sizes) > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} hidden layers, got {len(sizes)}: {sizes}")
    out = []
    for size in sizes:
        k = integer(size)
        if k is None or not 1 <= k <= MAX_NEURONS:
            raise ValueError(f"each hidden layer needs 1 to {MAX_NEURONS} neurons, got {size!r} in {sizes}")
        out.append(k)
    return out


def choice(name, choices):
    """A check that ``value`` is one of ``choices``."""

    def check(value):
        if value not in choices:
            raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(map(repr, choices))}")
        return value

    return check


def check_data(name):
    # "custom" is what the trainer says of your own points; it is not a set to choose
    if name == "custom":
        return name
    return choice("data set", tuple(datasets.DATASETS))(name)


def check_noise(noise):
    x = number(noise)
    if x is None or not 0 <= x <= 1:
        raise ValueError(f"noise must be a number in [0, 1], got {noise!r}")
    return x


def check_n(n):
    k = integer(n)
    if k is None or not 4 <= k <= MAX_POINTS:
        raise ValueError(
            f"n (the number of points a data set draws) must be an integer in [4, {MAX_POINTS}], got {n!r}"
        )
    return k


def check_test_fraction(fraction):
    x = number(fraction)
    if x is None or not 0 <= x <= 0.9:
        raise ValueError(f"test_fraction (the train/test split) must be in [0, 0.9], got {fraction!r}")
    return x


def check_batch_size(batch_size):
    if batch_size is None or batch_size == 0:
        return None  # full batch
    k = integer(batch_size)
    if k is None or k < 1:
        raise ValueError(f"batch_size must be None (full batch) or an integer >= 1, got {batch_size!r}")
    return k


def check_classes(classes):
    # 0 is what a regression task shows: "no classes"
    k = integer(classes)
    if k is None or not 0 <= k <= MAX_CLASSES:
        raise ValueError(f"classes must be an integer in [2, {MAX_CLASSES}] (0: regression), got {classes!r}")
    if k == 1:
        raise ValueError("classes must be at least 2: one class leaves nothing to tell apart")
    return k


def check_lr_period(period):
    k = integer(period)
    if k is None or not 1 <= k <= 100_000:
        raise ValueError(f"lr_period (epochs per schedule period) must be an integer >= 1, got {period!r}")
    return k


def check_speed(speed):
    x = number(speed)
    if x is None or not (x >= 0 and math.isfinite(x)):
        raise ValueError(f"speed (epochs per second) must be >= 0 (0 = as fast as it goes), got {speed!r}")
    return x


def check_switch(name):
    """A check that ``value`` is True or False (bool('no') would switch a feature on)."""

    def check(value):
        if not isinstance(value, bool) and integer(value) not in (0, 1):
            raise ValueError(f"{name} must be True or False, got {value!r}")
        return bool(value)

    return check


def check_features(names):
    return datasets.check_features(names)


def check_seed(seed):
    k = integer(seed)
    if k is None:
        raise ValueError(f"seed must be an integer, got {seed!r}")
    return k


LOSS_NAMES = tuple(LOSSES)
SCHEDULES = LR_SCHEDULES
