"""The trainer's settings, checked: one clear ValueError per bad control value.

Used by ``training.Session`` (constructor and ``set``) and by the Trainer
widget's trait validators, so Python and the browser get the same messages.
"""

import math

import numpy as np

from .. import data as datasets
from ..nn import LOSSES, LR_SCHEDULES

MAX_LAYERS = 4
MAX_NEURONS = 32
MAX_POINTS = 2000
MAX_CLASSES = 8
HIDDEN_ACTIVATIONS = ("relu", "tanh", "sigmoid")
TASKS = ("binary", "multiclass", "regression")
OPTIMIZERS = ("sgd", "momentum", "adam")
MOMENTUM = 0.9
DEFAULT_LR = {"sgd": 0.5, "momentum": 0.5, "adam": 0.01}  # when lr is not given
# when optimizer is not given: plain SGD at 0.5 trains the two-class sets well, but
# at that rate regression diverges and a 3-class spiral stalls below 90 %; Adam at
# 0.01 fits every set (EurekaLabs' micrograd trains its yin-yang with AdamW too)
DEFAULT_OPTIMIZER = {"binary": "sgd", "multiclass": "adam", "regression": "adam"}
# the losses each task can train with; the first is its default
TASK_LOSSES = {"binary": ("hinge", "mse", "bce"), "multiclass": ("cross_entropy",), "regression": ("mse", "huber")}

# ---- validation: every control, one clear error each -----------------------------


def check_lr(lr):
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr (the learning rate) must be a finite number > 0, got {lr!r}")
    return float(lr)


def check_l2(l2):
    if isinstance(l2, bool) or not isinstance(l2, (int, float)) or not (l2 >= 0 and math.isfinite(l2)):
        raise ValueError(f"l2 (the L2 strength) must be a finite number >= 0, got {l2!r}")
    return float(l2)


def check_hidden(hidden):
    try:
        sizes = list(hidden)
    except TypeError:
        raise ValueError(f"hidden must be a list of layer sizes such as [16, 16], got {hidden!r}") from None
    if not sizes:
        raise ValueError("hidden must name at least one hidden layer, e.g. [16, 16]; got an empty architecture")
    if len(sizes) > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} hidden layers, got {len(sizes)}: {sizes}")
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not 1 <= size <= MAX_NEURONS:
            raise ValueError(f"each hidden layer needs 1 to {MAX_NEURONS} neurons, got {size!r} in {sizes}")
    return [int(s) for s in sizes]


def check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(map(repr, choices))}")
    return value


def check_noise(noise):
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0 <= noise <= 1:
        raise ValueError(f"noise must be a number in [0, 1], got {noise!r}")
    return float(noise)


def check_n(n):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 4 <= n <= MAX_POINTS:
        raise ValueError(f"n (the number of points) must be an integer in [4, {MAX_POINTS}], got {n!r}")
    return int(n)


def check_test_fraction(fraction):
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0 <= fraction <= 0.9:
        raise ValueError(f"test_fraction (the train/test split) must be in [0, 0.9], got {fraction!r}")
    return float(fraction)


def check_batch_size(batch_size):
    if batch_size is None or batch_size == 0:
        return None  # full batch
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be None (full batch) or an integer >= 1, got {batch_size!r}")
    return int(batch_size)


def check_classes(classes):
    # 0 is what a regression task shows: "no classes"
    if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)) or not 0 <= classes <= MAX_CLASSES:
        raise ValueError(f"classes must be an integer in [2, {MAX_CLASSES}] (0: regression), got {classes!r}")
    if classes == 1:
        raise ValueError("classes must be at least 2: one class leaves nothing to tell apart")
    return int(classes)


def check_lr_period(period):
    if isinstance(period, bool) or not isinstance(period, (int, np.integer)) or not 1 <= period <= 100_000:
        raise ValueError(f"lr_period (epochs per schedule period) must be an integer >= 1, got {period!r}")
    return int(period)


CHECKS = {
    "lr": check_lr,
    "l2": check_l2,
    "hidden": check_hidden,
    "activation": lambda v: check_choice("activation", v, HIDDEN_ACTIVATIONS),
    "loss": lambda v: check_choice("loss", v, tuple(LOSSES)),
    "data": lambda v: check_choice("data set", v, tuple(datasets.DATASETS)),
    "noise": check_noise,
    "n": check_n,
    "test_fraction": check_test_fraction,
    "batch_size": check_batch_size,
    "zero_grad": bool,
    "task": lambda v: check_choice("task", v, TASKS),
    "classes": check_classes,
    "features": datasets.check_features,
    "optimizer": lambda v: check_choice("optimizer", v, OPTIMIZERS),
    "lr_schedule": lambda v: check_choice("lr_schedule", v, LR_SCHEDULES),
    "lr_period": check_lr_period,
}
# Which settings rebuild what: a new model (fresh weights), new data (weights back
# to the snapshot), a fresh optimizer (weights kept), or nothing (read at the start
# of the next epoch). A new model comes only when the network's shape changes.
REBUILD_MODEL = {"hidden", "activation", "task", "classes", "features"}
REBUILD_DATA = {"data", "noise", "n", "test_fraction", "task", "classes"}
REBUILD_OPTIMIZER = {"optimizer"}


def validate(**settings) -> dict:
    """The settings checked and normalised; a ValueError names the first bad one."""
    unknown = settings.keys() - CHECKS.keys()
    if unknown:
        raise ValueError(f"unknown setting(s) {sorted(unknown)}; known: {sorted(CHECKS)}")
    return {name: CHECKS[name](value) for name, value in settings.items()}
