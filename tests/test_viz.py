import os
import pathlib
import re
import shutil
import subprocess
import sys
from html import escape

import matplotlib

matplotlib.use("Agg")

import graphviz
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


def hide_dot(monkeypatch):
    """As on a fresh machine or in Pyodide: no `dot` on PATH (graphviz's Python package is there)."""
    real_which = shutil.which
    monkeypatch.setattr(viz.shutil, "which", lambda name, *a, **k: None if name == "dot" else real_which(name, *a, **k))


def notebook_bundle(obj):
    """What IPython sends to the notebook for ``obj`` as a cell's last line."""
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(obj)
    return data


def test_draw_dot_without_the_dot_program_shows_its_own_svg_with_a_note(monkeypatch):
    _, _, out = small_graph()
    with_dot = viz.draw_dot(out).source
    hide_dot(monkeypatch)
    picture = viz.draw_dot(out)
    assert isinstance(picture, graphviz.Digraph) and picture.source == with_dot  # the same Digraph as with dot
    shown = notebook_bundle(picture)  # graphviz alone would raise ExecutableNotFound here
    html = shown["text/html"]
    assert html.count("<svg") == 1 and escape(viz.NO_DOT_NOTE) in html
    assert "image/svg+xml" not in shown  # no attempt to run dot for it
    # the package's picture of this graph: out = tanh(a*b + 1) at a=2, b=-3
    assert re.search(r">out \(tanh\)<.*?>data -0\.9999<.*?>grad 1\.0000<", html, re.S)
    assert re.search(r">a<.*?>data 2\.0000<", html, re.S)


def test_draw_dot_without_dot_draws_the_numbers_of_its_call_not_of_later_changes(monkeypatch):
    a, _, out = small_graph()
    hide_dot(monkeypatch)
    picture = viz.draw_dot(out)
    a.data = 5.0  # like a slider moved after the picture was drawn; Graphviz's source keeps 2.0 too
    assert ">data 2.0000<" in notebook_bundle(picture)["text/html"]
    assert ">data 2.0000<" in notebook_bundle(picture.copy())["text/html"]


def test_draw_dot_without_dot_keeps_the_notebooks_mime_choice(monkeypatch):
    hide_dot(monkeypatch)
    picture = viz.draw_dot(Value(1.0) * 2)
    assert set(picture._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert set(picture._repr_mimebundle_(exclude=["text/html"])) == {"text/plain"}


def test_render_without_the_dot_program_says_how_to_install_graphviz(monkeypatch, tmp_path):
    hide_dot(monkeypatch)
    picture = viz.draw_dot(Value(1.0) * 2)
    with pytest.raises(viz.GraphvizNotFoundError, match="apt-get install graphviz"):
        picture.render(tmp_path / "graph")
    with pytest.raises(viz.GraphvizNotFoundError, match="apt-get install graphviz"):
        picture.pipe(format="png")


def test_importing_viz_loads_no_numpy_matplotlib_or_graphviz_and_each_picture_names_what_it_needs():
    # a fresh interpreter where none of them can be imported, as in Pyodide without those wheels
    code = """
import sys
from html import escape
for name in ("numpy", "matplotlib", "graphviz"):
    sys.modules[name] = None
from micrograd_widgets import MLP, Value, draw_dot, plot_decision_boundary
for call in (lambda: plot_decision_boundary(MLP(2, [1]), [[0.0, 0.0]], [1]), lambda: draw_dot(Value(1.0) * 2)):
    try:
        call()
    except ImportError as error:
        print(error)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == [
        "plot_decision_boundary draws with matplotlib: pip install matplotlib",
        "draw_dot builds a graphviz.Digraph and needs the graphviz package: pip install graphviz",
    ]


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


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_plot_decision_boundarys_plane_scores_are_the_models_own_outputs(activation):
    import numpy as np

    model = MLP(2, [5, 4, 1], activation=activation, seed=3)
    points = [[-2.0, 1.5], [0.0, 0.0], [0.3, -0.7], [40.0, -25.0]]
    scores = viz._scores(model, np.array(points))
    engine = [model(p).data for p in points]  # the oracle: the engine's forward pass, Value by Value
    assert scores.shape == (len(points),)
    assert scores.tolist() == pytest.approx(engine, rel=1e-12, abs=1e-12)


def test_plot_decision_boundary_rejects_a_model_with_several_outputs():
    with pytest.raises(ValueError, match="one output"):
        viz.plot_decision_boundary(MLP(2, [3, 2]), [[0.0, 1.0], [1.0, 0.0]], [1, -1], cells=5)


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


@pytest.mark.slow
def test_the_static_pictures_notebook_runs_where_dot_is_not_installed(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(pathlib.Path(__file__).parent.parent / "examples" / "06_static.ipynb", as_version=4)
    # the kernel's PATH without the folders that hold `dot`, as on a fresh machine
    path = os.pathsep.join(
        p for p in os.environ["PATH"].split(os.pathsep) if not os.path.exists(os.path.join(p, "dot"))
    )
    assert shutil.which("dot", path=path) is None
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute(env={**os.environ, "PATH": path})
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    (html,) = [output.data["text/html"] for output in outputs if "text/html" in output.get("data", {})]
    assert escape(viz.NO_DOT_NOTE) in html and html.count("<svg") == 1
    # L = (a*b + c) * f at a=2, b=-3, c=10, f=-2: L's data, a's grad (b*f) and b's grad (a*f)
    assert re.search(r">L \(\*\)<.*?>data -8\.0000<.*?>grad 1\.0000<", html, re.S)
    assert re.search(r">a<.*?>grad 6\.0000<", html, re.S) and re.search(r">b<.*?>grad -4\.0000<", html, re.S)
    assert len([output for output in outputs if "image/png" in output.get("data", {})]) == 1  # matplotlib's plot
