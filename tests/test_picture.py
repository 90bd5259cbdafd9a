from expressions import micrograd_readme_expression

from micrograd_widgets import Value
from micrograd_widgets.widgets._picture import MAX_NODES, graph_svg


def test_static_picture_shows_every_value_with_its_numbers():
    a, b, g = micrograd_readme_expression()
    g.backward()
    svg = graph_svg(g)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == len(g.topo())
    assert "data 24.7041" in svg and "grad 138.8338" in svg and "grad 645.5773" in svg
    assert svg.count("<line") == sum(len(node.inputs) for node in g.topo())


def test_static_picture_escapes_labels():
    a = Value(1.0, label="<img src=x onerror=alert(1)>")
    svg = graph_svg(a * 2)
    assert "<img" not in svg and "&lt;img src=x" in svg


def test_static_picture_of_a_huge_graph_says_its_size():
    x = Value(1.0)
    for _ in range(MAX_NODES):
        x = x + 1.0
    svg = graph_svg(x)
    assert "<rect" not in svg and f"{len(x.topo())} values" in svg
