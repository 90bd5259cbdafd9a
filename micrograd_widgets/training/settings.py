"""The trainer's settings, one row each: the only place a setting is spelled out.

A row says what a setting is (name, default, one line of help), how a value
is checked (one function, one error message), how the page shows it (the
control, its choices or range), where it applies (tasks, which data) and what
a change needs (``NEEDS``). From the table come the Trainer's traits, the
keyword arguments of ``Trainer(...)`` and ``Session(...)`` (``signature``),
validation (``validate``), the controls of the page (``view_specs``: the page
keeps no list of its own) and the table in docs/trainer.md (``markdown``).

Adding a setting: a row here, the code that uses it, and a test
(docs/architecture.md, "Adding a setting").
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import data as datasets
from . import checks
from .checks import HIDDEN_ACTIVATIONS, MAX_LAYERS, MAX_NEURONS, OPTIMIZERS, TASKS

# What a change needs, from least to most: read at the next epoch; a view's alone;
# a fresh optimizer state (weights kept); a new recorded graph (weights kept); a new
# model (fresh weights); new data (weights back to the snapshot, or fresh when the
# network's shape changed).
NEEDS = ("epoch", "view", "optimizer", "graph", "model", "data")
# the page applies these alone while it trains; the others go through the kernel
PAGE_NEEDS = ("epoch", "view", "optimizer")
CONTROLS = ("select", "range", "log-range", "checkbox", "layers", "features", "number", "none")
GROUPS = ("data", "task", "training", "optimizer", "network", "view")

MOMENTUM = 0.9
DEFAULT_LR = {"sgd": 0.5, "momentum": 0.5, "adam": 0.01}  # when lr is not given
# when optimizer is not given: plain SGD at 0.5 trains the two-class sets well, but
# at that rate regression diverges and a 3-class spiral stalls below 90 %; Adam at
# 0.01 fits every set (EurekaLabs' micrograd trains its yin-yang with AdamW too)
DEFAULT_OPTIMIZER = {"binary": "sgd", "multiclass": "adam", "regression": "adam"}
# the losses each task can train with; the first is its default
TASK_LOSSES = {"binary": ("hinge", "mse", "bce"), "multiclass": ("cross_entropy",), "regression": ("mse", "huber")}
DEFAULT_DATA = {"binary": "moons", "multiclass": "spiral", "regression": "reg-plane"}


def _batch_text(v):
    return "full" if v is None else str(v)


def _exponent_text(v):
    return "0" if v == 0 else f"{v:.0e}".replace("e-0", "e-")


def _speed_text(v):
    return "max" if v == 0 else f"{v:g}/s"


@dataclass(frozen=True)
class Setting:
    """One row of the table."""

    name: str
    default: Any  # None: the task's default (see the row's doc)
    check: Callable[[Any], Any]  # the value normalised, or a ValueError saying why not
    doc: str  # one line: help(Trainer), the page's tooltip, docs/trainer.md
    label: str  # the control's visible name
    control: str  # one of CONTROLS ("none": set from Python only)
    group: str  # the fieldset it sits in (GROUPS)
    needs: str  # what a change needs (NEEDS)
    choices: tuple = ()  # for a select: the values offered
    text: Callable[[Any], str] = str  # how a choice reads in the page
    bounds: tuple = ()  # (min, max, step): a range's, or a log-range's in log10
    tasks: tuple = TASKS  # the tasks it applies to
    data: str = "any"  # "any", "builtin" (a generated set) or "custom" (your own points)
    positional: bool = False  # Trainer(data, n, noise, ...) keeps its positional order
    limits: dict = field(default_factory=dict)  # extra numbers a control needs (the layers' caps)
    default_text: str = ""  # how the default reads where None is not "the task's default"

    def spec(self) -> dict:
        """What the page needs to build and check this setting's control (JSON)."""
        spec = {
            "name": self.name,
            "label": self.label,
            "doc": self.doc,
            "control": self.control,
            "group": self.group,
            "needs": self.needs,
            "page": self.needs in PAGE_NEEDS,
            "tasks": list(self.tasks),
            "data": self.data,
            "default": self.default,
        }
        if self.choices:
            spec["options"] = [{"value": v, "text": self.text(v)} for v in self.choices]
        if self.name == "loss":
            spec["options_by_task"] = {t: [{"value": v, "text": v} for v in TASK_LOSSES[t]] for t in TASKS}
        if self.bounds:
            spec["bounds"] = list(self.bounds)
        if self.limits:
            spec["limits"] = dict(self.limits)
        return spec


