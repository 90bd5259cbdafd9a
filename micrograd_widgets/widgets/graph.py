"""GraphWidget: a Value's graph, live. Drag a leaf's slider, watch forward and backward.

The class is thin: traitlets and message handlers. The graph's shape and the
numbers come from ``wire.py``, the replay from the engine, slider choices from
``_graph_state.py``; the browser side is ``js/graph/index.js``.
"""

import functools
import inspect
import math
import re
import sys
import types
from collections.abc import Mapping

import anywidget
import traitlets

from .. import wire
from .._bundle import bundle_path
from .._checks import check_keywords
from ..engine import Value, gradcheck
from ..foreign import ForeignGraph
from ..names import NodeNames, caller_namespace, infer
from . import _graph_state as state
from . import _html, _picture
from . import _teaching as teaching

GROUP_THRESHOLD = 300
# traits a caller may set in the call, beside __init__'s own keywords (the class docstring names them)
TRAIT_OPTIONS = ("exercise", "presenter", "hide_values", "hide_grads", "layout")
_ID = re.compile(r"0|[1-9][0-9]*")  # a node id as a message key: "0", "17"; not "01", " 1", "+1"

# NOTE [the set protocol]
# The browser replays on every slider input and shows its own numbers at once;
# then it sends {"type": "set", "seq", "client", "values": {id: value}} (at most
# one in flight, newest value wins). We set the leaves, replay, update the
# traitlets (so every other view follows) and answer the sender with a custom
# message {"type": "state", "seq", "client", "errors"} and buffers [data, grad]
# (plus [numeric] with the gradient check on). The custom answer is what the
# sender waits for: a traitlet set to an equal value sends nothing, and a view
# waiting for it would hang.


