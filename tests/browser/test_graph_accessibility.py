"""The graph widget to a screen reader and to axe-core: JupyterLab 4 + Chromium.

axe-core (tests/browser/accessibility.py) runs on the graph in every mode, plain,
exercise, step-through, presenter and gradient check, with a node selected (the
chain-rule panel, the hint panel) and folded into groups, and finds nothing;
every button's name holds the words it shows (WCAG 2.5.3). A node's accessible
name says its numbers as the box shows them, and follows them.
"""

import pytest
from accessibility import axe_violations, describe, names_without_their_text
from graph_page import (
    README_LINES,
    README_RANGES,
    field_text,
    graph_root,
    move_slider_and_confirm,
    node,
    open_graph_in_lab,
    readme_expression,
)

from micrograd_widgets.wire import format_number

pytestmark = pytest.mark.browser

# a lecture notebook's title above the widget: headings inside the widget would follow it (heading-order)
SETUP = f"from IPython.display import Markdown\nfrom micrograd_widgets import Value\n{README_LINES}"
SETUP += "Markdown('# The chain rule')"
MODES = {
    "plain": f"w = g.widget({README_RANGES})\nw",
    "exercise": f"w = g.widget(exercise=True, {README_RANGES})\nw",
    "step-through": f"w = g.widget({README_RANGES})\nw.backward_reset(); w.backward_step(); w.backward_step()\nw",
    "presenter": f"w = g.widget(presenter=True, {README_RANGES})\nw",
    "gradcheck": f"w = g.widget(gradcheck=True, {README_RANGES})\nw",
}
FOLDED = """\
import random
from micrograd_widgets import Value, nn
model = nn.MLP(2, [16, 16, 1], seed=0)
rng = random.Random(0)
pts = [(rng.uniform(-1, 2), rng.uniform(-1, 1), rng.choice((-1, 1))) for _ in range(6)]
loss = nn.hinge_loss([model([Value(x), Value(y)]) for x, y, _ in pts], [t for *_, t in pts])
loss.backward()
loss.widget()"""


def _open(page, jupyter_server, make_notebook, cells):
    return open_graph_in_lab(page, jupyter_server, make_notebook, cells, size=(1280, 900))


def _assert_no_violations(page, root, where):
    violations = axe_violations(page, root)
    assert not violations, f"axe-core, {where}:\n{describe(violations)}"
    # a node box's name is checked by the test below: its label, then its numbers
    assert names_without_their_text(page, root, ignore="[data-node-id]") == [], where


@pytest.mark.parametrize("mode", list(MODES))
def test_axe_finds_nothing_in_any_mode(page, jupyter_server, make_notebook, mode):
    root = _open(page, jupyter_server, make_notebook, [SETUP, MODES[mode]])
    _assert_no_violations(page, root, f"{mode}, as it opens")
    if mode == "exercise":  # an answer typed, a node selected and its hint shown
        answer = root.locator('input[aria-label="a grad answer"]')
        answer.fill("138.83")
        answer.press("Enter")
        node(root, "b").first.locator(".mgw-label").click()
        root.get_by_role("button", name="hint").click()
    else:  # a node selected: the chain-rule panel (or the step's panel) with its table
        node(root, "d").first.locator(".mgw-label").click()
    _assert_no_violations(page, root, f"{mode}, a node selected")


def test_axe_finds_nothing_in_a_folded_graph(page, jupyter_server, make_notebook):
    root = _open(page, jupyter_server, make_notebook, [FOLDED])
    assert root.locator("[data-group]").count() > 0
    _assert_no_violations(page, root, "folded, as it opens")
    root.locator("[data-group]").first.click()
    _assert_no_violations(page, root, "folded, a group opened")


def _name(root, label):
    return node(root, label).first.get_attribute("aria-label")


def _shown(root, label):
    """What the box shows, as a screen reader should hear it: its name, then its numbers."""
    data, grad = (field_text(root, label, field) for field in ("data", "grad"))
    return f"{label}: data {data}" + (f", grad {grad}" if grad else "")


def test_a_nodes_accessible_name_says_its_numbers_as_shown_and_follows_them(page, jupyter_server, make_notebook):
    root = _open(page, jupyter_server, make_notebook, [SETUP, MODES["plain"], MODES["exercise"]])
    assert _name(root, "g") == _shown(root, "g") == "g: data 24.7041, grad 1.0000"
    assert _name(root, "a") == _shown(root, "a") == "a: data -4.0000, grad 138.8338"
    a_now = move_slider_and_confirm(page, root, "a", -2.5)
    a, _, g = readme_expression(a_now)
    assert _name(root, "a") == _shown(root, "a") == f"a: data {format_number(a.data)}, grad {format_number(a.grad)}"
    assert _name(root, "g") == _shown(root, "g") == f"g: data {format_number(g.data)}, grad {format_number(g.grad)}"
    # an exercise's blank grads stay unsaid: the name never gives the answer away
    exercise = graph_root(page, 1)
    assert _name(exercise, "a") == _shown(exercise, "a") == "a: data -4.0000"
