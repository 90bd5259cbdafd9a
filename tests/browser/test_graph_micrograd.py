"""micrograd's own Values in GraphWidget, end to end: its README example in JupyterLab, a slider moved."""

import pytest
from graph_page import field_text, graph_root, move_slider_and_confirm, node, slider, wait_shows
from harness import collapse_left_sidebar, open_in_lab, run_all_cells, run_cell, wait_widget
from student_graphs import VERBATIM

pytestmark = pytest.mark.browser

# micrograd's README example as pasted, with micrograd's own Value (pip install micrograd)
MICROGRAD_README = VERBATIM.replace("from micrograd_widgets import Value", "from micrograd.engine import Value")
assert MICROGRAD_README != VERBATIM

CELL = MICROGRAD_README + "from micrograd_widgets.widgets import GraphWidget\nGraphWidget(g)"
# the user's own objects, after the slider moved the copy: repr keeps every bit
PROBE = "print('USER', repr(a.data), repr(a.grad), repr(g.data), repr(g.grad))"


def micrograd_readme(a_data: float) -> dict:
    """The README example built by micrograd itself in this process, after its backward: the oracle."""
    namespace: dict = {}
    exec(MICROGRAD_README.replace("Value(-4.0)", f"Value({a_data!r})"), namespace)
    namespace["g"].backward()
    return namespace


def test_micrograds_readme_example_opens_with_its_numbers_and_its_slider_moves_the_copy(
    page, jupyter_server, make_notebook
):
    open_in_lab(page, jupyter_server, make_notebook([CELL, PROBE]))
    collapse_left_sidebar(page)
    run_all_cells(page)
    wait_widget(page, ".mgw-graph")
    root = graph_root(page)
    wait_shows(page, root, {("g", "data"): 24.7041})
    assert field_text(root, "g", "data") == "24.7041"
    assert field_text(root, "a", "grad") == "138.8338"
    assert field_text(root, "b", "grad") == "645.5773"
    assert root.locator('[data-root="true"]').get_attribute("data-label") == "g"
    labels = root.locator("input[type=range]").evaluate_all("(els) => els.map((e) => e.getAttribute('aria-label'))")
    assert labels == ["a", "b"], "the named leaves get sliders; the constants (1, -1, 2, 3, 0.5, 10) none"
    for name in "cdef":
        assert node(root, name).count() == 1, f"{name} is named from the notebook"

    a_now = move_slider_and_confirm(page, root, "a", -2.5)
    assert a_now == pytest.approx(-2.5, abs=0.006)
    moved = micrograd_readme(a_now)
    assert abs(moved["g"].data - 24.7041) > 1.0, "the move changes g"
    wait_shows(
        page, root, {("g", "data"): moved["g"].data, ("a", "grad"): moved["a"].grad, ("b", "grad"): moved["b"].grad}
    )
    assert slider(root, "a").count() == 1

    # the slider moved the copy: the user's micrograd Values hold what they held
    line = next(t for t in run_cell(page, 1).splitlines() if t.startswith("USER"))
    original = micrograd_readme(-4.0)
    assert line.split()[1:] == [repr(-4.0), repr(0), repr(original["g"].data), repr(0)]
