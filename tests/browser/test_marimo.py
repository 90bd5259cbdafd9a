"""Smoke test in marimo: `marimo run app.py` serves the graph widget and the
trainer through `mo.ui.anywidget`, in Chromium.

What it shows: the packed float64 `data`/`grad` traitlets (binary buffers) reach
marimo's front-end (the first numbers on screen come only from them), and a
slider move goes to the Python side as a custom message and comes back answered
(`data-sync` goes pending, then ok only on the kernel's answer), with the
numbers of this package's engine. A button cell prints the Python objects'
state, so the test also reads the kernel's truth after the move. The trainer
steps, plays and pauses on its background thread, with the losses this
package computes for the same seed.
"""

import re
import textwrap

import pytest
from graph_page import README_LINES, README_RANGES, readme_expression
from harness import KERNEL_TIMEOUT_MS, RENDER_TIMEOUT_MS, save_screenshot
from servers import (
    MARIMO_HINT,
    assert_no_page_errors,
    check_readme_numbers,
    check_slider_answered_by_kernel,
    check_trainer_step_play_pause,
    open_graph,
    require_module,
    start_marimo,
)

pytestmark = pytest.mark.browser

# A marimo app file as `marimo edit` writes one: a cell is a function whose
# parameters are the names it reads and whose return tuple the names it defines.
APP = (
    """\
import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo
    from micrograd_widgets import Value
    return Value, mo


@app.cell
def _(Value, mo):
"""
    + textwrap.indent(README_LINES, "    ")
    + """\
    graph = mo.ui.anywidget(g.widget("""
    + README_RANGES
    + """))
    graph
    return a, b, g, graph


@app.cell
def _(mo):
    probe = mo.ui.button(label="probe kernel", value=0, on_click=lambda n: n + 1)
    probe
    return (probe,)


@app.cell
def _(a, b, g, mo, probe):
    # re-runs on each click of the probe: the kernel's numbers, every bit (repr)
    mo.plain_text(f"STATE {probe.value} {a.data!r} {b.data!r} {g.data!r} {a.grad!r} {b.grad!r}")
    return


if __name__ == "__main__":
    app.run()
"""
)


TRAINER_APP = """\
import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo
    from micrograd_widgets.widgets import Trainer
    t = Trainer(seed=0)
    trainer = mo.ui.anywidget(t)
    trainer
    return mo, t, trainer


if __name__ == "__main__":
    app.run()
"""


def _serve(tmp_path_factory, source):
    require_module("marimo", MARIMO_HINT)
    app_dir = tmp_path_factory.mktemp("marimo-app")
    (app_dir / "app.py").write_text(source)
    server = start_marimo(app_dir / "app.py")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def marimo_server(browser_available, tmp_path_factory):
    yield from _serve(tmp_path_factory, APP)


@pytest.fixture
def marimo_trainer_server(browser_available, tmp_path_factory):
    yield from _serve(tmp_path_factory, TRAINER_APP)


def _kernel_state(page, clicks: int) -> list[float]:
    """Click the probe button; parse the STATE line its cell prints once it has re-run."""
    page.get_by_role("button", name="probe kernel").click()
    line = page.get_by_text(re.compile(rf"^STATE {clicks} "))
    line.wait_for(timeout=KERNEL_TIMEOUT_MS)
    return [float(x) for x in line.inner_text().split()[2:]]


def test_marimo_shows_readme_numbers_from_binary_buffers(page, marimo_server):
    root = open_graph(page, marimo_server.url)
    check_readme_numbers(root)
    assert_no_page_errors(page)


def test_marimo_slider_move_is_answered_by_the_kernel(page, marimo_server):
    root = open_graph(page, marimo_server.url)
    a0, b0, g0 = readme_expression(-4.0)
    assert _kernel_state(page, 1) == [-4.0, 2.0, g0.data, a0.grad, b0.grad]
    # the probe cell re-runs on its second click: the Python objects behind the widget
    check_slider_answered_by_kernel(page, root, lambda a_now: _kernel_state(page, 2))
    assert_no_page_errors(page)
    save_screenshot(page, "marimo-graph")


def test_marimo_trainer_steps_plays_and_pauses(page, marimo_trainer_server):
    page.goto(marimo_trainer_server.url, wait_until="domcontentloaded", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector(".mgw-trainer", state="visible", timeout=KERNEL_TIMEOUT_MS)
    check_trainer_step_play_pause(page)
    assert_no_page_errors(page)
    save_screenshot(page, "marimo-trainer")
