"""Static pictures for printed notes: draw_dot (graphviz) and plot_decision_boundary (matplotlib)."""

import shutil

import numpy as np

from .training import fastpath
from .wire import format_number, node_index

GRAPHVIZ_INSTALL = (
    "draw_dot needs Graphviz's `dot` program, which is not on PATH. Install it with "
    "`sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) "
    "or `conda install -c conda-forge graphviz`, then restart the kernel."
)


class GraphvizNotFoundError(RuntimeError):
    """Graphviz's `dot` binary is missing (the Python package alone cannot render)."""


def _record_text(text: str) -> str:
    # record labels treat {}|<> as structure and \ as escape: show them literally
    for ch in '\\{}|<>"':
        text = text.replace(ch, "\\" + ch)
    return text


def draw_dot(root, rankdir="LR", format="svg"):
    """A graphviz.Digraph of the graph that produces ``root``: a record per value, a node per op.

    Like micrograd's trace_graph notebook: each value shows label, data and grad.
    """
    import graphviz

    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    if shutil.which("dot") is None:
        raise GraphvizNotFoundError(GRAPHVIZ_INSTALL)
    picture = graphviz.Digraph(format=format, graph_attr={"rankdir": rankdir})
    nodes = root.topo()
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


def plot_decision_boundary(model, X, y, ax=None, cells=200):
    """Colour the plane by the model's score (boundary at 0) and draw the points on top; returns the axes."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import TwoSlopeNorm

    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    xs, ys, points = fastpath.grid(X, cells)
    scores = np.asarray(fastpath.forward(model, points)).reshape(cells, cells)
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
