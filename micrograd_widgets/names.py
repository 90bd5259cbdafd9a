"""Names from the notebook: what each node of a graph is called where the graph is shown.

A graph built in a notebook is full of Values the user can name: variables
(``a``, ``g``), items (``x[0]``, ``params['w']``), attributes
(``model.layers[0].neurons[3].w[1]``). ``infer`` walks the caller's namespace
once, when a widget is made, and gives each node the shortest such name. It
reads, never writes: a Value's ``.label`` stays as the user left it.
Two kinds of name never win over a path the user built on purpose: the
package's own objects (widgets, trainers, optimizers) name nothing, and a
variable a ``for`` loop left behind (``wi`` after ``for wi in ws``) names a
node only when nothing else does (see NOTE [loop variables]).

The shown name of a node, in order: a name given explicitly (``names={v: 'v'}``),
the user's own label, the inferred name, the package nn's own label joined to
its module path (``layers.0.neurons.3.w0``), else "" (the views show the op).
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import functools
import heapq
import inspect
import itertools
import re
import sys
import types
import weakref
from collections.abc import Mapping, Sequence

from .engine import Value

MAX_DEPTH = 8  # steps from a variable: model . layers [0] . neurons [3] . w [1] is 6
MAX_VISITS = 100_000  # items looked at in all: a notebook may hold big lists and frames
MAX_ITEMS = 20_000  # items looked at in one list, tuple or dict

# IPython's history and helpers name the last outputs and inputs, not the user's things
_HISTORY = re.compile(r"_+|_i{1,3}|_i?\d+|_[oid]h")
_HIDDEN_NAMES = frozenset({"In", "Out", "exit", "quit", "get_ipython"})
# objects never walked into: their attributes are not the user's graph, or too many to look at
_OPAQUE = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType, str, bytes,
           bytearray, memoryview, int, float, complex, bool, range, set, frozenset, type(None))  # fmt: skip
_OPAQUE_MODULES = ("numpy", "pandas", "torch", "scipy", "sklearn", "matplotlib", "IPython", "ipykernel",
                   "ipywidgets", "traitlets", "anywidget", "jupyter_client", "zmq", "tornado", "asyncio")  # fmt: skip
# frames inside these packages are not the caller: GraphWidget(g) runs through traitlets
_INNER_PACKAGES = ("micrograd_widgets", "traitlets", "anywidget", "ipywidgets")
_NN_LABEL = re.compile(r"w\d+|b")
_PACKAGE = __name__.split(".")[0]
_OPAQUE_TYPES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # class -> never walked into


def nn_label(node: Value) -> bool:
    """True for a label the package's nn set itself (``w0``, ``b`` on a parameter)."""
    return node.kind == "parameter" and bool(_NN_LABEL.fullmatch(node.label))


def own_name(node: Value) -> str:
    """The name a node carries without any inference: the user's label, or nn's label joined to its module path."""
    if nn_label(node) and node.scope:
        return f"{node.scope}.{node.label}"
    return node.label


def caller_namespace() -> dict:
    """The variables of the first frame outside this package (and traitlets/anywidget): the notebook cell's.

    A plain dict copy; the frame itself is dropped before returning, so no
    reference to it (and to everything it holds) outlives the call.
    """
    frame: types.FrameType | None = sys._getframe(1)
    try:
        while frame is not None and str(frame.f_globals.get("__name__", "")).split(".")[0] in _INNER_PACKAGES:
            frame = frame.f_back
        if frame is None:
            return {}
        namespace = dict(frame.f_globals)
        local = frame.f_locals
        if local is not frame.f_globals:
            namespace.update(local)
            if sys.version_info < (3, 13) and frame.f_code.co_flags & inspect.CO_OPTIMIZED:
                # NOTE [f_locals before 3.13]: reading a function frame's f_locals fills a dict
                # the frame keeps, which would hold the caller's Values after it `del`s them.
                # It is only a copy of the fast locals: emptying it changes no variable.
                local.clear()
        return namespace
    finally:
        del frame


def _hidden(name: str) -> bool:
    return name in _HIDDEN_NAMES or name.startswith("__") or bool(_HISTORY.fullmatch(name))


def _opaque(obj) -> bool:
    if isinstance(obj, _OPAQUE):
        return True
    cls = type(obj)
    opaque = _OPAQUE_TYPES.get(cls)
    if opaque is None:
        _OPAQUE_TYPES[cls] = opaque = _opaque_type(cls)
    return opaque


