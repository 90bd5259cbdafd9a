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
