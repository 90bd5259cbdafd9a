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
    insert_code_cell,
    offline_page,
    open_notebook,
    run_cell_or_fail,
    site_unavailable_reason,
    start_site_server,
)
from trainer_page import boundary_changed_fraction, boundary_snapshot, button, epoch, trainer_root, wait_epoch

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


def record_timing(name: str, seconds: float, site, since: int) -> None:
    # a measurement for the README, never asserted: the machine is shared
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    with open(OUTPUT_DIR / "jupyterlite-timings.txt", "a") as out:
        out.write(
            f"{time.strftime('%Y-%m-%d %H:%M')} {name}: {seconds:.1f} s, {site.served_megabytes(since):.1f} MB served "
            f"(load {os.getloadavg()[0]:.2f})\n"
        )


def assert_stayed_in_the_site(page, site):
    assert page.mgw_outside == [], f"the site reached outside itself: {page.mgw_outside}"
    assert site.missing() == [], f"the site asked itself for files it does not hold: {site.missing()}"


def test_chain_rule_runs_all_in_pyodide_and_a_typed_value_reaches_python(lite_page, site):
    page = lite_page
    opened, first_request = time.monotonic(), len(site.served)
    open_notebook(page, site, "01_chain_rule.ipynb")
    run_all_cells(page, timeout_ms=BOOT_TIMEOUT_MS)
    wait_widget(page, ".mgw-graph")
    record_timing(
        "01_chain_rule: open to first widget (kernel start, Run All)", time.monotonic() - opened, site, first_request
    )
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


# Cells the 02_training test adds below the notebook's Trainer `t`. `oracle` is the same setup
# trained in the kernel alone (shown on no page): with relu, hinge and SGD every operation is
# exactly rounded, so the page's epochs must give its weights and losses bit for bit.
KERNEL_VIEW_CELL = """\
import json
from micrograd_widgets.training import Session

oracle = Session()

def kernel_view():
    epoch = t.state()["epoch"]
    oracle.train(epoch - len(oracle.history))
    print("KERNEL", json.dumps({
        "epoch": epoch,
        "rows": [row["epoch"] for row in t.history],
        "losses_equal": [row["loss"] for row in t.history] == [row["loss"] for row in oracle.history],
        "weights_off": max(abs(p.data - q.data) for p, q in zip(t.model.parameters(), oracle.params, strict=True)),
        "status": t.status,
    }))"""
TRAIN_CELL = """\
rows = t.train(epochs=5)
print("TRAINED", json.dumps([row["epoch"] for row in rows]))"""


def printed_json(output: str, tag: str):
    line = next((text for text in output.splitlines() if text.startswith(tag + " ")), None)
    assert line is not None, f"no {tag} line in the cell's output:\n{output}"
    return json.loads(line.split(" ", 1)[1])


def wait_trains(page, root, where: str) -> None:
    """Wait until the trainer's data-trains says ``where`` (page, kernel or none)."""
    page.wait_for_function(
        "([el, where]) => el.getAttribute('data-trains') === where",
        arg=[root.element_handle(), where],
        timeout=BOOT_TIMEOUT_MS,
    )


def wait_boundary_painted(page, root) -> None:
    page.wait_for_function(
        """(canvas) => {
            if (!canvas.width || !canvas.height) return false;
            const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; i < px.length; i += 4) if (px[i] > 0) return true;
            return false;
        }""",
        arg=root.locator('canvas[data-role="boundary"]').first.element_handle(),
        timeout=BOOT_TIMEOUT_MS,
    )


