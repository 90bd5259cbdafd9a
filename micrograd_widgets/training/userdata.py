"""The lecturer's own points: arrays, lists, tables and CSV files, and how their labels map to the trainer's.

Inside, the trainer works with one convention per task: binary labels -1/+1,
multi-class labels 0..K-1, regression targets as floats. ``Labels`` keeps the
labels as the user gave them (``class_labels``), so ``get_data`` and
``add_points`` speak the user's convention. Pure Python: a numpy array or a
DataFrame is read through ``tolist()``, so numpy is never imported here.
"""

import math
import warnings

from .checks import MAX_CLASSES, MAX_OWN_POINTS

MISSING_TEXT = {"", "na", "nan", "null", "none", "n/a"}  # a cell a spreadsheet leaves for "no value"


def table_rows(table, what):
    """(rows or values, column names or None) from an array, a list, or a table (.to_numpy(), .columns)."""
    names = None
    if hasattr(table, "to_numpy") and hasattr(table, "columns"):  # a DataFrame, without importing pandas
        names = [str(c) for c in table.columns]
        table = table.to_numpy()
    elif hasattr(table, "to_numpy") and hasattr(table, "name"):  # a Series
        names = [str(table.name)]
        table = table.to_numpy()
    if hasattr(table, "tolist"):
        table = table.tolist()
    if isinstance(table, (str, bytes)) or not hasattr(table, "__iter__"):
        raise ValueError(f"{what} must be an array, a list or a table; got {type(table).__name__}")
    return list(table), names


def is_missing(value) -> bool:
    """An empty cell, NA, NaN, null or None: no value."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.strip().lower() in MISSING_TEXT
    return False


def _coordinate(value, what):
    if isinstance(value, bool) or isinstance(value, str) and not value.strip():
        raise ValueError(f"X must hold numbers (one or two columns of coordinates), got {value!r} in {what}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"X must hold numbers (one or two columns of coordinates), got {value!r} in {what}") from None
    if not math.isfinite(x):
        raise ValueError(f"X must hold finite numbers, got {value!r} in {what}")
    return x


def _cells(row) -> list:
    return list(row) if isinstance(row, (list, tuple)) else [row]


def point_rows(rows, dims=None) -> list:
    """The points as [x] or [x1, x2] lists of floats (a missing value is an error here)."""
    points = []
    for i, row in enumerate(rows):
        cells = _cells(row)
        if not 1 <= len(cells) <= 2:
            raise ValueError(f"X must have shape (n, 2) or (n, 1) for a 1-D fit; row {i} has {len(cells)} values")
        points.append([_coordinate(c, f"row {i}") for c in cells])
    if len({len(p) for p in points}) > 1:
        raise ValueError("X's rows must all have the same number of coordinates (one or two)")
    if dims is not None and points and len(points[0]) != dims:
        raise ValueError(f"these points have {len(points[0])} coordinate(s), the trainer's have {dims}")
    return points


def own_data(X, y) -> tuple:
    """(points, raw labels, axis names) of your own data; rows with a missing value skipped, with a warning."""
    rows, names = table_rows(X, "X")
    labels, _ = table_rows(y, "y")
    if len(rows) != len(labels):
        raise ValueError(f"X and y must hold the same number of points, got {len(rows)} and {len(labels)}")
    if len(rows) > MAX_OWN_POINTS:
        raise ValueError(
            f"X has {len(rows):,} rows; at most {MAX_OWN_POINTS:,} (your own data; a data set's n is 2000)"
        )
    missing = [
        i
        for i, (row, label) in enumerate(zip(rows, labels, strict=True))
        if is_missing(label) or any(map(is_missing, _cells(row)))
    ]
    warn_skipped(missing, "row")
    gaps = set(missing)
    points = point_rows([row for i, row in enumerate(rows) if i not in gaps])
    labels = [label for i, label in enumerate(labels) if i not in gaps]
    if len(points) < 4:
        raise ValueError(f"X and y must hold at least 4 points with values, got {len(points)}")
    return points, labels, names


def warn_skipped(rows, noun, offset=0):
    """Say which rows were skipped for a missing value: their count and the first few numbers."""
    if rows:
        first = ", ".join(str(r + offset) for r in rows[:5]) + (", ..." if len(rows) > 5 else "")
        warnings.warn(
            f"skipped {len(rows)} {noun}(s) with a missing value ({noun}s {first})", UserWarning, stacklevel=4
        )


def _plain(value):
    """A label as the Python number or text it holds (numbers that are whole become ints)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _numeric(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Labels:
    """How the user's labels map to the trainer's: ``task``, ``class_labels`` (user's labels by class)."""

    def __init__(self, task, class_labels):
        self.task = task
        self.class_labels = list(class_labels)
        self._index = {label: k for k, label in enumerate(self.class_labels)}

    @classmethod
    def detect(cls, raw, task=None):
        """Labels for the raw y: classes when they are few integral values or text, else regression."""
        numeric = all(_numeric(v) for v in raw)
        if numeric and not all(math.isfinite(v) for v in raw):
            raise ValueError("y must hold finite numbers")
        values = sorted({_plain(v) for v in raw}, key=lambda v: (isinstance(v, str), v))
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

    def to_internal(self, raw) -> list:
        """The user's labels as the trainer's (-1/+1, 0..K-1, or float targets)."""
        if self.task == "regression":
            try:
                y = [float(v) for v in raw]
            except (TypeError, ValueError):
                raise ValueError("regression targets must be numbers") from None
            if not all(math.isfinite(v) for v in y):
                raise ValueError("regression targets must be finite numbers")
            return y
        index = []
        for value in raw:
            k = self._index.get(_plain(value))
            if k is None:
                raise ValueError(f"unknown label {value!r}; this trainer's classes are {self.class_labels}")
            index.append(k)
        return [2.0 * k - 1 for k in index] if self.task == "binary" else [float(k) for k in index]

    def to_user(self, y) -> list:
        """The trainer's labels back in the user's convention."""
        if self.task == "regression":
            return [float(v) for v in y]
        index = [int(v > 0) for v in y] if self.task == "binary" else [int(v) for v in y]
        return [self.class_labels[k] for k in index]

    def names(self) -> list:
        """The class labels as text, for the view's legend."""
        return [str(v) for v in self.class_labels]


def generated_labels(task, classes) -> Labels:
    """The conventions of the built-in sets: binary -1/+1, multi-class 0..K-1, regression floats."""
    if task == "binary":
        return Labels("binary", [-1, 1])
    if task == "multiclass":
        return Labels("multiclass", list(range(classes)))
    return Labels("regression", [])


def read_csv(path, x, y):
    """(X rows, labels, axis names) from a CSV file with a header row: columns ``x`` (one or two names) and ``y``.

    Rows with a missing value in one of these columns are skipped, with a warning that names them.
    """
    import csv

    x = [x] if isinstance(x, str) else list(x)
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
    columns = [header.index(name) for name in [*x, y]]
    points, labels, skipped = [], [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines
        cells = [row[j].strip() if j < len(row) else "" for j in columns]
        if any(is_missing(c) for c in cells):
            skipped.append(line)
            continue
        for name, cell in zip(x, cells, strict=False):
            try:
                float(cell)
            except ValueError:
                raise ValueError(f"{str(path)!r} line {line}: column {name!r} is not a number: {cell!r}") from None
        points.append([float(c) for c in cells[:-1]])
        labels.append(cells[-1])
    warn_skipped(skipped, "line")
    try:
        numbers = [float(v) for v in labels]
        if all(math.isfinite(v) for v in numbers):
            labels = numbers
    except ValueError:
        pass  # class names as text
    return points, labels, x
