"""Settings that depend on each other: data, task and classes agree; the defaults that follow the task.

Pure functions of a settings dict (already checked one by one, settings.py):
what they add is the agreement between settings, and the errors that name a
combination that can't work (a loss that doesn't fit the task, a 1-D set with x2).
"""

from .. import data as datasets
from .settings import DEFAULT_DATA, DEFAULT_LR, DEFAULT_OPTIMIZER, TASK_LOSSES


def fill_generated(s: dict, asked: set) -> dict:
    """Fill in data, task and classes of a built-in set from what was asked for."""
    task = s.get("task")
    if "data" not in s or s["data"] is None:
        if task is None:
            task = "multiclass" if (s.get("classes") or 2) >= 3 else "binary"
        s["data"] = DEFAULT_DATA[task]
    name = s["data"]
    if name in datasets.REGRESSION:
        classes = 0
    elif name in datasets.MULTICLASS:
        classes = datasets.MULTICLASS[name]
    elif name in datasets.CLASSES_ANY:
        classes = s.get("classes") or (3 if task == "multiclass" else 2)
    else:
        classes = 2
    if "classes" in asked and s.get("classes") not in (classes, 0, None):
        raise ValueError(
            f"data set {name!r} has {classes or 'no'} classes; classes= works for spiral and blobs (and your own data)"
        )
    s["classes"] = classes
    actual = datasets.task_of(name, classes)
    if task is not None and "task" in asked and actual != task:
        raise ValueError(
            f"data set {name!r} is a {actual} task, not {task}: choose a {task} set such as {DEFAULT_DATA[task]!r}"
        )
    s["task"] = actual
    return s


def fill_defaults(s: dict, dims: int) -> dict:
    """The task's loss and optimizer, the optimizer's lr and the plain features, where none was given."""
    if s.get("loss") is None:
        s["loss"] = TASK_LOSSES[s["task"]][0]
    if s.get("optimizer") is None:
        s["optimizer"] = DEFAULT_OPTIMIZER[s["task"]]
    if s.get("lr") is None:
        s["lr"] = DEFAULT_LR[s["optimizer"]]
    if s.get("features") is None:
        s["features"] = ["x1", "x2"] if dims == 2 else ["x1"]
    return s


def check_combination(s: dict, asked: set, dims: int) -> dict:
    """Refuse a loss the task can't train with (if asked for; else take the task's) and x2 on 1-D points."""
    if s["loss"] not in TASK_LOSSES[s["task"]]:
        if "loss" in asked:
            raise ValueError(
                f"loss {s['loss']!r} does not fit the {s['task']} task; choose one of {TASK_LOSSES[s['task']]}"
            )
        s["loss"] = TASK_LOSSES[s["task"]][0]
    s["features"] = datasets.check_features(s["features"], dims)
    if dims == 1 and s["task"] != "regression":
        raise ValueError("1-D points (one column of X) are for regression: a 1-D fit needs task='regression'")
    return s


def follow_generated(s: dict, old: dict, asked: set) -> set:
    """After a change to a built-in set's settings: data, task and classes agree again; returns ``asked``,
    grown by what a task switch chose (a set of that kind)."""
    given = {"data": s["data"], "classes": s["classes"]}
    if "task" in asked:
        given["task"] = s["task"]
        if "data" not in asked and datasets.task_of(s["data"], s["classes"]) != s["task"]:
            given["data"] = DEFAULT_DATA[s["task"]]  # a task switch picks a set of that kind
            asked = asked | {"data"}
            if s["task"] == "multiclass":
                given["classes"] = max(3, old["classes"])
    # blobs after a 4-class spiral: still 4 classes (a set with fixed classes sets its own)
    filled = fill_generated(given, asked)
    s.update(data=filled["data"], task=filled["task"], classes=filled["classes"])
    return asked


def follow_task(s: dict, old: dict, asked: set, optimizer_given: bool, lr_given: bool):
    """A new task brings its optimizer (unless one was chosen), a new optimizer its lr (unless one was chosen)."""
    if s["task"] != old["task"] and not optimizer_given:
        s["optimizer"] = DEFAULT_OPTIMIZER[s["task"]]
    if s["optimizer"] != old["optimizer"] and not lr_given and "lr" not in asked:
        s["lr"] = DEFAULT_LR[s["optimizer"]]
