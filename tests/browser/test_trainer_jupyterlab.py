"""The trainer widget end to end: JupyterLab 4 in Chromium, a real kernel."""

import pytest
from harness import open_in_lab, run_all_cells, run_cell, save_screenshot, wait_widget
from trainer_page import (
    TRAINER_CELL,
    TRAINER_PROBE,
    boundary_changed_fraction,
    boundary_snapshot,
    button,
    epoch,
    trainer_root,
    wait_epoch,
)

pytestmark = pytest.mark.browser

# Epoch updates come from a training loop that must not block the kernel; give
# in-flight epochs this long to land after pause before reading the counter.
SETTLE_MS = 1500


def _open_trainer(page, jupyter_server, make_notebook):
    name = make_notebook([TRAINER_CELL, TRAINER_PROBE])
    open_in_lab(page, jupyter_server, name)
    run_all_cells(page)
    wait_widget(page, ".mgw-trainer")
    root = trainer_root(page)
    wait_epoch(page, root, "e === 0")
    return root


def _kernel_epochs(page) -> int:
    output = run_cell(page, 1)
    line = next(text for text in output.splitlines() if text.startswith("STATE"))
    return int(line.split()[1])


def test_play_pause_step_drive_the_epoch_counter(page, jupyter_server, make_notebook):
    root = _open_trainer(page, jupyter_server, make_notebook)

    button(root, "play").click()
    first = wait_epoch(page, root, "e >= 2")
    grown = wait_epoch(page, root, f"e >= {first + 3}")
    assert grown > first

    button(root, "pause").click()
    page.wait_for_timeout(SETTLE_MS)
    paused = epoch(root)
    page.wait_for_timeout(2 * SETTLE_MS)
    assert epoch(root) == paused, "pause stops training"
    # the kernel agrees with the screen: its epoch, and its last history row that epoch's
    assert _kernel_epochs(page) == paused

    button(root, "step").click()
    wait_epoch(page, root, f"e === {paused + 1}")
    page.wait_for_timeout(SETTLE_MS)
    assert epoch(root) == paused + 1, "step adds exactly one epoch"
    assert _kernel_epochs(page) == paused + 1


def test_boundary_canvas_is_painted_and_changes_between_epochs(page, jupyter_server, make_notebook):
    root = _open_trainer(page, jupyter_server, make_notebook)
    button(root, "step").click()
    wait_epoch(page, root, "e === 1")
    page.wait_for_timeout(500)
    shot = boundary_snapshot(root, "epoch1")
    assert shot["width"] >= 100 and shot["height"] >= 100, shot
    assert shot["opaque"] > 0.5 * shot["width"] * shot["height"], f"canvas mostly blank: {shot}"
    assert shot["colours"] >= 8, f"a scored plane has many colours, got {shot}"

    for n in range(2, 6):
        button(root, "step").click()
        wait_epoch(page, root, f"e === {n}")
    page.wait_for_timeout(500)
    boundary_snapshot(root, "epoch5")
    changed = boundary_changed_fraction(root, "epoch1", "epoch5")
    assert changed > 0.01, f"only {changed:.2%} of the boundary's pixels changed in 4 epochs"


def test_trainer_screenshot_after_training(page, jupyter_server, make_notebook):
    root = _open_trainer(page, jupyter_server, make_notebook)
    button(root, "play").click()
    wait_epoch(page, root, "e >= 60", timeout_ms=180_000)
    button(root, "pause").click()
    page.wait_for_timeout(SETTLE_MS)
    accuracy = root.locator('[data-field="accuracy"]').first.inner_text()
    assert accuracy.strip(), "the accuracy field holds a number"
    save_screenshot(root, "trainer", docs_name="trainer.png")


def test_other_cells_run_while_it_plays(page, jupyter_server, make_notebook):
    root = _open_trainer(page, jupyter_server, make_notebook)
    button(root, "play").click()
    wait_epoch(page, root, "e >= 2")
    # training plays until paused, so a cell that waited for it would never finish
    # (run_cell fails at its timeout): finishing is the claim, not how fast
    shown_during = _kernel_epochs(page)
    grown = wait_epoch(page, root, f"e >= {shown_during + 2}")
    assert grown >= shown_during + 2, "training went on after the cell ran"
    button(root, "pause").click()


DIVERGING_CELL = """\
from micrograd_widgets.widgets import Trainer
t = Trainer(seed=0, lr=1e6, loss='mse')
t"""


def test_divergence_pauses_and_says_so_then_reset_recovers(page, jupyter_server, make_notebook):
    name = make_notebook([DIVERGING_CELL, TRAINER_PROBE])
    open_in_lab(page, jupyter_server, name)
    run_all_cells(page)
    wait_widget(page, ".mgw-trainer")
    root = trainer_root(page)
    button(root, "play").click()
    status = root.locator('[data-field="status"]').first
    page.wait_for_function("(el) => /diverged/i.test(el.textContent)", arg=status.element_handle(), timeout=60_000)
    assert "learning rate" in status.inner_text().lower(), status.inner_text()
    stopped = epoch(root)
    page.wait_for_timeout(SETTLE_MS)
    assert epoch(root) == stopped, "training paused itself"
    button(root, "reset").click()
    wait_epoch(page, root, "e === 0")
    page.wait_for_function("(el) => !/diverged/i.test(el.textContent)", arg=status.element_handle(), timeout=30_000)
