"""Trainer.save_html end to end: the page opened from disk with every request refused trains in the
browser, its boundary moves, a control that needs Python says so, and copy setup continues in a kernel."""

import pytest
from harness import open_offline, save_screenshot
from trainer_page import boundary_changed_fraction, boundary_snapshot, button, epoch, trainer_root, wait_epoch

from micrograd_widgets.widgets import Trainer

pytestmark = pytest.mark.browser


def test_a_saved_trainer_trains_offline_and_its_copy_setup_continues_in_a_kernel(page, tmp_path):
    trainer = Trainer(data="spiral", classes=3, seed=1, hide=["l2"])
    trainer.train(5)
    path = trainer.save_html(tmp_path / "trainer.html")
    assert path.stat().st_size < 600_000
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    refused = open_offline(page, path)
    root = trainer_root(page)
    assert epoch(root) == 5, "it starts where the trainer was"
    assert root.locator('[data-setting="l2"]').count() and not root.locator('[data-setting="l2"]').first.is_visible()
    page.wait_for_timeout(300)
    boundary_snapshot(root, "saved")

    button(root, "play").click()
    wait_epoch(page, root, "e >= 60", timeout_ms=60_000)
    button(root, "pause").click()
    page.wait_for_timeout(300)
    boundary_snapshot(root, "trained")
    assert boundary_changed_fraction(root, "saved", "trained") > 0.02, "the boundary moved as it trained"
    shown = epoch(root)

    # what needs Python is locked, and says why
    hidden = root.locator('select[data-setting="activation"]')
    assert hidden.is_disabled()
    assert "needs Python" in hidden.get_attribute("title")
    assert "needs Python" in root.locator('[data-setting="new_data"]').first.get_attribute("title")
    # the page's own settings still work: a new learning rate
    lr = root.locator('input[name="lr"]')
    assert not lr.is_disabled()

    button(root, "copy setup").click()
    page.wait_for_function("() => navigator.clipboard.readText().then((t) => t.startsWith('Trainer.from_state('))")
    text = page.evaluate("() => navigator.clipboard.readText()")
    copy = eval(text, {"Trainer": Trainer})  # what a student's pasted cell does
    assert copy.epoch == shown and len(copy.history) == min(shown, 200)
    twin = Trainer.from_state(trainer.state())
    twin.train(shown - 5)
    assert [p.data for p in copy.model.parameters()] == [p.data for p in twin.model.parameters()], (
        "the page's weights are the kernel's, to the bit"
    )
    assert [r["loss"] for r in copy.train(2)] == [r["loss"] for r in twin.train(2)]
    assert refused == []
    assert not [line for line in page.mgw_console if line.startswith(("error", "pageerror"))], page.mgw_console
    save_screenshot(page, "trainer-save-html-offline")


def test_a_saved_trainer_shows_any_points_loss_graph_and_reset_goes_back(page, tmp_path):
    trainer = Trainer(seed=0, hidden=[4])
    trainer.train(3)
    path = trainer.save_html(tmp_path / "trainer.html")
    open_offline(page, path)
    root = trainer_root(page)
    root.locator('input[name="point"]').fill("7")
    root.locator('input[name="point"]').press("Enter")
    graph = root.locator('[data-role="point-graph"] .mgw-graph')
    graph.wait_for(timeout=10_000)
    assert root.locator('[data-role="point-graph"] [data-label="loss of point 7"]').count() == 1
    # its numbers are the kernel's graph of point 7
    nodes = trainer.session.point_graph(7)
    from micrograd_widgets.wire import format_number

    shown = root.locator('[data-role="point-graph"] [data-root="true"] [data-field="data"]').first.inner_text()
    assert shown.strip() == format_number(nodes[-1].data)
    button(root, "step").click()
    wait_epoch(page, root, "e === 4")
    button(root, "reset").click()
    wait_epoch(page, root, "e === 3")
