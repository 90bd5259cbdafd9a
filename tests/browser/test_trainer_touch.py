"""The network you can touch, end to end in JupyterLab: the maths of a neuron and of a link on hover and
from the keyboard, a weight edited by hand that moves the boundary and reaches t.state(), and a clicked
point's loss graph that follows training."""

import json

import pytest
from harness import new_page, open_in_lab, run_all_cells, run_cell, save_screenshot, wait_widget
from trainer_page import boundary_changed_fraction, boundary_snapshot, button, trainer_root, wait_epoch

pytestmark = pytest.mark.browser

CELLS = [
    "from micrograd_widgets.widgets import Trainer\nt = Trainer(seed=0, hidden=[4, 3])\nt",
    "import json\nprint('W', json.dumps(t.state()['weights']))",
]


def _network_point(root, column, k, link_from=None):
    """Page coordinates of a neuron's box centre, or of a link's middle, from the picture's own geometry."""
    return root.evaluate(
        """(root, [column, k, from]) => {
        const canvas = root.querySelector('canvas[data-role="network"]');
        const r = canvas.getBoundingClientRect(), s = r.width / canvas.width;
        const place = JSON.parse(canvas.dataset.geometry)[column][k];
        if (from === null) return [r.left + (place.x + place.size / 2) * s, r.top + (place.y + place.size / 2) * s];
        const a = JSON.parse(canvas.dataset.geometry)[column - 1][from];
        // near the neuron's end of the link, where the links into it fan out
        const t = 0.85, x0 = a.x + a.size, y0 = a.y + a.size / 2, y1 = place.y + place.size / 2;
        return [r.left + (x0 + t * (place.x - x0)) * s, r.top + (y0 + t * (y1 - y0)) * s];
    }""",
        [column, k, link_from],
    )


@pytest.fixture
def lab(browser, jupyter_server, make_notebook):
    page = new_page(browser, viewport=(1280, 720))
    open_in_lab(page, jupyter_server, make_notebook(CELLS))
    page.evaluate("window.jupyterapp.shell.collapseLeft()")
    run_all_cells(page)
    wait_widget(page, ".mgw-trainer")
    yield page, trainer_root(page)
    page.context.close()


def test_hovering_a_neuron_or_a_link_says_its_maths(lab):
    page, root = lab
    root.locator('canvas[data-role="boundary"]').hover()  # a point on the plane: the values are read there
    x, y = _network_point(root, 2, 1)
    page.mouse.move(x, y)
    formula = root.locator('[data-field="neuron-formula"]')
    formula.wait_for(timeout=10_000)
    text = formula.inner_text()
    assert text.startswith("h₂,₂ = relu(") and "·h₁,₁" in text and "…" not in text, text
    assert root.locator('[data-field="neuron-value"]').inner_text().startswith("at the point (")
    assert root.locator('[data-role="neuron-map"]').is_visible(), "its map, larger"
    save_screenshot(page, "trainer-hover-neuron", docs_name="trainer-hover.png")
    x, y = _network_point(root, 1, 2, link_from=0)
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    assert formula.inner_text().startswith("weight x1 → h₁,₃"), formula.inner_text()
    assert "(grad " in formula.inner_text()
    # the keyboard reaches the neurons too
    root.locator('canvas[data-role="network"]').focus()
    page.mouse.move(0, 0)
    page.keyboard.press("Escape")  # nothing marked: the arrows start at the inputs
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert formula.inner_text().startswith("h₁,₂ = relu("), formula.inner_text()


def test_a_weight_edited_by_hand_moves_the_boundary_and_reaches_python(lab):
    page, root = lab
    button(root, "step").click()
    wait_epoch(page, root, "e === 1")
    page.wait_for_timeout(300)
    boundary_snapshot(root, "before-edit")
    x, y = _network_point(root, 1, 0, link_from=0)
    page.mouse.click(x, y)
    box = root.locator('input[name="edit_value"]')
    box.wait_for(timeout=10_000)
    box.fill("-3")
    box.press("Enter")
    page.wait_for_timeout(500)
    boundary_snapshot(root, "after-edit")
    assert boundary_changed_fraction(root, "before-edit", "after-edit") > 0.02, "the boundary moved at once"
    save_screenshot(page, "trainer-edit", docs_name="trainer-edit.png")
    out = run_cell(page, 1)
    weights = json.loads(next(line for line in out.splitlines() if line.startswith("W")).split(" ", 1)[1])
    assert weights[0] == -3.0, "t.state() holds the edit"
    root.locator('[aria-label="undo edit"]').click()
    page.wait_for_timeout(500)
    out = run_cell(page, 1)
    assert json.loads(next(line for line in out.splitlines() if line.startswith("W")).split(" ", 1)[1])[0] != -3.0


def test_a_clicked_points_loss_graph_follows_training(lab):
    page, root = lab
    root.locator('input[name="point"]').fill("5")
    root.locator('input[name="point"]').press("Enter")
    output = root.locator('[data-role="point-graph"] [data-root="true"] [data-field="data"]').first
    output.wait_for(timeout=20_000)
    first = output.inner_text()
    button(root, "play").click()
    wait_epoch(page, root, "e >= 20")
    page.wait_for_function("([el, v]) => el.textContent !== v", arg=[output.element_handle(), first])
    button(root, "pause").click()