class GraphWidget(anywidget.AnyWidget):
    """A live picture of the graph that computes ``root``: sliders on its leaves, data and grads on every node.

    Nodes show the names the caller's notebook gives them (``a``, ``x[0]``,
    ``model.layers[0].neurons[3].w[1]``; see ``names.py``), unless labelled;
    ``names=False`` turns that off, ``names={value: 'name'}`` names nodes yourself.
    ``root`` may be micrograd's own Value: its graph is shown through a copy (``foreign.py``).
    Options: ``sliders`` (names or Values; default: every input leaf, named ones first),
    ``ranges`` ({name: (min, max[, step])}), ``max_sliders`` (12),
    ``group_threshold`` (above this many nodes the graph arrives folded: by scope, by name,
    else by its own structure; 300; ``10**9`` draws every node, only those in view in the page),
    ``gradcheck`` (show finite differences at start), ``local_replay``
    (False makes the browser wait for the kernel: for comparisons only).
    Teaching modes: ``exercise`` (grads hidden, the student types them),
    ``presenter`` (large type, secondary controls hidden, arrow keys step),
    ``hide_values`` / ``hide_grads`` (ask the class before revealing); see
    ``backward_step``, ``backward_reset``, ``check`` and ``score``.
    ``layout`` is ipywidgets'. Any other keyword raises TypeError naming the closest options.
    """

    _esm = bundle_path("graph.js")
    _css = bundle_path("graph.css")

    # ---- the graph's shape: sent once --------------------------------------------
    structure = traitlets.Dict().tag(sync=True)
    sliders: traitlets.List[dict] = traitlets.List().tag(sync=True)
    slider_note = traitlets.Unicode("").tag(sync=True)  # leaves left without a slider, names told apart
    group_threshold = traitlets.Int(GROUP_THRESHOLD).tag(sync=True)
    # False: the browser waits for the kernel on every move (the peer the benchmarks compare with)
    local_replay = traitlets.Bool(True).tag(sync=True)

    # ---- the numbers: packed float64, one per node id ------------------------------
    data = traitlets.Bytes(b"").tag(sync=True)
    grad = traitlets.Bytes(b"").tag(sync=True)
    errors = traitlets.Dict().tag(sync=True)  # {"id": error text}

    # ---- gradient check: finite differences beside the leaves' grads ---------------
    show_gradcheck = traitlets.Bool(False).tag(sync=True)
    numeric_grad = traitlets.Bytes(b"").tag(sync=True)  # NaN where not a leaf

    # ---- teaching modes: js/teaching/index.js shows them, _teaching.py computes them for Python
    step_index = traitlets.Int(-1).tag(sync=True)  # nodes of backward done in the step-through; -1: not stepping
    exercise = traitlets.Bool(False).tag(sync=True)
    answers = traitlets.Dict().tag(sync=True)  # {"node id": text typed}: the browser's and check()'s answers
    presenter = traitlets.Bool(False).tag(sync=True)
    hide_values = traitlets.Bool(False).tag(sync=True)
    hide_grads = traitlets.Bool(False).tag(sync=True)

    def __init__(
        self,
        root: Value,
        *,
        sliders=None,
        ranges=None,
        max_sliders=state.MAX_SLIDERS,
        names=None,
        group_threshold=GROUP_THRESHOLD,
        gradcheck=False,
        local_replay=True,
        **kwargs,
    ):
        check_keywords(kwargs, _keywords(), _call_name())
        foreign = None
        if not isinstance(root, Value):  # micrograd's own Values: shown through a copy (foreign.py)
            foreign = ForeignGraph(root)
            root, (sliders, ranges, names) = foreign.root, foreign.arguments(sliders, ranges, names)
        self.root = root
        self._nodes = root.topo()
        self._index = wire.node_index(self._nodes)
        self._names = _node_names(self._nodes, names, foreign.originals if foreign else ())
        if foreign is not None:
            foreign.settle_kinds(self._names.shown)
        specs, note = state.slider_specs(self._nodes, self._names, sliders, ranges, max_sliders)
        if isinstance(group_threshold, bool) or not isinstance(group_threshold, int) or group_threshold < 0:
            raise ValueError(
                f"group_threshold must be an int >= 0 (nodes before the graph is folded), got {group_threshold!r}"
            )
        root.replay()  # fresh grads: the picture must match its own numbers
        super().__init__(
            structure=wire.structure(self._nodes, self._names.shown),
            sliders=specs,
            slider_note=note,
            group_threshold=group_threshold,
            data=wire.pack_data(self._nodes),
            grad=wire.pack_grad(self._nodes),
            errors=wire.errors(self._nodes),
            show_gradcheck=gradcheck,
            local_replay=local_replay,
            **kwargs,
        )
        if self.show_gradcheck:
            self.numeric_grad = self._numeric()
        self.on_msg(self._on_message)

    # ---- public API: what the slider does, from Python ------------------------------

    def set(self, leaf, value) -> "GraphWidget":
        """Set a leaf (its name, label or the Value) to ``value``, replay forward and backward, update every view."""
        self._check_open()
        i = state.resolve_leaf(self._nodes, self._index, self._names, leaf)
        self._nodes[i].data = state.as_number(value, f"the value for {leaf!r}")
        self._replay_and_sync()
        return self

    def refresh(self) -> "GraphWidget":
        """Re-read the leaves (after a cell changed ``a.data``), replay, update every view."""
        self._replay_and_sync()
        return self

    def reset(self) -> "GraphWidget":
        """Put every slider's leaf back where it started."""
        for spec in self.sliders:
            self._nodes[spec["id"]].data = float(spec["value"])  # 'NaN' and 'Infinity' travel as text
        self._replay_and_sync()
        return self

    def find(self, query) -> list:
        """The ids of the nodes called ``query`` (a name, label, name prefix such as 'model.layers[0]', or op).

        Every view opens the groups on the way and centres the first id.
        No match raises KeyError listing the closest names.
        """
        self._check_open()
        ids = self._find_ids(query)
        self.send({"type": "find", "ids": ids})
        return ids

    def _find_ids(self, query) -> list:
        if isinstance(query, Value):
            i = self._index.get(id(query))
            if i is None:
                raise KeyError(f"{query!r} is not part of this graph")
            return [i]
        if not isinstance(query, str) or not query:
            raise TypeError(f"find takes a name, label or op (str) or a Value, got {type(query).__name__} {query!r}")
        ids = self._names.ids(query)
        ids += [i for i in self._names.under(query) if i not in ids]
        if not ids:
            ids = self._names.with_op(query)
        if not ids:
            raise KeyError(state.unknown_name(self._names, query))
        return ids

    # ---- teaching modes: step-through backward and exercises, from Python -----------

    def backward_step(self):
        """Process the next node of backward (the root first) in every view; returns what it did.

        The views show the grads computed so far and leave the others blank;
        ``step_index`` counts the nodes done (-1: not stepping). Returns a
        ``BackwardStep`` (the node, its grad, what it sends to each input), or
        None when every node is done. Not in exercise mode: it shows the answers.
        """
        if self.exercise:
            raise RuntimeError("backward_step() would show the grads this exercise asks for; set exercise=False first")
        n = len(self._nodes)
        if self.step_index >= n:
            return None
        self.step_index = max(1, self.step_index + 1)
        return teaching.describe_step(self._nodes, self.step_index, self._names.shown)

    def backward_reset(self) -> "GraphWidget":
        """Start the step-through again: every view shows no grads until the next step."""
        self.step_index = 0
        return self

    def stepped_grads(self) -> list:
        """The grads the step-through shows now, by node id (None where not computed yet; all when not stepping)."""
        if self.step_index < 0:
            return [node.grad for node in self._nodes]
        return teaching.partial_grads(self._nodes, self.step_index)

    def check(self, node, answer) -> bool:
        """Answer a node's grad (its label or the Value) as a student would; True when right.

        Right within 1% of the grad, or 1e-3 for grads near 0 (``_teaching.REL_TOL``,
        ``ABS_TOL``). The answer shows in the exercise's box in every view and counts in ``score``.
        An answer is a finite number, or its text in ASCII digits ("-1.5", "1,5", "2e-3"):
        other text ("nan", "inf", "١٢", "lots") raises ValueError saying why.
        """
        i = self._node_for_answer(node)
        if isinstance(answer, bool) or not isinstance(answer, (str, int, float)):
            raise TypeError(f"an answer is a number or its text, got {type(answer).__name__} {answer!r}")
        value, problem = teaching.parse_answer(answer)
        if value is None:
            raise ValueError(problem or "an empty answer: type a number such as -1.5")
        self.answers = {**self.answers, str(i): answer if isinstance(answer, str) else teaching.answer_text(value)}
        return teaching.check_answer(value, self._nodes[i].grad)

    @property
    def score(self) -> teaching.Score:
        """Exercise progress: ``Score(right, attempted, total)`` of the answers given so far."""
        return teaching.score(self._nodes, self.answers)

    def _node_for_answer(self, key) -> int:
        if isinstance(key, Value):
            i = self._index.get(id(key))
            if i is None:
                raise ValueError(f"{key!r} is not part of this graph")
        elif isinstance(key, str):
            ids = self._names.ids(key)
            if not ids:
                raise KeyError(state.unknown_name(self._names, key))
            if len(ids) > 1:
                raise ValueError(f"{len(ids)} nodes are named {key!r} (ids {ids}); pass the Value itself")
            i = ids[0]
        else:
            raise TypeError(f"a node is named by its name (str) or given as a Value, got {type(key).__name__} {key!r}")
        if i not in teaching.exercise_nodes(self._nodes):
            why = "the output's grad is given (1)" if i == len(self._nodes) - 1 else "constants are not asked"
            name = teaching.node_name(self._nodes, i, self._names.shown)
            raise ValueError(f"{name!r} is not part of the exercise: {why}")
        return i

    @traitlets.validate("step_index")
    def _valid_step(self, proposal):
        return max(-1, min(len(self._nodes), int(proposal["value"])))

    def close(self):
        """Close every view and let go of the graph (anywidget keeps a closed widget object alive)."""
        super().close()
        # the root, the cached order and the index are the graph; once dropped, the
        # user's own references are the only ones left
        self.root, self._nodes, self._index = None, [], {}

    # ---- the protocol ---------------------------------------------------------------

    def _check_open(self):
        if self.root is None:
            raise RuntimeError("this GraphWidget is closed and has released its graph: make a new one")

    def _replay_and_sync(self, answer=None):
        self._check_open()
        self.root.replay()
        data, grad = wire.pack_data(self._nodes), wire.pack_grad(self._nodes)
        errors = wire.errors(self._nodes)
        numeric = self._numeric() if self.show_gradcheck else None
        with self.hold_sync():
            self.data, self.grad, self.errors = data, grad, errors
            if numeric is not None:
                self.numeric_grad = numeric
        if answer is not None:
            buffers = [data, grad] + ([numeric] if numeric is not None else [])
            self.send({"type": "state", **answer, "errors": errors}, buffers)

    def _on_message(self, _widget, content, _buffers):
        if not isinstance(content, dict) or content.get("type") != "set":
            return
        values = content.get("values")
        for key, value in values.items() if isinstance(values, dict) else ():
            i = _node_id(key, len(self._nodes))
            # a bad entry is skipped, never raised: the sender still gets its answer
            # (js/offline/offline_model.js skips the same entries; tests/test_cross_check.py)
            if i is None or self._nodes[i].inputs or self._nodes[i].kind == "constant":
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            try:
                number = float(value)
            except OverflowError:  # an int beyond a float's range: inf in the browser
                continue
            if math.isfinite(number):
                self._nodes[i].data = number
        self._replay_and_sync({"seq": content.get("seq"), "client": content.get("client")})

    @traitlets.observe("show_gradcheck")
    def _gradcheck_toggled(self, change):
        if change["new"]:
            self.numeric_grad = self._numeric()

    def _numeric(self) -> bytes:
        values = [math.nan] * len(self._nodes)
        for row in gradcheck(self.root):
            values[self._index[id(row.leaf)]] = row.numeric
        return wire.pack(values)

    # ---- outside a live front-end ---------------------------------------------------

    def save_html(self, path, *, title=None):
        """Write one self-contained HTML page of this graph that stays live without a kernel.

        Its sliders replay forward and backward in the browser.
        """
        return _html.save_html(self, path, title=title)

    def _repr_mimebundle_(self, **kwargs):
        """The live view, plus a static SVG picture for GitHub, nbviewer and PDF (no widget front-end there)."""
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle or {}, {})
        text = f"GraphWidget: the graph of {self.root!r}, {len(self._nodes)} nodes"
        return {**data, "image/svg+xml": _picture.graph_svg(self.root), "text/plain": text}, metadata