def test_training_notebooks_trainer_plays_in_the_page_and_python_in_pyodide_sees_its_epochs(lite_page, site):
    page = lite_page
    opened, first_request = time.monotonic(), len(site.served)
    open_notebook(page, site, "02_training.ipynb")
    cell = code_cell_index("02_training.ipynb", "from micrograd_widgets.widgets import Trainer")
    run_cell_or_fail(page, cell)
    wait_widget(page, ".mgw-trainer", timeout_ms=BOOT_TIMEOUT_MS)
    root = trainer_root(page)
    wait_epoch(page, root, "e === 0")
    wait_boundary_painted(page, root)
    record_timing(
        "02_training: open to the trainer's first frame (kernel start, its cell)",
        time.monotonic() - opened,
        site,
        first_request,
    )
    insert_code_cell(page, cell + 1, KERNEL_VIEW_CELL)
    insert_code_cell(page, cell + 2, "kernel_view()")
    insert_code_cell(page, cell + 3, TRAIN_CELL)
    run_cell_or_fail(page, cell + 1)
    start = printed_json(run_cell_or_fail(page, cell + 2), "KERNEL")
    assert (start["epoch"], start["rows"], start["weights_off"]) == (0, [], 0), start
    boundary_snapshot(root, "start")

    # 30 epochs a second: the oracle then trains a few dozen epochs in Pyodide, not thousands
    root.locator('select[data-setting="speed"]').select_option(label="30/s")
    # play: the kernel (no threads in Pyodide) answers by letting the page train
    button(root, "play").click()
    wait_trains(page, root, "page")
    first = wait_epoch(page, root, "e >= 3", timeout_ms=BOOT_TIMEOUT_MS)
    wait_epoch(page, root, f"e >= {first + 5}", timeout_ms=BOOT_TIMEOUT_MS)
    button(root, "pause").click()
    wait_trains(page, root, "none")
    shown = epoch(root)
    shot = boundary_snapshot(root, "played")
    assert shot["colours"] >= 8, f"a scored plane has many colours, got {shot}"
    assert boundary_changed_fraction(root, "start", "played") > 0.01, "the boundary was not repainted"

    # a later cell: the pause's report has reached Python, and its epochs are the kernel's own
    paused = printed_json(run_cell_or_fail(page, cell + 2), "KERNEL")
    assert paused["epoch"] == shown, f"the page paused at epoch {shown}; Python holds {paused}"
    assert paused["rows"] == list(range(1, shown + 1)), paused
    assert paused["weights_off"] == 0 and paused["losses_equal"], f"the page trained other numbers: {paused}"
    assert "can't" not in paused["status"], paused

    # t.train() in a cell trains in the kernel, with no thread; the page then shows the kernel's epochs
    trained = printed_json(run_cell_or_fail(page, cell + 3), "TRAINED")
    assert trained == list(range(shown + 1, shown + 6)), trained
    wait_epoch(page, root, f"e === {shown + 5}", timeout_ms=BOOT_TIMEOUT_MS)
    after = printed_json(run_cell_or_fail(page, cell + 2), "KERNEL")
    assert after["epoch"] == shown + 5 and after["rows"] == list(range(1, shown + 6)), after
    assert after["weights_off"] == 0 and after["losses_equal"], after
    page.wait_for_timeout(500)  # the frame after the kernel's state
    boundary_snapshot(root, "trained")
    assert boundary_changed_fraction(root, "played", "trained") > 0, "five more epochs left the boundary as it was"
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


# The notebooks that run whole in JupyterLite (the README lists them). The others stop at a package
# the site cannot hold: 06_static's last cells need matplotlib, 08 numpy and scikit-learn, 09 torch.
RUN_WHOLE = [
    "02_training.ipynb",
    "03_neuron.ipynb",
    "04_backprop_by_hand.ipynb",
    "05_common_bugs.ipynb",
    "07_beyond_binary.ipynb",
]


@pytest.mark.parametrize("notebook", RUN_WHOLE)
def test_notebook_runs_whole_in_pyodide(lite_page, site, notebook):
    open_notebook(lite_page, site, notebook)
    run_all_cells(lite_page, timeout_ms=BOOT_TIMEOUT_MS)
    assert_stayed_in_the_site(lite_page, site)
