"""A trainer plays only while a view of it is on a page: JupyterLab 4 in Chromium, a real kernel.

A shown trainer trains in its page, and no kernel thread runs. Re-running a
playing trainer's cell, clearing its output or closing the tab remove its
view: the kernel then marks it paused (its epoch stops growing). Showing it
again plays on from where it stopped.
"""

import json
import time

import pytest
from harness import open_in_lab, run_cell, wait_kernel_idle, wait_widget
from trainer_page import button, epoch, trainer_root, wait_epoch

pytestmark = pytest.mark.browser

TRAINERS_CELL = """\
from micrograd_widgets.widgets import Trainer
try:
    trainers
except NameError:
    trainers = []  # every Trainer this cell made, so the probe can watch the old ones
t = Trainer(seed=0)
trainers.append(t)
t"""

PROBE_CELL = """\
import json, threading
print('PROBE', json.dumps({
    'epochs': [x.epoch for x in trainers],
    'status': [x.status for x in trainers],
    'playing': [bool(x.running and x.driver) for x in trainers],
    'threads': sorted(th.name for th in threading.enumerate() if th.name.startswith('mgw-trainer')),
}))"""

SHOW_AGAIN_CELL = "trainers[-1]"

NO_VIEW = "paused: no view"
DEADLINE_S = 90  # a generous bound on a busy machine; the test asserts no time


def probe(page) -> dict:
    out = run_cell(page, 1)
    line = next(line for line in out.splitlines() if line.startswith("PROBE"))
    return json.loads(line.split(" ", 1)[1])


def wait_stopped(page, which: int) -> dict:
    """Probe until trainer ``which`` says it paused for want of a view and its epoch no longer grows."""
    deadline = time.monotonic() + DEADLINE_S
    last = None
    while True:
        state = probe(page)
        if last is not None and state["status"][which] == NO_VIEW and state["epochs"][which] == last["epochs"][which]:
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"trainer {which} still training {DEADLINE_S} s after its view went: {state}")
        last = state
        page.wait_for_timeout(1000)


def select_cell(page, index: int):
    page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-InputArea-prompt").click()


def wait_reported(page, which: int, beyond: int) -> dict:
    """Probe until trainer ``which``'s kernel holds more than ``beyond`` epochs (the page reports every 2 s)."""
    deadline = time.monotonic() + DEADLINE_S
    while True:
        state = probe(page)
        if state["epochs"][which] > beyond or time.monotonic() > deadline:
            return state
        page.wait_for_timeout(500)


def test_rerun_and_clear_output_stop_the_old_trainers_and_a_new_view_plays_on(page, jupyter_server, make_notebook):
    name = make_notebook([TRAINERS_CELL, PROBE_CELL, SHOW_AGAIN_CELL])
    open_in_lab(page, jupyter_server, name)
    run_cell(page, 0)
    wait_widget(page, ".mgw-trainer")
    button(trainer_root(page), "play").click()
    wait_epoch(page, trainer_root(page), "e >= 2")

    # re-run the playing trainer's cell: the old view goes, a new trainer shows
    run_cell(page, 0)
    wait_widget(page, ".mgw-trainer")
    assert page.locator(".mgw-trainer").count() == 1
    state = wait_stopped(page, 0)
    first_stopped = state["epochs"][0]
    assert first_stopped >= 2 and state["epochs"][1] == 0
    assert state["threads"] == [], "no kernel thread: the page trained"
    assert state["playing"] == [False, False]

    # play the new one, then clear its output: it stops too
    root = trainer_root(page)
    button(root, "play").click()
    wait_epoch(page, root, "e >= 2")
    assert probe(page)["playing"][1], "the page plays it"
    select_cell(page, 0)
    page.evaluate("window.jupyterapp.commands.execute('notebook:clear-cell-output')")
    page.wait_for_function("() => document.querySelectorAll('.mgw-trainer').length === 0")
    state = wait_stopped(page, 1)
    stopped = state["epochs"][1]
    assert stopped >= 2 and state["playing"][1] is False

    # show it again: the view starts where training stopped, and training plays on
    run_cell(page, 2)
    wait_widget(page, ".mgw-trainer")
    root = trainer_root(page)
    wait_epoch(page, root, f"e >= {stopped}")
    wait_epoch(page, root, f"e >= {stopped + 3}")
    state = wait_reported(page, 1, stopped)
    assert state["epochs"][1] > stopped and state["status"][1] != NO_VIEW
    assert state["epochs"][0] == first_stopped, "the first trainer stays stopped"
    assert state["playing"] == [False, True] and state["threads"] == [], state
    button(root, "pause").click()
    wait_kernel_idle(page)
    assert epoch(root) >= stopped


def test_closing_the_tab_stops_its_trainer(browser, page, jupyter_server, make_notebook):
    from harness import new_page

    name = make_notebook([TRAINERS_CELL, PROBE_CELL])
    open_in_lab(page, jupyter_server, name)
    run_cell(page, 0)
    wait_widget(page, ".mgw-trainer")
    button(trainer_root(page), "play").click()
    wait_epoch(page, trainer_root(page), "e >= 2")

    # a second tab on the same notebook shares the kernel; the notebook on disk has no
    # widget state, so this tab shows no view of the trainer: it only watches
    watcher = new_page(browser)
    try:
        open_in_lab(watcher, jupyter_server, name)
        assert probe(watcher)["playing"] == [True], "the first tab's trainer plays"
        page.close()  # its view may not get to say close; either way its beats stop
        state = wait_stopped(watcher, 0)
        assert state["playing"] == [False]
    finally:
        watcher.context.close()


LONG_CELL = """\
import time
time.sleep(15)  # longer than the views' 10 s timeout: their beats wait in the kernel's queue
print('SLEPT', json.dumps([trainers[-1].status, bool(trainers[-1].running and trainers[-1].driver)]))"""


def test_a_long_cell_elsewhere_does_not_pause_a_shown_trainer(page, jupyter_server, make_notebook):
    name = make_notebook([TRAINERS_CELL, PROBE_CELL, LONG_CELL])
    open_in_lab(page, jupyter_server, name)
    run_cell(page, 0)
    wait_widget(page, ".mgw-trainer")
    root = trainer_root(page)
    button(root, "play").click()
    wait_epoch(page, root, "e >= 2")
    probe(page)  # imports json for the long cell
    out = run_cell(page, 2)
    status, playing = json.loads(next(line for line in out.splitlines() if line.startswith("SLEPT")).split(" ", 1)[1])
    assert status != NO_VIEW and playing, "the trainer paused while another cell ran"
    shown = epoch(root)
    wait_epoch(page, root, f"e >= {shown + 2}")
    button(root, "pause").click()
