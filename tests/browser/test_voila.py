"""Smoke test in Voilà: a notebook served as a standalone page, in Chromium.

Voilà runs the notebook in a fresh kernel per page load and renders only the
outputs, through the anywidget lab extension. The test checks the graph
widget's first numbers (they come only from the float64 binary buffers), then
moves slider `a`: `data-sync` turns ok only on the kernel's answer, and an
ipywidgets Label that a Python observer rewrites on every replay shows the
kernel's own numbers, every bit (repr). A second notebook drives the trainer:
step, play and pause, with the losses this package computes for the same seed.
"""

import re

import pytest
from graph_page import README_CELL, readme_expression
from harness import KERNEL_TIMEOUT_MS, RENDER_TIMEOUT_MS, save_screenshot, write_notebook
from servers import (
    VOILA_HINT,
    assert_no_page_errors,
    check_readme_numbers,
    check_slider_answered_by_kernel,
    check_trainer_step_play_pause,
    open_graph,
    require_module,
    start_voila,
)

pytestmark = pytest.mark.browser

# the seed servers.trained_row computes the expected losses with
TRAINER_CELL = """\
from micrograd_widgets.widgets import Trainer
t = Trainer(seed=0)
t"""

# Rewritten by Python after every replay of the widget (a slider answer sets `grad`).
PROBE_CELL = """\
import ipywidgets
probe = ipywidgets.Label()
def show_state(_change=None):
    probe.value = f"STATE {a.data!r} {b.data!r} {g.data!r} {a.grad!r} {b.grad!r}"
show_state()
w.observe(show_state, names=['grad'])
probe"""


def _serve(tmp_path_factory, cells):
    require_module("voila", VOILA_HINT)
    nb_dir = tmp_path_factory.mktemp("voila-nb")
    name = write_notebook(nb_dir, "lecture", cells)
    server = start_voila(nb_dir / name)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def voila_server(browser_available, tmp_path_factory):
    yield from _serve(tmp_path_factory, [README_CELL, PROBE_CELL])


@pytest.fixture
def voila_trainer_server(browser_available, tmp_path_factory):
    yield from _serve(tmp_path_factory, [TRAINER_CELL])


def _kernel_state(page, a_data: float) -> list[float]:
    """The probe label's numbers, once it shows a = `a_data` (it follows every replay)."""
    line = page.get_by_text(re.compile(rf"^STATE {re.escape(repr(a_data))} "))
    line.wait_for(timeout=KERNEL_TIMEOUT_MS)
    return [float(x) for x in line.inner_text().split()[1:]]


def test_voila_shows_readme_numbers_from_binary_buffers(page, voila_server):
    root = open_graph(page, voila_server.url)
    check_readme_numbers(root)
    assert_no_page_errors(page)


def test_voila_slider_move_is_answered_by_the_kernel(page, voila_server):
    root = open_graph(page, voila_server.url)
    a0, b0, g0 = readme_expression(-4.0)
    assert _kernel_state(page, -4.0) == [-4.0, 2.0, g0.data, a0.grad, b0.grad]
    # the probe label follows every replay: the kernel's Value objects
    check_slider_answered_by_kernel(page, root, lambda a_now: _kernel_state(page, a_now))
    assert_no_page_errors(page)
    save_screenshot(page, "voila-graph")


def test_voila_trainer_steps_plays_and_pauses(page, voila_trainer_server):
    page.goto(voila_trainer_server.url, wait_until="domcontentloaded", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector(".mgw-trainer", state="visible", timeout=KERNEL_TIMEOUT_MS)
    check_trainer_step_play_pause(page)
    assert_no_page_errors(page)
    save_screenshot(page, "voila-trainer")
