"""Checks of user input shared by the data sets and the widgets."""


def name_list(names, known, noun: str, where: str = "") -> list:
    """``names`` (one name or an iterable of names) as a list, each one of ``known``; else a ValueError.

    The message reads ``{where}unknown {noun}(s) [...]; accepted: ...``.
    """
    if isinstance(names, str):
        names = [names]
    try:
        names = list(names)
    except TypeError:
        raise ValueError(f"{where}{noun}s must be a list of names from {list(known)}, got {names!r}") from None
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"{where}unknown {noun}(s) {unknown}; accepted: {', '.join(known)}")
    return names
