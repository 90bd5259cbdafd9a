"""Smoke test in Notebook 7 (`/notebooks/...`): the graph widget renders with the right numbers."""

import pytest
from graph_page import README_CELL, field_text, graph_root, wait_shows
from harness import open_in_notebook7, run_all_cells, wait_widget

pytestmark = pytest.mark.browser


def test_graph_widget_renders_in_notebook7(page, jupyter_server, make_notebook):
    name = make_notebook([README_CELL])
    open_in_notebook7(page, jupyter_server, name)
    run_all_cells(page)
    wait_widget(page, ".mgw-graph")
    root = graph_root(page)
    wait_shows(page, root, {("g", "data"): 24.7041})
    assert field_text(root, "a", "grad") == "138.8338"
    assert field_text(root, "b", "grad") == "645.5773"
