"""Checks of user input shared by the data sets and the widgets."""

import difflib
from collections.abc import Iterable, Mapping


def closest(name, valid: Iterable[str], n: int = 3) -> list:
    """The valid names most like ``name`` (difflib's ratio of at least 0.6), best first."""
    if not isinstance(name, str):
        return []
    return difflib.get_close_matches(name, [str(v) for v in valid], n=n)


def did_you_mean(names: list) -> str:
    """The hint for a typo: "did you mean 'a'?", "did you mean 'a' or 'b'?"; "" when there is none."""
    if not names:
        return ""
    quoted = [repr(name) for name in names]
    return "did you mean " + (quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]) + "?"


def check_keywords(given: Mapping, accepted: Iterable[str], call: str) -> None:
    """Refuse keyword arguments ``call`` does not take, as Python does, naming the closest valid ones.

    ``given``: the keywords received (a function's ``**options``); ``accepted``: the
    ones it documents; ``call``: how the user wrote the call ("GraphWidget()").
    A typo such as ``exercise`` spelled ``excercise`` would otherwise be passed on
    (to traitlets) and ignored, leaving the option silently off.
    """
    accepted = list(accepted)
    unknown = [name for name in given if name not in accepted]
    if not unknown:
        return
    if len(unknown) == 1:
        hint = did_you_mean(closest(unknown[0], accepted))
        head = f"{call} got an unexpected keyword argument {unknown[0]!r}"
        raise TypeError(f"{head}; {hint}" if hint else f"{head}; it takes {', '.join(accepted)}")
    parts = []
    for name in unknown:
        hint = did_you_mean(closest(name, accepted))
        parts.append(f"{name!r} ({hint})" if hint else repr(name))
    raise TypeError(f"{call} got unexpected keyword arguments {', '.join(parts)}; it takes {', '.join(accepted)}")


def name_list(names, known, noun: str, where: str = "") -> list:
    """``names`` (one name or an iterable of names) as a list, each one of ``known``; else a ValueError.

    The message reads ``{where}unknown {noun}(s) [...]; accepted: ...``, then
    ``; did you mean ...?`` where a known name is close to an unknown one.
    """
    if isinstance(names, str):
        names = [names]
    try:
        names = list(names)
    except TypeError:
        raise ValueError(f"{where}{noun}s must be a list of names from {list(known)}, got {names!r}") from None
    unknown = [name for name in names if name not in known]
    if unknown:
        message = f"{where}unknown {noun}(s) {unknown}; accepted: {', '.join(known)}"
        hints = [(name, closest(name, known)) for name in unknown]
        hints = [(name, close) for name, close in hints if close]
        if len(unknown) == 1 and hints:
            message += f"; {did_you_mean(hints[0][1])}"
        elif hints:
            message += "; " + "; ".join(f"for {name!r}: {did_you_mean(close)}" for name, close in hints)
        raise ValueError(message)
    return names
