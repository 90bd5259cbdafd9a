"""Static pictures for printed notes: draw_dot (graphviz) and plot_decision_boundary (matplotlib).

Nothing heavy loads with this module: graphviz loads in draw_dot, numpy and
matplotlib in plot_decision_boundary, so ``import micrograd_widgets`` works
where they are missing (Pyodide in JupyterLite).
"""

import functools
import shutil
from html import escape

from .wire import format_number, node_index

GRAPHVIZ_INSTALL = (
    "draw_dot needs Graphviz's `dot` program, which is not on PATH. Install it with "
    "`sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) "
    "or `conda install -c conda-forge graphviz`, then restart the kernel."
)
NO_DOT_NOTE = (
    "Graphviz's dot program is not on this machine (a browser kernel never has it), so this is "
    "micrograd_widgets' own drawing; .source is the Graphviz text, .render() needs dot."
)


class GraphvizNotFoundError(RuntimeError):
    """Graphviz's `dot` binary is missing (the Python package alone cannot render)."""


def _record_text(text: str) -> str:
    # record labels treat {}|<> as structure and \ as escape: show them literally
    for ch in '\\{}|<>"':
        text = text.replace(ch, "\\" + ch)
    return text


def _require_dot() -> None:
    if shutil.which("dot") is None:
        raise GraphvizNotFoundError(GRAPHVIZ_INSTALL)


@functools.cache
def _picture_class():
    """graphviz.Digraph that shows the package's own SVG in a notebook when `dot` is missing."""
    try:
        import graphviz
    except ImportError:
        raise ImportError(
            "draw_dot builds a graphviz.Digraph and needs the graphviz package: pip install graphviz"
        ) from None

    class Picture(graphviz.Digraph):
        """A graphviz.Digraph; without `dot` a notebook shows ``fallback_svg`` and a one-line note."""

        def __init__(self, *args, fallback_svg: str = "", **kwargs):
            super().__init__(*args, **kwargs)
            self.fallback_svg = fallback_svg

        def copy(self):
            # graphviz's _copy_kwargs chain drops keywords it does not know
            duplicate = super().copy()
            duplicate.fallback_svg = self.fallback_svg
            return duplicate

        def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
            if shutil.which("dot") is not None:
                return super()._repr_mimebundle_(include, exclude, **kwargs)
            html = f'<p style="margin:0 0 4px;font-size:12px;color:#555">{escape(NO_DOT_NOTE)}</p>{self.fallback_svg}'
            bundle = {"text/html": html, "text/plain": NO_DOT_NOTE}
            keep = set(include) if include is not None else set(bundle)
            keep -= set(exclude or ())
            return {mime: data for mime, data in bundle.items() if mime in keep}

        # rendering needs the program: say how to install it, not graphviz's bare "failed to execute"
        def pipe(self, *args, **kwargs):
            _require_dot()
            return super().pipe(*args, **kwargs)

        def render(self, *args, **kwargs):
            _require_dot()
            return super().render(*args, **kwargs)

    return Picture


def draw_dot(root, rankdir="LR", format="svg"):
    """A graphviz.Digraph of the graph that produces ``root``: a record per value, a node per op.

    Like micrograd's trace_graph notebook: each value shows label, data and grad.
    Where Graphviz's `dot` program is missing, a notebook shows the package's own
    SVG picture of the same graph, with a note; ``.source`` works either way.
    """
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    Picture = _picture_class()
    nodes = root.topo()
    # drawn now, like the Digraph's source: the numbers of this moment, not of a later slider
    fallback = "" if shutil.which("dot") else _own_svg(root)
    picture = Picture(format=format, graph_attr={"rankdir": rankdir}, fallback_svg=fallback)
    index = node_index(nodes)
    for i, node in enumerate(nodes):
        fields = [f"data {format_number(node.data)}", f"grad {format_number(node.grad)}"]
        if node.label:
            fields.insert(0, _record_text(node.label))
        picture.node(f"v{i}", label="{ " + " | ".join(fields) + " }", shape="record")
        if node.inputs:
            picture.node(f"op{i}", label=node.op)
            picture.edge(f"op{i}", f"v{i}")
            for child in node.inputs:
                picture.edge(f"v{index[id(child)]}", f"op{i}")
    return picture


def _own_svg(root) -> str:
    from .widgets._picture import graph_svg

    return graph_svg(root)


def _scores(model, points):
    """The MLP's outputs at each row of ``points`` (numpy, no graph built): the engine's math on arrays."""
    import numpy as np

    activations = {
        "relu": lambda z: np.maximum(z, 0.0),
        "tanh": np.tanh,
        "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),  # the logistic function, overflow-free
        "linear": lambda z: z,
    }
    a = points
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in model.layers:
            W = np.array([[w.data for w in n.w] for n in layer.neurons], dtype=np.float64)
            b = np.array([n.b.data for n in layer.neurons], dtype=np.float64)
            a = activations[layer.neurons[0].activation](a @ W.T + b)
    if a.shape[1] != 1:
        raise ValueError(f"plot_decision_boundary draws a model with one output (a score), this one has {a.shape[1]}")
    return a[:, 0]


def plot_decision_boundary(model, X, y, ax=None, cells=200):
    """Colour the plane by the model's score (boundary at 0) and draw the points on top; returns the axes."""
    try:
        import matplotlib.pyplot as plt
        from matplotlib.colors import TwoSlopeNorm
    except ImportError:
        raise ImportError("plot_decision_boundary draws with matplotlib: pip install matplotlib") from None
    import numpy as np  # matplotlib depends on it

    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    margin = 0.5
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xs, ys = np.linspace(lo[0], hi[0], cells), np.linspace(lo[1], hi[1], cells)
    gx, gy = np.meshgrid(xs, ys)
    scores = _scores(model, np.column_stack([gx.ravel(), gy.ravel()])).reshape(cells, cells)
    limit = float(np.nanmax(np.abs(scores))) or 1.0
    norm = TwoSlopeNorm(vmin=-limit, vcenter=0.0, vmax=limit)
    ax.contourf(xs, ys, scores, levels=40, cmap="PuOr_r", norm=norm, alpha=0.8)
    ax.contour(xs, ys, scores, levels=[0.0], colors="k", linewidths=1.0)
    positive = y > 0
    ax.scatter(X[~positive, 0], X[~positive, 1], c="#5e3c99", edgecolors="k", s=25, label="class -1")
    ax.scatter(X[positive, 0], X[positive, 1], c="#e66101", edgecolors="k", s=25, marker="s", label="class +1")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.legend(loc="upper right", fontsize="small")
    return ax
