import matplotlib

matplotlib.use("Agg")

import pytest

from micrograd_widgets import MLP, Value, viz
from micrograd_widgets.data import moons


def small_graph():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = (a * b + 1).tanh()
    out.label = "out"
    out.backward()
    return a, b, out


def test_draw_dot_has_a_record_per_value_and_a_node_per_op():
    _, _, out = small_graph()
    picture = viz.draw_dot(out)
    source = picture.source
    assert source.count("shape=record") == len(out.topo())  # a, b, a*b, 1, +, tanh
    assert source.count("label=tanh") == 1 and 'label="*"' in source and 'label="+"' in source
    assert "rankdir=LR" in source
    assert "{ a | data 2.0000 | grad" in source
    assert "{ out | data -0.9999 | grad 1.0000 }" in source


def test_draw_dot_renders_to_svg():
    _, _, out = small_graph()
    svg = viz.draw_dot(out).pipe(format="svg").decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "tanh" in svg


def test_draw_dot_shows_record_syntax_in_labels_literally():
    a = Value(1.0, label="x{|}<y>")
    source = viz.draw_dot(a * 2).source
    assert r"x\{\|\}\<y\>" in source


def test_draw_dot_without_the_dot_binary_says_how_to_install_graphviz(monkeypatch):
    monkeypatch.setattr(viz.shutil, "which", lambda name: None)
    with pytest.raises(viz.GraphvizNotFoundError, match="apt-get install graphviz"):
        viz.draw_dot(Value(1.0) * 2)


def test_draw_dot_rejects_an_unknown_rankdir():
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw_dot(Value(1.0) * 2, rankdir="sideways")


def test_plot_decision_boundary_colours_the_plane_by_score():
    X, y = moons(50, noise=0.1, seed=0)
    model = MLP(2, [8, 1], seed=0)
    ax = viz.plot_decision_boundary(model, X, y, cells=50)
    assert len(ax.collections) >= 3  # filled contour, boundary line, two scatter sets
    lo, hi = ax.get_xlim()
    assert lo < X[:, 0].min() and hi > X[:, 0].max()


def test_plot_decision_boundary_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        viz.plot_decision_boundary(MLP(2, [2, 1]), [[1.0, 2.0, 3.0]], [1])


def test_micrograds_trace_graph_notebook_runs_with_our_value():
    """The trace_graph notebook's own code, with only the import changed."""
    from graphviz import Digraph

    from micrograd_widgets import nn

    def trace(root):
        nodes, edges = set(), set()

        def build(v):
            if v not in nodes:
                nodes.add(v)
                for child in v._prev:
                    edges.add((child, v))
                    build(child)

        build(root)
        return nodes, edges

    def draw_dot(root, format="svg", rankdir="LR"):
        nodes, edges = trace(root)
        dot = Digraph(format=format, graph_attr={"rankdir": rankdir})
        for n in nodes:
            dot.node(name=str(id(n)), label=f"{{ data {n.data:.4f} | grad {n.grad:.4f} }}", shape="record")
            if n._op:
                dot.node(name=str(id(n)) + n._op, label=n._op)
                dot.edge(str(id(n)) + n._op, str(id(n)))
        for n1, n2 in edges:
            dot.edge(str(id(n1)), str(id(n2)) + n2._op)
        return dot

    x = Value(1.0)
    y = (x * 2 + 1).relu()
    y.backward()
    assert "{ data 3.0000 | grad 1.0000 }" in draw_dot(y).source

    n = nn.Neuron(2)
    out = n([Value(1.0), Value(-2.0)])
    out.backward()
    assert draw_dot(out).source.count("shape=record") == len(out.topo())