@functools.cache
def _keywords() -> tuple:
    """Every keyword GraphWidget() takes: its own keyword-only parameters, then TRAIT_OPTIONS."""
    parameters = inspect.signature(GraphWidget.__init__).parameters.values()
    return (*(p.name for p in parameters if p.kind is p.KEYWORD_ONLY), *TRAIT_OPTIONS)


def _call_name() -> str:
    """The call as the user wrote it, for error messages: "Value.widget()" when it came through there."""
    frame: types.FrameType | None = sys._getframe(2)  # this <- GraphWidget.__init__ <- the caller
    try:
        for _ in range(3):  # a subclass's __init__ may stand in between
            if frame is None:
                break
            if frame.f_code is Value.widget.__code__:
                return "Value.widget()"
            frame = frame.f_back
        return "GraphWidget()"
    finally:
        del frame


def _node_names(nodes, names, originals=()) -> NodeNames:
    """The names the nodes show: inferred from the caller's notebook unless ``names`` is False or gives them."""
    if names is False:
        return NodeNames(nodes)
    if names is not None and names is not True and not isinstance(names, Mapping):
        raise TypeError(f"names must be True, False or a dict {{Value: name}}, got {type(names).__name__} {names!r}")
    namespace = caller_namespace()
    aliases: dict = {}
    try:
        inferred = infer(nodes, namespace, aliases, originals)
    finally:
        del namespace  # the notebook's objects: hold none of them past this call
    return NodeNames(nodes, inferred, names if isinstance(names, Mapping) else None, aliases)


def _node_id(key, n):
    # only the text String(i) gives in the browser: int() would also take " 1", "+1", "1_0", "01" and "١"
    if not isinstance(key, str) or not _ID.fullmatch(key):
        return None
    i = int(key)
    return i if i < n else None
