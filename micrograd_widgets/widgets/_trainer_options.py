"""What a Trainer(...) call and its traits accept: the settings table's signature, the control names
hide= and lock= take, and one trait per setting. Read from training/settings.py, spelled nowhere else."""

import inspect

import traitlets

from .._checks import check_keywords, name_list
from ..training.settings import SETTINGS, signature

# every name hide= and lock= accept: the settings' controls, and the view's buttons and boxes
ACTIONS = ("play", "pause", "step", "reset", "new_data", "copy_setup", "copy_torch", "draw", "undo_point",
           "clear_points", "fit_axes", "point", "edit")  # fmt: skip
CONTROLS = (*(s.name for s in SETTINGS if s.control != "none"), *ACTIONS)
VIEW_SETTINGS = tuple(s.name for s in SETTINGS if s.needs == "view")  # the view's alone, not the session's
NO_VIEW = "paused: no view"  # the status while the last view is gone (a new view plays on)
# locking a setting locks what would change it: the data set locks its own knobs and the buttons that change its points
LOCKS_TOO = {"data": ("n", "noise", "test_fraction", "standardize", "new_data", "draw", "undo_point", "clear_points",
                      "fit_axes")}  # fmt: skip
# the view's messages, by the control that sends them (a locked control's message is refused in the kernel too)
MESSAGE_CONTROLS = {"play": "play", "pause": "pause", "step": "step", "reset": "reset", "regenerate": "new_data",
                    "add_point": "draw", "undo_point": "undo_point", "clear_points": "clear_points",
                    "fit_axes": "fit_axes", "select": "point", "copy_setup": "copy_setup",
                    "copy_torch": "copy_torch", "edit": "edit"}  # fmt: skip


class SettingError(ValueError, traitlets.TraitError):
    """A bad control value: a ValueError for users, a TraitError so traitlets rolls the change back."""


# one trait per setting, checked by its row (the trait itself takes anything: the row says what is right)
SettingTraits = type(
    "SettingTraits",
    (traitlets.HasTraits,),
    {s.name: traitlets.Any(s.default).tag(sync=True) for s in SETTINGS},
)


def check_controls(name, names) -> list:
    return name_list(names, CONTROLS, "control", where=f"{name}: ")


_PARAMETER = inspect.Parameter
SIGNATURE = signature(
    head=[_PARAMETER("self", _PARAMETER.POSITIONAL_ONLY)],
    tail=[
        _PARAMETER("seed", _PARAMETER.POSITIONAL_OR_KEYWORD, default=0),
        *(_PARAMETER(name, _PARAMETER.KEYWORD_ONLY, default=None) for name in ("model", "X", "y")),
        _PARAMETER("hide", _PARAMETER.KEYWORD_ONLY, default=()),
        _PARAMETER("lock", _PARAMETER.KEYWORD_ONLY, default=()),
        _PARAMETER("layout", _PARAMETER.KEYWORD_ONLY, default=None),
    ],
)


def bind(args, options) -> dict:
    """The settings of a Trainer(...) call by name, checked against SIGNATURE (unknown names: a TypeError)."""
    check_keywords(options, [name for name in SIGNATURE.parameters if name != "self"], "Trainer()")
    try:
        bound = SIGNATURE.bind(None, *args, **options)
    except TypeError as error:
        raise TypeError(f"Trainer(): {error}") from None
    values = dict(bound.arguments)
    values.pop("self")
    return values


def locked(lock) -> list:
    """The controls ``lock`` locks: the ones named, and what would change them (LOCKS_TOO)."""
    out = list(lock)
    for name in lock:
        out += [n for n in LOCKS_TOO.get(name, ()) if n not in out]
    return out