def _opaque_type(cls: type) -> bool:
    """True for classes from libraries and from this package (a widget's ``root``, a trainer's model, an
    optimizer's ``params`` are the package's references, not the user's names); nn's Modules are the user's model."""
    from .nn import Module

    if issubclass(cls, Module):
        return False
    for klass in cls.__mro__:
        package = (getattr(klass, "__module__", "") or "").split(".")[0]
        if package == _PACKAGE or package in _OPAQUE_MODULES:
            return True
    return False


# NOTE [loop variables]
# After `for wi in ws: ...` the variable wi still holds the last item, ws[2]: a
# name the student never meant for it, and a short one, so it would win. The
# cells run so far are in IPython's `In`; a name bound as a `for` target at a
# cell's top level (not inside a def or class, whose loops bind locals) ranks
# after every other name, whatever its length. It still names a node no other
# name reaches. Outside IPython there is no `In`, and no such rank.


def loop_variables(namespace: Mapping) -> frozenset:
    """The names bound as ``for`` targets in the notebook's cells (IPython's ``In``): NOTE [loop variables]."""
    cells = namespace.get("In")
    if not isinstance(cells, list):
        return frozenset()
    found: set = set()
    for cell in cells:
        if isinstance(cell, str) and "for" in cell:
            found |= _for_targets(cell)
    return frozenset(found)


@functools.lru_cache(maxsize=4096)  # a notebook's cells, parsed once each however many widgets it makes
def _for_targets(source: str) -> frozenset:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):  # a cell IPython ran but ast cannot read: it binds nothing we can see
        return frozenset()
    names: set = set()
    stack: list = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue  # their loops bind locals
        if isinstance(node, (ast.For, ast.AsyncFor)):
            names.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
        stack.extend(ast.iter_child_nodes(node))
    return frozenset(names)


def _module_path(name: str) -> str:
    """'layers.0.neurons.3.w.1' -> 'layers[0].neurons[3].w[1]' (how the user would write it)."""
    return "".join(f"[{part}]" if part.isdigit() else f".{part}" for part in name.split(".")).lstrip(".")


def infer(nodes: Sequence[Value], namespace: Mapping, aliases: dict | None = None, originals: Sequence = ()) -> list:
    """The shortest name ``namespace`` gives each node (by id), or "" where none reaches it.

    Walks variables, list/tuple/dict items and instance attributes up to
    MAX_DEPTH steps, in order of name length (so the first name found for an
    object is its shortest), looking at MAX_VISITS items at most; names that
    start at a loop variable come after all others (NOTE [loop variables]). The
    package's Modules also name their parameters through ``named_parameters()``.
    ``aliases``, when given, receives every name found: {name: node id}, so that
    ``params[5]`` and ``model.layers[0].neurons[1].w[1]`` both reach the node.
    ``originals``, by node id: the objects a copied graph was made from (micrograd's
    Values, ``foreign.py``); the notebook's names for them name the copies.
    """
    from .nn import Module  # nn imports the engine; importing it here keeps this module light

    index = {id(node): i for i, node in enumerate(nodes)}
    index.update({id(obj): i for i, obj in enumerate(originals)})
    found: list = [""] * len(nodes)
    rank: list = [None] * len(nodes)  # (loop variable first, length, name) of found[i]: the smallest wins
    order = itertools.count()
    heap: list = []
    seen: set = set()
    budget = MAX_VISITS
    loops = loop_variables(namespace)

    def reach(name: str, obj, depth: int, loop: bool):
        if isinstance(obj, Value) or id(obj) in index:
            i = index.get(id(obj))
            if i is None:
                return
            key = (loop, len(name), name)
            if rank[i] is None or key < rank[i]:
                found[i], rank[i] = name, key
            if aliases is not None:
                aliases.setdefault(name, i)
        elif depth < MAX_DEPTH and id(obj) not in seen and not _opaque(obj):
            heapq.heappush(heap, (loop, len(name), next(order), name, obj, depth))

    for name, obj in namespace.items():
        if isinstance(name, str) and not _hidden(name):
            reach(name, obj, 0, name in loops)
    while heap and budget > 0:
        loop, _, _, name, obj, depth = heapq.heappop(heap)
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, Module):
            try:
                parameters = obj.named_parameters()
            except Exception:  # a user's Module subclass may break it; the walk below still runs
                parameters = []
            for path, p in parameters[:MAX_ITEMS]:
                reach(f"{name}.{_module_path(path)}", p, MAX_DEPTH, loop)
            budget -= len(parameters)
        for key, item in _items(obj, budget):
            reach(f"{name}{key}", item, depth + 1, loop)
            budget -= 1
    return found


