"""The example notebooks as a lecturer opens them: run all cells in JupyterLab,
no error output, the widgets render."""

import pytest
from graph_page import graph_root
from harness import REPO_ROOT, open_in_lab, run_all_cells, save_screenshot, wait_widget

pytestmark = pytest.mark.browser


def test_chain_rule_example_shows_the_readme_numbers(page, jupyter_server):
    name = "01_chain_rule.ipynb"
    assert (REPO_ROOT / "examples" / name).exists(), f"examples/{name} is missing"
    open_in_lab(page, jupyter_server, name)
    run_all_cells(page)  # fails with the traceback if a cell raises
    wait_widget(page, ".mgw-graph")
    root = graph_root(page)
    # micrograd's README expression: g = 24.7041 somewhere on the first graph
    page.wait_for_function(
        """(root) => [...root.querySelectorAll('[data-field="data"]')].some(e => e.textContent.trim() === '24.7041')""",
        arg=root.element_handle(),
        timeout=60_000,
    )
    save_screenshot(page, "01_chain_rule-lab")
    jupyter_server.shutdown_kernels()
