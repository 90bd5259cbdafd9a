"""The trainer in front of a class: its first screen fits an old projector (1024x768) and 1280x720 in
JupyterLab, no number wraps, a clicked point's graph opens where the eye is, presenter mode folds the
settings, and axe finds nothing wrong."""

import pytest
from accessibility import axe_violations, describe, names_without_their_text
from harness import new_page, open_in_lab, run_all_cells, save_screenshot, wait_widget
from trainer_page import button, trainer_root, wait_epoch

pytestmark = pytest.mark.browser

FIRST_SCREEN = ['[aria-label="play"]', '[aria-label="pause"]', '[aria-label="step"]', '[aria-label="reset"]',
                ".mgw-figures", 'canvas[data-role="boundary"]', 'canvas[data-role="network"]']  # fmt: skip

_RECTS = """(root, selectors) => {
  const panel = document.querySelector('.jp-WindowedPanel-outer').getBoundingClientRect();
  return { panel: [panel.left, panel.top, panel.right, panel.bottom],
    parts: selectors.map((s) => { const r = root.querySelector(s).getBoundingClientRect();
      return [s, r.left, r.top, r.right, r.bottom]; }) };
}"""


def _open(browser, jupyter_server, make_notebook, size, cell="Trainer(seed=0)"):
    page = new_page(browser, viewport=size)
    name = make_notebook([f"from micrograd_widgets.widgets import Trainer\nt = {cell}\nt"])
    open_in_lab(page, jupyter_server, name)  # the file browser stays open, as JupyterLab opens
    run_all_cells(page)
    wait_widget(page, ".mgw-trainer")
    page.wait_for_timeout(500)
    return page, trainer_root(page)


def _outside(rects) -> list:
    left, top, right, bottom = rects["panel"]
    return [p for p in rects["parts"] if p[1] < left - 1 or p[3] > right + 1 or p[2] < top - 1 or p[4] > bottom + 1]


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_first_screen_fits_without_scrolling_and_no_number_wraps(browser, jupyter_server, make_notebook, size):
    page, root = _open(browser, jupyter_server, make_notebook, size, "Trainer(seed=0, lr=5e-4)")
    try:
        outside = _outside(root.evaluate(_RECTS, FIRST_SCREEN))
        assert outside == [], f"parts outside the notebook's view at {size}: {outside}"
        button(root, "play").click()
        wait_epoch(page, root, "e >= 30")
        button(root, "pause").click()
        page.wait_for_timeout(1000)  # the output's picture is brought up to date: the view is drawn anew
        root = trainer_root(page)
        assert root.evaluate("(r) => document.activeElement?.getAttribute('aria-label')") == "pause", "focus stays"
        # each figure is one line: a small loss reads like 6.147e-4, never broken in two
        lines = root.evaluate("""(root) => [...root.querySelectorAll('.mgw-pair, [data-field="epoch"]')]
            .map((e) => [e.textContent, e.getClientRects().length, e.getBoundingClientRect().height])""")
        heights = {round(h) for _, _, h in lines}
        assert all(count == 1 for _, count, _ in lines) and max(heights) < 2 * min(heights), lines
        save_screenshot(page, f"trainer-{size[0]}x{size[1]}", docs_name=f"trainer-{size[0]}x{size[1]}.png")
    finally:
        page.context.close()


def test_a_clicked_points_graph_opens_in_the_networks_place(browser, jupyter_server, make_notebook):
    page, root = _open(browser, jupyter_server, make_notebook, (1024, 768))
    try:
        network = root.locator('canvas[data-role="network"]')
        before = network.bounding_box()
        root.locator('input[name="point"]').fill("3")
        root.locator('input[name="point"]').press("Enter")
        panel = root.locator('[data-role="point-graph"]')
        panel.locator(".mgw-graph").wait_for(timeout=20_000)
        box = panel.bounding_box()
        assert abs(box["x"] - before["x"]) < 2 and abs(box["y"] - before["y"]) < 2, (box, before)
        assert not network.is_visible(), "the graph takes the network's place"
        assert _outside(root.evaluate(_RECTS, ['[data-role="point-graph"] .mgw-point-head'])) == []
        # one click from a step-through of its backward pass
        root.locator('[aria-label="step through backward"]').click()
        root.locator('[aria-label="step backward"]').first.wait_for(timeout=5_000)
        root.locator('[aria-label="close loss graph"]').click()
        network.wait_for(state="visible", timeout=10_000)
    finally:
        page.context.close()


def test_presenter_mode_folds_the_settings_keeps_play_and_picks_points_with_the_arrows(browser, jupyter_server,
                                                                                       make_notebook):  # fmt: skip
    page, root = _open(browser, jupyter_server, make_notebook, (1024, 768), "Trainer(seed=0, presenter=True)")
    try:
        assert float(root.evaluate("(r) => getComputedStyle(r).fontSize").rstrip("px")) >= 17
        settings = root.locator(".mgw-settings")
        assert not settings.is_visible()
        for name in ("play", "pause", "step", "reset"):
            assert button(root, name).is_visible(), name
        assert not root.locator('[aria-label="new data"]').is_visible()
        toggle = root.locator('button[aria-label="settings"]')
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        page.wait_for_function("(el) => el.getAttribute('aria-expanded') === 'true'", arg=toggle.element_handle())
        assert settings.is_visible()
        plane = root.locator('canvas[data-role="boundary"]')
        plane.focus()
        page.keyboard.press("ArrowRight")
        picked = "(el) => el.querySelector('input[name=point]').value === '0'"
        page.wait_for_function(picked, arg=root.element_handle())
        assert root.locator('[data-field="epoch"]').inner_text() == "0", "arrows pick points; they never step"
        save_screenshot(page, "trainer-presenter-1024x768")
    finally:
        page.context.close()


def test_axe_finds_nothing_wrong_with_the_trainer(browser, jupyter_server, make_notebook):
    page, root = _open(browser, jupyter_server, make_notebook, (1280, 720), "Trainer(data='spiral', classes=3, seed=0)")
    try:
        root.locator('input[name="point"]').fill("2")
        root.locator('input[name="point"]').press("Enter")
        root.locator('[data-role="point-graph"] .mgw-graph').wait_for(timeout=20_000)
        violations = axe_violations(page, ".mgw-trainer")
        assert violations == [], describe(violations)
        # node boxes say "name: data ..., grad ..." (checked by the graph's own tests): the buttons here
        assert names_without_their_text(page, ".mgw-trainer", ignore="[data-node-id]") == []
    finally:
        page.context.close()
