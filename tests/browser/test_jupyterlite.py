"""The example notebooks in JupyterLite: Python in Pyodide, in Chromium, the site
(built by scripts/lite) served on 127.0.0.1 and every other request blocked."""

import contextlib
import json
import os
import time

import pytest
from graph_page import WATCH_SYNC_JS, field_text, graph_root, move_slider_and_confirm, readme_expression, wait_shows
from harness import OUTPUT_DIR, REPO_ROOT, run_all_cells, wait_widget
from lite import (
    BOOT_TIMEOUT_MS,
    offline_page,
    open_notebook,
    run_cell_or_fail,
    site_unavailable_reason,
    start_site_server,
)
from trainer_page import boundary_changed_fraction, boundary_snapshot, button, trainer_root, wait_epoch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(browser_available):
    reason = site_unavailable_reason()
    if reason is not None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true and the JupyterLite tests cannot run: {reason}", pytrace=False)
        pytest.skip(reason)
    server = start_site_server()
    yield server
    server.stop()


@pytest.fixture
def lite_page(browser, site, request):
    """A page kept offline but for the site; on failure its screenshot and console go to test-output/failures/."""
    page = offline_page(browser, site)
    yield page
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        out = OUTPUT_DIR / "failures"
        out.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(out / f"{request.node.name}.png"), full_page=True)
        lines = page.mgw_console + [f"outside: {url}" for url in page.mgw_outside]
        lines += [f"served {status}: {path}" for path, status in site.served]
        (out / f"{request.node.name}.console.txt").write_text("\n".join(lines))
    page.context.close()


def code_cell_index(notebook: str, starts_with: str) -> int:
    """The index among all cells (as JupyterLab numbers them) of the code cell whose source starts so."""
    cells = json.loads((REPO_ROOT / "examples" / notebook).read_text())["cells"]
    (index,) = [i for i, c in enumerate(cells) if "".join(c["source"]).startswith(starts_with)]
    return index


def kernel_line(page, index: int) -> list:
    """Run the cell at ``index`` and read the floats of its one printed line."""
    return [float(word) for word in run_cell_or_fail(page, index).split()]


def record_timing(name: str, seconds: float) -> None:
    # a measurement for the README, never asserted: the machine is shared
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    with open(OUTPUT_DIR / "jupyterlite-timings.txt", "a") as out:
        out.write(f"{time.strftime('%Y-%m-%d %H:%M')} {name}: {seconds:.1f} s (load {os.getloadavg()[0]:.2f})\n")


def assert_stayed_in_the_site(page, site):
    assert page.mgw_outside == [], f"the site reached outside itself: {page.mgw_outside}"
    assert site.missing() == [], f"the site asked itself for files it does not hold: {site.missing()}"


def test_chain_rule_runs_all_in_pyodide_and_a_typed_value_reaches_python(lite_page, site):
    page = lite_page
    opened = time.monotonic()
    open_notebook(page, site, "01_chain_rule.ipynb")
    run_all_cells(page, timeout_ms=BOOT_TIMEOUT_MS)
    wait_widget(page, ".mgw-graph")
    record_timing("01_chain_rule: open to first widget (kernel start, Run All)", time.monotonic() - opened)
    root = graph_root(page)
    wait_shows(page, root, {("g", "data"): 24.7041})
    assert field_text(root, "g", "data") == "24.7041"

    # typed into a's number box: the page replays at once, then Pyodide answers
    root.evaluate(WATCH_SYNC_JS)
    box = root.locator('input[aria-label="a value"]')
    box.fill("-2.5")
    box.press("Enter")
    a, b, g = readme_expression(-2.5)
    wait_shows(page, root, {("g", "data"): g.data, ("a", "grad"): a.grad, ("b", "grad"): b.grad})
    page.wait_for_function(
        "(root) => root.__mgwSync.includes('pending') && root.getAttribute('data-sync') === 'ok'",
        arg=root.element_handle(),
        timeout=BOOT_TIMEOUT_MS,
    )
    # Python in Pyodide holds the same numbers (its libm may differ from this one's in the last bit)
    shown_a, shown_g, shown_a_grad = kernel_line(page, code_cell_index("01_chain_rule.ipynb", "print(a.data"))
    assert shown_a == -2.5
    assert (shown_g, shown_a_grad) == pytest.approx((g.data, a.grad), rel=1e-12)
    assert_stayed_in_the_site(page, site)


def test_kernel_still_answers_after_200_slider_moves(lite_page, site):
    page = lite_page
    open_notebook(page, site, "01_chain_rule.ipynb")
    run_all_cells(page, timeout_ms=BOOT_TIMEOUT_MS)
    wait_widget(page, ".mgw-graph")
    root = graph_root(page)
    wait_shows(page, root, {("g", "data"): 24.7041})
    moved = None
    for i in range(200):  # each move waits for Pyodide's answer: 200 round trips through the kernel
        moved = move_slider_and_confirm(page, root, "a", -4.5 + (i % 90) * 0.1, timeout_ms=BOOT_TIMEOUT_MS)
    shown_a, shown_g, shown_a_grad = kernel_line(page, code_cell_index("01_chain_rule.ipynb", "print(a.data"))
    a, b, g = readme_expression(moved)
    assert shown_a == moved
    assert (shown_g, shown_a_grad) == pytest.approx((g.data, a.grad), rel=1e-12)
    wait_shows(page, root, {("g", "data"): g.data, ("a", "grad"): a.grad})
    assert_stayed_in_the_site(page, site)


def test_training_notebooks_trainer_plays_in_the_page_and_repaints_its_boundary(lite_page, site):
    page = lite_page
    open_notebook(page, site, "02_training.ipynb")
    run_cell_or_fail(page, code_cell_index("02_training.ipynb", "from micrograd_widgets.widgets import Trainer"))
    wait_widget(page, ".mgw-trainer", timeout_ms=BOOT_TIMEOUT_MS)
    root = trainer_root(page)
    wait_epoch(page, root, "e === 0")
    page.wait_for_timeout(500)
    boundary_snapshot(root, "start")

    button(root, "play").click()
    first = wait_epoch(page, root, "e >= 3", timeout_ms=BOOT_TIMEOUT_MS)
    wait_epoch(page, root, f"e >= {first + 5}", timeout_ms=BOOT_TIMEOUT_MS)
    button(root, "pause").click()
    page.wait_for_timeout(1000)
    shot = boundary_snapshot(root, "played")
    assert shot["colours"] >= 8, f"a scored plane has many colours, got {shot}"
    assert boundary_changed_fraction(root, "start", "played") > 0.01, "the boundary was not repainted"
    assert_stayed_in_the_site(page, site)


def test_draw_dot_shows_the_packages_own_drawing_where_there_is_no_graphviz_program(lite_page, site):
    page = lite_page
    open_notebook(page, site, "06_static.ipynb")
    index = code_cell_index("06_static.ipynb", "from micrograd_widgets import Value, draw_dot")
    output = run_cell_or_fail(page, index)
    assert "Graphviz's dot program is not on this machine" in output
    picture = page.locator(".jp-Cell").nth(index).locator(".jp-RenderedHTMLCommon svg")
    assert picture.count() == 1
    # L = (a*b + c) * f at a=2, b=-3, c=10, f=-2
    text = picture.text_content()
    assert "data -8.0000" in text and "grad 6.0000" in text and "grad -4.0000" in text, text
    assert_stayed_in_the_site(page, site)
