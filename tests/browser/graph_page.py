"""Page helpers for the graph widget, written against the DOM it promises to keep stable:
root `.mgw-graph` with `data-sync` pending/ok; node elements with
`data-node-id`, `data-label` (and `data-error`), holding `[data-field="data"]`
and `[data-field="grad"]`; sliders `input[type=range]` with aria-label = label.
"""

from __future__ import annotations

import math

from expressions import micrograd_readme_expression
from harness import (
    KERNEL_TIMEOUT_MS,
    RENDER_TIMEOUT_MS,
    collapse_left_sidebar,
    open_in_lab,
    run_all_cells,
    set_range,
    wait_widget,
)

# micrograd's README expression as a user types it in a cell (tests/expressions.py builds it here)
README_LINES = """\
a = Value(-4.0, label='a')
b = Value(2.0, label='b')
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
g.label = 'g'
g.backward()
"""
README_RANGES = "ranges={'a': (-5, 5, 0.01), 'b': (-5, 5, 0.01)}"

README_CELL = f"""\
from micrograd_widgets import Value
{README_LINES}w = g.widget({README_RANGES})
w"""

# Prints the kernel's truth in a line the tests parse (repr: every bit of the float).
README_PROBE = "print('STATE', repr(a.data), repr(b.data), repr(g.data), repr(a.grad), repr(b.grad))"


def readme_expression(a_data: float, b_data: float = 2.0):
    """micrograd's README expression built with this package's engine, in the test process, after backward()."""
    a, b, g = micrograd_readme_expression(a_data, b_data)
    g.backward()
    return a, b, g


def assert_shows_engine_numbers(root, a_data: float):
    """The view shows what the engine computes for the README expression at a = ``a_data``; returns (a, b, g)."""
    a, b, g = readme_expression(a_data)
    assert abs(g.data - 24.7041) > 1.0, "pick a slider value that changes g"
    expected = {("g", "data"): g.data, ("a", "data"): a.data, ("a", "grad"): a.grad, ("b", "grad"): b.grad}
    shown = {key: field_text(root, *key) for key in expected}
    assert all(shows(shown[k], expected[k]) for k in expected), (shown, expected)
    return a, b, g


def parse_number(text: str) -> float:
    """The widget's number text as a float ('nan', 'inf', '-inf', '1.234e-5', '−3.0')."""
    return float(text.strip().replace("\u2212", "-"))


def shows(text: str, expected: float) -> bool:
    """Whether `text` is `expected` as the widget formats numbers (4 decimals, or
    4 significant digits in scientific notation below 1e-3 / above 1e6)."""
    try:
        got = parse_number(text)
    except ValueError:
        return False
    if math.isnan(expected):
        return math.isnan(got)
    if math.isinf(expected):
        return got == expected
    if "e" in text.lower():
        return math.isclose(got, expected, rel_tol=6e-4, abs_tol=0.0)
    return abs(got - expected) <= 0.5e-4 + 1e-9 * abs(expected)


def graph_root(page, index: int = 0):
    return page.locator(".mgw-graph").nth(index)


def open_graph_in_lab(page, jupyter_server, make_notebook, cells, size=(1280, 900), scroll_to_top=False):
    """A notebook of ``cells`` run whole in JupyterLab at ``size``, its left sidebar shut; the first
    graph widget once its output box is drawn. ``scroll_to_top``: a reader scrolls to the widget's top,
    and a resize after the first paint has had time to move the view (it must not)."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_in_lab(page, jupyter_server, make_notebook(cells))
    collapse_left_sidebar(page)
    run_all_cells(page)
    wait_widget(page, ".mgw-graph")
    root = graph_root(page)
    root.locator('[data-root="true"][data-node-id]').wait_for()
    if scroll_to_top:
        root.evaluate("(el) => el.scrollIntoView({ block: 'start' })")
        page.wait_for_timeout(300)
    return root


def node(root, label: str):
    """The node element with this data-label (labels may hold quotes or markup: no CSS escaping games)."""
    return root.locator(f"[data-label={_css_string(label)}][data-node-id]")


def _css_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def field_text(root, label: str, field: str) -> str:
    return node(root, label).first.locator(f'[data-field="{field}"]').first.inner_text().strip()


def slider(root, label: str):
    return root.locator(f"input[type=range][aria-label={_css_string(label)}]")


def wait_shows(page, root, expectations: dict, timeout_ms: int = RENDER_TIMEOUT_MS):
    """Wait until each (label, field) shows its expected number; on timeout, say what is shown."""
    deadline = page.evaluate("performance.now()") + timeout_ms
    last = {}
    while True:
        last = {key: field_text(root, *key) for key in expectations}
        if all(shows(last[key], expectations[key]) for key in expectations):
            return last
        if page.evaluate("performance.now()") > deadline:
            raise AssertionError(f"widget shows {last}, expected {expectations}")
        page.wait_for_timeout(100)


WATCH_SYNC_JS = """
(root) => {
  // Records every data-sync transition (old values too: pending→ok inside one
  // task still leaves a 'pending' record), so a test can wait for *this*
  // input's confirmation rather than the previous one's.
  root.__mgwSync = [];
  if (root.__mgwSyncObserver) root.__mgwSyncObserver.disconnect();
  const obs = new MutationObserver((records) => {
    for (const r of records) root.__mgwSync.push(r.oldValue, root.getAttribute('data-sync'));
  });
  obs.observe(root, { attributes: true, attributeFilter: ['data-sync'], attributeOldValue: true });
  root.__mgwSyncObserver = obs;
}
"""


def move_slider_and_confirm(page, root, label: str, value: float, timeout_ms: int = KERNEL_TIMEOUT_MS) -> float:
    """Move slider `label` to `value`; wait for data-sync to go pending and back to ok.

    Returns the slider's value as the input element holds it (after step snapping).
    """
    root.evaluate(WATCH_SYNC_JS)
    rng = slider(root, label)
    set_range(rng, value)
    page.wait_for_function(
        """(root) => root.__mgwSync.includes('pending') && root.getAttribute('data-sync') === 'ok'""",
        arg=root.element_handle(),
        timeout=timeout_ms,
    )
    return float(rng.input_value())


def wait_confirmed(page, root, timeout_ms: int = KERNEL_TIMEOUT_MS):
    """After root.evaluate(WATCH_SYNC_JS) and an input: wait for pending, then ok."""
    page.wait_for_function(
        """(root) => root.__mgwSync.includes('pending') && root.getAttribute('data-sync') === 'ok'""",
        arg=root.element_handle(),
        timeout=timeout_ms,
    )


def parse_state(output: str) -> list[float]:
    line = next(text for text in output.splitlines() if text.startswith("STATE"))
    return [float(x) for x in line.split()[1:]]