SETTINGS: tuple[Setting, ...] = (
    Setting("data", None, checks.check_data, "the data set (default: moons, spiral or reg-plane by task)",
            "data set", "select", "data", "data", choices=tuple(datasets.DATASETS), data="builtin", positional=True),
    Setting("n", 100, checks.check_n, "how many points the data set draws", "points", "select", "data", "data",
            choices=(50, 100, 200, 300, 500, 1000), data="builtin", positional=True),
    Setting("noise", 0.1, checks.check_noise, "how noisy the drawn points are", "noise", "range", "data", "data",
            bounds=(0, 0.5, 0.01), data="builtin", positional=True),
    Setting("test_fraction", 0.2, checks.check_test_fraction, "the share of points held out as a test set",
            "test fraction", "range", "data", "data", bounds=(0, 0.8, 0.05), positional=True),
    Setting("hidden", [16, 16], checks.check_hidden, f"hidden layer sizes (up to {MAX_LAYERS} of {MAX_NEURONS})",
            "architecture", "layers", "network", "model", limits={"layers": MAX_LAYERS, "neurons": MAX_NEURONS},
            positional=True),
    Setting("activation", "relu", checks.choice("activation", HIDDEN_ACTIVATIONS), "the hidden layers' activation",
            "activation", "select", "network", "model", choices=HIDDEN_ACTIVATIONS, positional=True),
    Setting("loss", None, checks.choice("loss", checks.LOSS_NAMES),
            "the loss (default: hinge, cross_entropy or mse by task)", "loss", "select", "training", "graph",
            positional=True),
    Setting("lr", None, checks.check_lr, "the learning rate (default: 0.5 for sgd and momentum, 0.01 for adam)",
            "learning rate", "log-range", "training", "epoch", bounds=(-4, 1, 0.05), positional=True),
    Setting("batch_size", None, checks.check_batch_size, "points per optimizer step (None: the whole training set)",
            "batch size", "select", "training", "graph", choices=(None, 1, 4, 8, 16, 32, 64), text=_batch_text,
            positional=True, default_text="None (full batch)"),
    Setting("l2", 1e-4, checks.check_l2, "the L2 strength: l2 * sum(w * w) is added to the loss", "L2 strength",
            "select", "training", "epoch", choices=(0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1), text=_exponent_text,
            positional=True),
    Setting("zero_grad", True, checks.check_switch("zero_grad"),
            "zero the grads before each backward (False: they pile up, the classic bug)", "zero_grad every step",
            "checkbox", "training", "epoch"),
    Setting("speed", 0.0, checks.check_speed, "epochs per second while playing (0: as fast as it goes)",
            "speed (epochs/s)", "select", "training", "view", choices=(0, 30, 10, 5, 2, 1, 0.5), text=_speed_text),
    Setting("task", None, checks.choice("task", TASKS), "binary, multiclass or regression (default: from the data)",
            "task", "select", "task", "data", choices=TASKS),
    Setting("classes", None, checks.check_classes, "how many classes (spiral and blobs; 0 in regression)",
            "classes", "select", "task", "data", choices=(2, 3, 4, 5, 6, 7, 8), tasks=("multiclass",)),
    Setting("features", None, checks.check_features, "the input features the network sees (default: x1, x2)",
            "input features", "features", "task", "model", choices=datasets.FEATURES),
    Setting("standardize", True, checks.check_switch("standardize"),
            "scale your own data's coordinates to mean 0, spread 1 before the network sees them",
            "standardize", "checkbox", "data", "data", data="custom"),
    Setting("optimizer", None, checks.choice("optimizer", OPTIMIZERS),
            "sgd, momentum or adam (default: sgd for binary tasks, adam for the others)", "optimizer", "select",
            "optimizer", "optimizer", choices=OPTIMIZERS),
    Setting("lr_schedule", "constant", checks.choice("lr_schedule", checks.SCHEDULES),
            "constant; step halves lr every lr_period epochs; cosine decays it to 0 over lr_period and restarts",
            "lr schedule", "select", "optimizer", "epoch", choices=checks.SCHEDULES),
    Setting("lr_period", 50, checks.check_lr_period, "epochs per schedule period", "lr period", "number",
            "optimizer", "epoch", bounds=(1, 100_000, 1)),
    Setting("discretize", False, checks.check_switch("discretize"), "paint the plane in flat colours, no shades",
            "discretize output", "checkbox", "view", "view"),
    Setting("show_test", False, checks.check_switch("show_test"), "draw the test points on the plane too",
            "show test data", "checkbox", "view", "view"),
    Setting("presenter", False, checks.check_switch("presenter"),
            "large type for the room; the settings fold behind one button", "presenter mode", "checkbox", "view",
            "view"),
)  # fmt: skip