def _items(obj, budget: int):
    """(suffix, item) pairs one step from ``obj``: '[0]', "['w']", '.layers'."""
    limit = max(0, min(budget, MAX_ITEMS))
    if isinstance(obj, (list, tuple)):
        return [(f"[{k}]", item) for k, item in enumerate(itertools.islice(obj, limit))]
    if isinstance(obj, dict):
        pairs = []
        for key, item in itertools.islice(obj.items(), limit):
            if isinstance(key, (str, int)) and not isinstance(key, bool):
                pairs.append((f"[{key!r}]", item))
        return pairs
    try:
        attributes = vars(obj)
    except TypeError:
        attributes = {}
    pairs = [(f".{key}", item) for key, item in itertools.islice(attributes.items(), limit)
             if isinstance(key, str) and not key.startswith("_")]  # fmt: skip
    for key in getattr(type(obj), "__slots__", ()):
        if isinstance(key, str) and not key.startswith("_") and len(pairs) < limit:
            with contextlib.suppress(AttributeError):  # an unset slot
                pairs.append((f".{key}", getattr(obj, key)))
    return pairs


def _plain(name: str) -> str:
    """A name in one spelling for comparing: 'x[0]' and 'x.0' alike, "p['w']" and 'p.w' alike."""
    return re.sub(r"\[['\"]?([^\]'\"]*)['\"]?\]", r".\1", name)


class NodeNames:
    """What every node of one graph is called: the names shown, and every name a user may pass for a node."""

    def __init__(
        self,
        nodes: Sequence[Value],
        inferred: Sequence[str] = (),
        explicit: Mapping | None = None,
        aliases: Mapping | None = None,
    ):
        n = len(nodes)
        inferred = list(inferred) or [""] * n
        given = [""] * n
        if explicit:
            index = {id(node): i for i, node in enumerate(nodes)}
            for value, name in explicit.items():
                if not isinstance(value, Value):
                    raise TypeError(f"names maps Values to names, got a key {type(value).__name__} {value!r}")
                if not isinstance(name, str) or not name:
                    raise TypeError(f"names[{value!r}] must be a non-empty str, got {name!r}")
                i = index.get(id(value))
                if i is None:
                    raise ValueError(f"names: {value!r} is not part of this graph")
                given[i] = name
        self.shown = []
        for i, node in enumerate(nodes):
            label = node.label if node.label and not nn_label(node) else ""
            self.shown.append(given[i] or label or inferred[i] or own_name(node))
        # every name a node answers to: shown, label, inferred, nn's module path. The ids of
        # one name are a dict's keys (an ordered set): 50,000 leaves labelled 'x' add in linear time
        self._aliases: dict[str, dict[int, None]] = {}
        for i, node in enumerate(nodes):
            for name in (self.shown[i], node.label, inferred[i], own_name(node), given[i]):
                if name:
                    self._aliases.setdefault(name, {})[i] = None
        for name, i in (aliases or {}).items():  # the longer names that reach a node too
            self._aliases.setdefault(name, {})[i] = None
        self._ops = [node.op for node in nodes]

    def ids(self, name: str) -> list:
        """The ids of the nodes called exactly ``name`` (a shown name, label or inferred name)."""
        return list(self._aliases.get(name, ()))

    def under(self, prefix: str) -> list:
        """The ids of the nodes whose name starts with ``prefix`` followed by '.' or '[' ('model.layers[0]')."""
        plain = _plain(prefix)
        out: set[int] = set()
        for name, ids in self._aliases.items():
            if _plain(name).startswith(plain + "."):
                out.update(ids)
        return sorted(out)

    def with_op(self, op: str) -> list:
        return [i for i, name in enumerate(self._ops) if name == op]

    def closest(self, query: str, n: int = 5) -> list:
        """The names most like ``query`` (difflib), for error messages."""
        return difflib.get_close_matches(query, list(self._aliases), n=n, cutoff=0.4)

    def known(self, ids: Sequence[int] | None = None, limit: int = 12) -> list:
        """A few names, for error messages: the shown names of ``ids`` (default: every node)."""
        chosen = range(len(self.shown)) if ids is None else ids
        return [self.shown[i] for i in chosen if self.shown[i]][:limit]
