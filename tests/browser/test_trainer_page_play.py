"""A playing trainer trains in the page: the kernel runs no epoch, and the page's weights reach t.state()."""

import json

import pytest
from harness import open_in_lab, run_all_cells, run_cell, wait_widget
from trainer_page import button, epoch, trainer_root, wait_epoch

pytestmark = pytest.mark.browser

CELLS = [
    "from micrograd_widgets.widgets import Trainer\nt = Trainer(seed=0)\nt",
    # what the kernel holds: its own epochs (the runner's count) and the state's
    "import json\nprint('KERNEL', json.dumps({'ran': t._runner.stats['epochs'], 'epoch': t.state()['epoch'], "
    "'weights': t.state()['weights'][:3], 'rows': len(t.history), "
    "'last': t.history[-1]['epoch'] if t.history else None}))",
]


def _kernel(page) -> dict:
    output = run_cell(page, 1)
    line = next(text for text in output.splitlines() if text.startswith("KERNEL"))
    return json.loads(line.split(" ", 1)[1])


def test_the_page_plays_and_the_kernel_hears_its_weights(page, jupyter_server, make_notebook):
    name = make_notebook(CELLS)
    open_in_lab(page, jupyter_server, name)
    run_all_cells(page)
    wait_widget(page, ".mgw-trainer")
    root = trainer_root(page)
    wait_epoch(page, root, "e === 0")
    button(root, "play").click()
    trains_in_page = "(el) => el.getAttribute('data-trains') === 'page'"
    page.wait_for_function(trains_in_page, arg=root.element_handle(), timeout=30_000)
    reached = wait_epoch(page, root, "e >= 200", timeout_ms=60_000)
    assert reached >= 200
    page.wait_for_timeout(2500)  # a report has gone out (every 2 s while playing)
    while_playing = _kernel(page)
    assert while_playing["ran"] == 0, "the kernel ran no epoch while the page played"
    assert while_playing["epoch"] >= 200
    # a report carries at most 100 of its new rows (NOTE [rows a report carries]): the history ends
    # at the reported epoch, thinned, and never holds more rows than epochs
    assert while_playing["last"] == while_playing["epoch"]
    assert 0 < while_playing["rows"] <= while_playing["epoch"]
    button(root, "pause").click()
    page.wait_for_timeout(1000)
    shown = epoch(root)
    after = _kernel(page)
    assert after["epoch"] == shown, "the pause's report carries the page's last epoch"
    assert after["ran"] == 0
