"""The harness itself, with a throwaway anywidget: if these fail, the widget tests
cannot be trusted either way."""

import pytest
from harness import cell_output, open_in_lab, run_all_cells, run_cell, wait_widget

pytestmark = pytest.mark.browser

COUNTER_CELL = '''\
import threading, time
import anywidget, traitlets

class Counter(anywidget.AnyWidget):
    _esm = """export default { render({ model, el }) {
      const s = document.createElement('span');
      s.className = 'harness-counter';
      const show = () => { s.textContent = String(model.get('count')); };
      model.on('change:count', show); show(); el.appendChild(s);
    } };"""
    count = traitlets.Int(0).tag(sync=True)

counter = Counter()
stop = threading.Event()
def tick():
    while not stop.wait(0.1):
        counter.count += 1
threading.Thread(target=tick, daemon=True).start()
counter'''


def _count(page) -> int:
    return int(page.text_content(".harness-counter"))


def test_lab_runs_a_notebook_and_reads_cell_output(page, jupyter_server, make_notebook):
    name = make_notebook(["x = 6 * 7\nprint('answer', x)", "print('again', x + 1)"])
    open_in_lab(page, jupyter_server, name)
    run_all_cells(page)
    assert "answer 42" in cell_output(page, 0)
    assert "again 43" in run_cell(page, 1)
    # the announcements popup is off: no "official Jupyter news" toast anywhere
    assert page.get_by_text("Jupyter news").count() == 0


def test_widget_updates_from_a_background_thread_reach_the_page(page, jupyter_server, make_notebook):
    # What the trainer relies on: trait changes sent from its training thread arrive
    # while the kernel is idle and while another cell blocks it.
    name = make_notebook([COUNTER_CELL, "time.sleep(4); print('slept')", "stop.set()"])
    open_in_lab(page, jupyter_server, name)
    run_cell(page, 0)
    wait_widget(page, ".harness-counter")
    first = _count(page)
    page.wait_for_timeout(1500)
    idle_gain = _count(page) - first
    assert idle_gain >= 5, f"only {idle_gain} thread updates arrived in 1.5 s while idle"

    cell = page.locator(".jp-Notebook .jp-Cell").nth(1)
    cell.locator(".jp-InputArea-prompt").click()
    page.keyboard.press("Control+Enter")
    page.wait_for_timeout(700)
    before = _count(page)
    page.wait_for_timeout(2000)
    busy_gain = _count(page) - before
    assert "slept" not in cell.locator(".jp-OutputArea").inner_text(), "the blocking cell must still be running"
    assert busy_gain >= 5, f"only {busy_gain} thread updates arrived in 2 s while a cell ran"
    run_cell(page, 2)
