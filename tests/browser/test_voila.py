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
import time

import pytest

from graph_page import README_CELL, field_text, graph_root, move_slider_and_confirm, readme_expression, shows, slider, wait_shows
from harness import KERNEL_TIMEOUT_MS, RENDER_TIMEOUT_MS, save_screenshot, write_notebook
from servers import VOILA_HINT, check_trainer_step_play_pause, require_module, start_voila

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


def _open(page, server):
    """Load the page (Voilà starts a kernel and runs the notebook) and wait for the graph widget."""
    t0 = time.monotonic()
    page.goto(server.url, wait_until="domcontentloaded", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector(".mgw-graph", state="visible", timeout=KERNEL_TIMEOUT_MS)
    root = graph_root(page)
    wait_shows(page, root, {("g", "data"): 24.7041})
    page.mgw_console.append(f"test: graph showed g in {time.monotonic() - t0:.2f} s")
    return root


def _kernel_state(page, a_data: float) -> list[float]:
    """The probe label's numbers, once it shows a = `a_data` (it follows every replay)."""
    line = page.get_by_text(re.compile(rf"^STATE {re.escape(repr(a_data))} "))
    line.wait_for(timeout=KERNEL_TIMEOUT_MS)
    return [float(x) for x in line.inner_text().split()[1:]]


def _no_page_errors(page):
    # Console *errors* are expected and not ours: Font Awesome from a CDN (no network
    # here) and a module-federation error from JupyterLab 4.6 lab extensions loaded
    # into Voilà's older JupyterLab core. Uncaught exceptions are another matter.
    errors = [m for m in page.mgw_console if m.startswith("pageerror")]
    assert errors == [], errors


def test_voila_shows_readme_numbers_from_binary_buffers(page, voila_server):
    root = _open(page, voila_server)
    assert field_text(root, "g", "data") == "24.7041"
    assert field_text(root, "a", "grad") == "138.8338"
    assert field_text(root, "b", "grad") == "645.5773"
    assert field_text(root, "a", "data") == "-4.0000"
    assert slider(root, "a").count() == 1 and slider(root, "b").count() == 1
    assert root.get_attribute("data-sync") == "ok"
    _no_page_errors(page)


def test_voila_slider_move_is_answered_by_the_kernel(page, voila_server):
    root = _open(page, voila_server)
    a0, b0, g0 = readme_expression(-4.0)
    assert _kernel_state(page, -4.0) == [-4.0, 2.0, g0.data, a0.grad, b0.grad]

    a_now = move_slider_and_confirm(page, root, "a", -2.5)  # waits for the kernel's answer
    assert a_now == pytest.approx(-2.5, abs=0.006)
    a, b, g = readme_expression(a_now)
    assert abs(g.data - 24.7041) > 1.0, "the slider value must change g"
    expected = {("g", "data"): g.data, ("a", "data"): a.data, ("a", "grad"): a.grad, ("b", "grad"): b.grad}
    shown = {key: field_text(root, *key) for key in expected}
    assert all(shows(shown[k], expected[k]) for k in expected), (shown, expected)

    # the kernel's Value objects hold exactly the state on screen
    kernel_a, kernel_b, kernel_g, kernel_a_grad, kernel_b_grad = _kernel_state(page, a_now)
    assert (kernel_a, kernel_b) == (a_now, 2.0)
    assert (kernel_g, kernel_a_grad, kernel_b_grad) == (g.data, a.grad, b.grad)
    _no_page_errors(page)
    save_screenshot(page, "voila-graph")


def test_voila_trainer_steps_plays_and_pauses(page, voila_trainer_server):
    page.goto(voila_trainer_server.url, wait_until="domcontentloaded", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector(".mgw-trainer", state="visible", timeout=KERNEL_TIMEOUT_MS)
    check_trainer_step_play_pause(page)
    _no_page_errors(page)
    save_screenshot(page, "voila-trainer")
