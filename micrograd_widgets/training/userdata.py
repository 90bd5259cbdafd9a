"""The lecturer's own points: arrays, lists, tables and CSV files, and how their labels map to the trainer's.

Inside, the trainer works with one convention per task: binary labels -1/+1,
multi-class labels 0..K-1, regression targets as floats. ``Labels`` keeps the
labels as the user gave them (``class_labels``), so ``get_data`` and
``add_points`` speak the user's convention.
"""

import math

import numpy as np

MAX_CLASSES = 8


def table_to_array(table, what):
    """(array, column names or None) from a numpy array, a list, or a table with .to_numpy() and .columns."""
    names = None
    if hasattr(table, "to_numpy") and hasattr(table, "columns"):  # a DataFrame, without importing pandas
        names = [str(c) for c in table.columns]
        table = table.to_numpy()
    elif hasattr(table, "to_numpy") and hasattr(table, "name"):  # a Series
        names = [str(table.name)]
        table = table.to_numpy()
    try:
        array = np.asarray(table)
    except Exception as error:
        raise ValueError(f"{what} must be an array, a list or a table; got {type(table).__name__}: {error}") from None
    return array, names


def check_points(X, dims=None):
    """X as float64 of shape (n, 1) or (n, 2), with its column names (a 1-D array is one column)."""
    array, names = table_to_array(X, "X")
    if array.ndim == 1:
        array = array[:, None]
    try:
        array = array.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError("X must hold numbers (one or two columns of coordinates)") from None
    if array.ndim != 2 or array.shape[1] not in (1, 2):
        raise ValueError(f"X must have shape (n, 2) or (n, 1) for a 1-D fit, got {array.shape}")
    if dims is not None and array.shape[1] != dims:
        raise ValueError(f"these points have {array.shape[1]} coordinate(s), the trainer's have {dims}")
    if not np.all(np.isfinite(array)):
        raise ValueError("X must hold finite numbers")
    return array, names


def _label_text(value) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _plain(value):
    """A numpy scalar as the Python number or text it holds (for state dicts and get_data)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


class Labels:
    """How the user's labels map to the trainer's: ``task``, ``class_labels`` (user's labels by class)."""

    def __init__(self, task, class_labels):
        self.task = task
        self.class_labels = list(class_labels)
        self._index = {label: k for k, label in enumerate(self.class_labels)}

    @classmethod
    def detect(cls, raw, task=None):
        """Labels for the raw y: classes when they are few integral values or text, else regression."""
        numeric = raw.dtype.kind in "biuf"
        if numeric and raw.dtype.kind == "f" and not np.all(np.isfinite(raw)):
            raise ValueError("y must hold finite numbers")
        values = sorted({_plain(v) for v in raw.tolist()}, key=lambda v: (isinstance(v, str), v))
        integral = numeric and all(float(v).is_integer() for v in values)
        if task is None:
            if len(values) < 2:
                raise ValueError(f"y must hold at least two classes (or varied targets), got only {values}")
            if integral and 2 <= len(values) <= MAX_CLASSES or not numeric:
                task = "binary" if len(values) == 2 else "multiclass"
            else:
                task = "regression"
        if task == "regression":
            if not numeric:
                raise ValueError("task='regression' needs numeric targets in y")
            return cls("regression", [])
        if len(values) < 2:
            raise ValueError(f"y must hold at least two classes, got {values}")
        if task == "binary" and len(values) != 2:
            raise ValueError(f"task='binary' needs exactly two classes in y, got {len(values)}: {values[:10]}")
        if task == "multiclass" and not 3 <= len(values) <= MAX_CLASSES:
            raise ValueError(f"task='multiclass' needs 3 to {MAX_CLASSES} classes in y, got {len(values)}")
        if numeric and not integral:
            raise ValueError(f"class labels must be integers or text, got {values[:10]}; use task='regression'")
        return cls(task, values)

    @property
    def classes(self) -> int:
        return len(self.class_labels) if self.task != "regression" else 0

    def to_internal(self, raw) -> np.ndarray:
        """The user's labels as the trainer's (-1/+1, 0..K-1, or float targets)."""
        raw = np.asarray(raw).reshape(-1)
        if self.task == "regression":
            try:
                y = raw.astype(np.float64)
            except (TypeError, ValueError):
                raise ValueError("regression targets must be numbers") from None
            if not np.all(np.isfinite(y)):
                raise ValueError("regression targets must be finite numbers")
            return y
        index = []
        for value in raw.tolist():
            k = self._index.get(_plain(value))
            if k is None:
                raise ValueError(f"unknown label {value!r}; this trainer's classes are {self.class_labels}")
            index.append(k)
        codes = np.asarray(index, dtype=np.float64)
        return 2 * codes - 1 if self.task == "binary" else codes

    def to_user(self, y) -> np.ndarray:
        """The trainer's labels back in the user's convention."""
        if self.task == "regression":
            return np.asarray(y, dtype=np.float64).copy()
        index = (np.asarray(y) > 0).astype(int) if self.task == "binary" else np.asarray(y).astype(int)
        return np.asarray([self.class_labels[k] for k in index.tolist()])

    def names(self) -> list:
        """The class labels as text, for the view's legend."""
        return [_label_text(v) for v in self.class_labels]


def generated_labels(task, classes) -> Labels:
    """The conventions of the built-in sets: binary -1/+1, multi-class 0..K-1, regression floats."""
    if task == "binary":
        return Labels("binary", [-1, 1])
    if task == "multiclass":
        return Labels("multiclass", list(range(classes)))
    return Labels("regression", [])


def read_csv(path, x, y):
    """(X, y, axis labels) from a CSV file with a header row: columns ``x`` (one or two names) and ``y``."""
    import csv

    if isinstance(x, str):
        x = [x]
    x = list(x)
    if not 1 <= len(x) <= 2:
        raise ValueError(f"x must name one or two columns, got {x}")
    try:
        with open(path, newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as error:
        raise ValueError(f"cannot read CSV file {str(path)!r}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{str(path)!r} is not a text CSV file") from None
    if len(rows) < 2:
        raise ValueError(f"{str(path)!r} needs a header row and at least one data row")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in [*x, y] if c not in header]
    if missing:
        raise ValueError(f"column(s) {missing} not in {str(path)!r}; its columns are {header}")
    columns = {}
    for name in [*x, y]:
        j = header.index(name)
        cells = []
        for line, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue  # blank lines
            if j >= len(row):
                raise ValueError(f"{str(path)!r} line {line}: no value in column {name!r}")
            cells.append(row[j].strip())
        columns[name] = cells
    X = np.empty((len(columns[x[0]]), len(x)))
    for k, name in enumerate(x):
        for i, cell in enumerate(columns[name]):
            try:
                X[i, k] = float(cell)
            except ValueError:
                raise ValueError(f"{str(path)!r}: column {name!r} row {i + 1} is not a number: {cell!r}") from None
    labels = columns[y]
    try:
        numbers = [float(v) for v in labels]
        labels = np.asarray(numbers) if all(math.isfinite(v) for v in numbers) else np.asarray(labels)
    except ValueError:
        labels = np.asarray(labels)  # class names as text
    return X, labels, x