BY_NAME = {s.name: s for s in SETTINGS}
# the settings the session holds (the view's own are the trainer's)
SESSION_SETTINGS = tuple(s.name for s in SETTINGS if s.needs != "view")


def validate(rows=SETTINGS, **settings) -> dict:
    """The settings checked and normalised; a ValueError names the first bad one."""
    by_name = {s.name: s for s in rows}
    unknown = settings.keys() - by_name.keys()
    if unknown:
        raise ValueError(f"unknown setting(s) {sorted(unknown)}; known: {sorted(by_name)}")
    return {name: by_name[name].check(value) for name, value in settings.items()}


def needs(names) -> str:
    """The most a change of these settings needs (NEEDS' order)."""
    return max((BY_NAME[n].needs for n in names), key=NEEDS.index, default="epoch")


def view_specs(rows=SETTINGS) -> list:
    """Every setting's spec for the page's controls (JSON)."""
    return [s.spec() for s in rows]


def signature(rows=SETTINGS, head=(), tail=(), positional=True) -> inspect.Signature:
    """A call's signature: ``head`` (self), the positional rows in order, then ``tail``'s positional
    parameters (seed), the other rows keyword-only, then ``tail``'s keyword-only ones (model, X, y ...).
    ``positional=False``: every row keyword-only."""
    kind = inspect.Parameter
    by_position = [s for s in rows if s.positional and positional]
    positional_ = [kind(s.name, kind.POSITIONAL_OR_KEYWORD, default=s.default) for s in by_position]
    keyword = [kind(s.name, kind.KEYWORD_ONLY, default=s.default) for s in rows if s not in by_position]
    more = [p for p in tail if p.kind == kind.POSITIONAL_OR_KEYWORD]
    rest = [p for p in tail if p.kind != kind.POSITIONAL_OR_KEYWORD]
    return inspect.Signature([*head, *positional_, *more, *keyword, *rest])


def docstring(rows=SETTINGS) -> str:
    """One line per setting, for a docstring."""
    lines = []
    for s in rows:
        default = s.default_text or ("the task's default" if s.default is None else repr(s.default))
        lines.append(f"    {s.name}: {s.doc} (default {default})")
    return "\n".join(lines)


def markdown(rows=SETTINGS) -> str:
    """The settings table of docs/trainer.md."""
    out = ["| setting | default | what it is | choices or range | change takes effect |", "|---|---|---|---|---|"]
    for s in rows:
        if s.choices:
            values = ", ".join(f"`{s.text(v)}`" for v in s.choices)
        elif s.name == "loss":
            values = "; ".join(f"{t}: {', '.join(TASK_LOSSES[t])}" for t in TASKS)
        elif s.bounds and s.control == "log-range":
            values = f"10^{s.bounds[0]:g} to 10^{s.bounds[1]:g} (the slider)"
        elif s.bounds:
            values = f"{s.bounds[0]:g} to {s.bounds[1]:g}"
        else:
            values = ""
        default = s.default_text or ("by task" if s.default is None else f"`{s.default!r}`")
        out.append(f"| `{s.name}` | {default} | {s.doc} | {values} | {_NEEDS_TEXT[s.needs]} |")
    return "\n".join(out)


_NEEDS_TEXT = {
    "epoch": "next epoch",
    "view": "at once (the view)",
    "optimizer": "next epoch, fresh optimizer state",
    "graph": "next epoch, weights kept",
    "model": "new model",
    "data": "new data",
}
