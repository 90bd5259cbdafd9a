"""The graph widget end to end: JupyterLab 4 in Chromium, a real kernel."""

import math

import pytest
from graph_page import (
    README_CELL,
    README_PROBE,
    WATCH_SYNC_JS,
    assert_shows_engine_numbers,
    field_text,
    graph_root,
    move_slider_and_confirm,
    node,
    parse_state,
    readme_expression,
    shows,
    slider,
    wait_confirmed,
    wait_shows,
)
from harness import collapse_left_sidebar, open_in_lab, run_all_cells, run_cell, save_screenshot, wait_widget

pytestmark = pytest.mark.browser


def _open_readme(page, jupyter_server, make_notebook):
    name = make_notebook([README_CELL, README_PROBE])
    open_in_lab(page, jupyter_server, name)
    collapse_left_sidebar(page)
    run_all_cells(page)
    wait_widget(page, ".mgw-graph")
    return graph_root(page)


def test_readme_expression_shows_micrograds_numbers(page, jupyter_server, make_notebook):
    page.set_viewport_size({"width": 1600, "height": 1000})  # the README screenshot: the whole graph readable
    root = _open_readme(page, jupyter_server, make_notebook)
    wait_shows(page, root, {("g", "data"): 24.7041})
    assert field_text(root, "g", "data") == "24.7041"
    assert field_text(root, "a", "grad") == "138.8338"
    assert field_text(root, "b", "grad") == "645.5773"
    assert slider(root, "a").count() == 1
    assert slider(root, "b").count() == 1
    assert page.mgw_dialogs == []
    save_screenshot(root, "graph-widget", docs_name="graph-widget.png")


def test_slider_recomputes_forward_and_backward_and_kernel_agrees(page, jupyter_server, make_notebook):
    root = _open_readme(page, jupyter_server, make_notebook)
    wait_shows(page, root, {("g", "data"): 24.7041})

    a_now = move_slider_and_confirm(page, root, "a", -2.5)
    assert a_now == pytest.approx(-2.5, abs=0.006)
    assert_shows_engine_numbers(root, a_now)
    assert root.get_attribute("data-sync") == "ok"

    # the kernel's Value objects hold exactly the state on screen
    kernel_a, kernel_b, kernel_g, kernel_a_grad, kernel_b_grad = parse_state(run_cell(page, 1))
    assert kernel_a == a_now
    assert kernel_b == 2.0
    a, b, g = readme_expression(kernel_a)
    assert (kernel_g, kernel_a_grad, kernel_b_grad) == (g.data, a.grad, b.grad)


def test_fast_slider_moves_end_where_the_slider_stopped(page, jupyter_server, make_notebook):
    root = _open_readme(page, jupyter_server, make_notebook)
    wait_shows(page, root, {("g", "data"): 24.7041})
    rng = slider(root, "a")
    # 40 input events in one task, faster than any round trip: the newest value wins
    rng.evaluate(
        """(el) => {
            const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
            for (let i = 0; i < 40; i++) {
                set.call(el, String(-4 + i * 0.1));
                el.dispatchEvent(new Event('input', { bubbles: true }));
            }
            el.dispatchEvent(new Event('change', { bubbles: true }));
        }"""
    )
    final = float(rng.input_value())
    a, b, g = readme_expression(final)
    wait_shows(page, root, {("g", "data"): g.data, ("a", "grad"): a.grad})
    page.wait_for_function("(r) => r.getAttribute('data-sync') === 'ok'", arg=root.element_handle(), timeout=60_000)
    kernel_a, _, kernel_g, kernel_a_grad, _ = parse_state(run_cell(page, 1))
    assert kernel_a == final
    assert (kernel_g, kernel_a_grad) == (g.data, a.grad)


ERROR_CELL = """\
from micrograd_widgets import Value
a = Value(2.0, label='a')
b = Value(3.0, label='b')
p = a * b; p.label = 'p'
L = p.log(); L.label = 'L'
out = L * 2.0 + 1.0; out.label = 'out'
out.backward()
w = out.widget(ranges={'a': (-5, 5, 0.01)})
w"""

ERROR_PROBE = "print('STATE', repr(a.data), repr(out.data), repr(a.grad))"


def test_domain_error_shows_on_its_node_and_recovers(page, jupyter_server, make_notebook):
    name = make_notebook([ERROR_CELL, ERROR_PROBE])
    open_in_lab(page, jupyter_server, name)
    run_all_cells(page)
    wait_widget(page, ".mgw-graph")
    root = graph_root(page)
    start = 2 * math.log(6.0) + 1
    wait_shows(page, root, {("out", "data"): start, ("a", "grad"): 2 / 6 * 3})
    assert root.locator("[data-error]").count() == 0

    # a = -1: a*b = -3, log(-3) is a domain error on L, NaN downstream
    move_slider_and_confirm(page, root, "a", -1.0)
    err = node(root, "L").first
    assert err.get_attribute("data-error"), "the log node carries data-error with its message"
    assert field_text(root, "out", "data").lower() == "nan"
    assert shows(field_text(root, "p", "data"), -3.0)
    kernel_a, kernel_out, _ = parse_state(run_cell(page, 1))
    assert kernel_a == -1.0 and math.isnan(kernel_out)

    # moving back recovers: no error left, the numbers are right again
    move_slider_and_confirm(page, root, "a", 2.0)
    wait_shows(page, root, {("out", "data"): start, ("a", "grad"): 1.0})
    assert root.locator("[data-error]").count() == 0
    kernel_a, kernel_out, kernel_a_grad = parse_state(run_cell(page, 1))
    assert kernel_a == 2.0
    assert kernel_out == pytest.approx(start, rel=1e-15)
    assert kernel_a_grad == pytest.approx(1.0, rel=1e-15)


XSS_LABEL = "<img src=x onerror=alert(1)>"
XSS_CELL = f"""\
from micrograd_widgets import Value
x = Value(1.5, label={XSS_LABEL!r})
y = x * 2.0; y.label = 'y'
y.backward()
w = y.widget()
w"""


def test_label_markup_shows_literally(page, jupyter_server, make_notebook):
    name = make_notebook([XSS_CELL])
    open_in_lab(page, jupyter_server, name)
    run_all_cells(page)
    wait_widget(page, ".mgw-graph")
    root = graph_root(page)
    wait_shows(page, root, {("y", "data"): 3.0})
    leaf = node(root, XSS_LABEL)
    assert leaf.count() == 1, "the leaf's data-label holds the raw label"
    assert XSS_LABEL in leaf.first.text_content(), f"label text missing: {leaf.first.text_content()!r}"
    assert root.locator("img").count() == 0, "the label was parsed as HTML"
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert page.mgw_dialogs == [], "onerror ran"
    assert slider(root, XSS_LABEL).count() == 1


def test_number_box_and_reset_drive_the_same_replay(page, jupyter_server, make_notebook):
    root = _open_readme(page, jupyter_server, make_notebook)
    wait_shows(page, root, {("g", "data"): 24.7041})

    box = root.locator('input[aria-label="b value"]')
    assert box.count() == 1, "each slider has a number box labelled '<label> value'"
    root.evaluate(WATCH_SYNC_JS)
    box.fill("1.5")
    box.press("Enter")
    a, b, g = readme_expression(-4.0, 1.5)
    wait_shows(page, root, {("g", "data"): g.data, ("a", "grad"): a.grad, ("b", "grad"): b.grad})
    wait_confirmed(page, root)
    assert parse_state(run_cell(page, 1))[:3] == [-4.0, 1.5, g.data]

    root.evaluate(WATCH_SYNC_JS)
    root.locator('button[aria-label="reset"]').click()
    wait_shows(page, root, {("g", "data"): 24.7041, ("b", "grad"): 645.5773})
    wait_confirmed(page, root)
    assert float(slider(root, "b").input_value()) == 2.0
    assert parse_state(run_cell(page, 1))[:2] == [-4.0, 2.0]


TWO_VIEWS = [README_CELL, "w", README_PROBE]


def test_two_views_of_one_graph_stay_in_step(page, jupyter_server, make_notebook):
    name = make_notebook(TWO_VIEWS)
    open_in_lab(page, jupyter_server, name)
    collapse_left_sidebar(page)
    run_all_cells(page)
    page.wait_for_function("document.querySelectorAll('.mgw-graph').length === 2", timeout=60_000)
    first, second = graph_root(page, 0), graph_root(page, 1)
    wait_shows(page, second, {("g", "data"): 24.7041})
    a_now = move_slider_and_confirm(page, first, "a", 1.25)
    a, b, g = readme_expression(a_now)
    # the second view follows through the model's traitlets
    wait_shows(page, second, {("g", "data"): g.data, ("a", "grad"): a.grad, ("b", "grad"): b.grad})
    assert float(slider(second, "a").input_value()) == pytest.approx(a_now)


MLP_CELL = """\
import random
from micrograd_widgets import Value, nn
model = nn.MLP(2, [16, 16, 1], seed=0)
rng = random.Random(0)
pts = [(rng.uniform(-1, 2), rng.uniform(-1, 1), rng.choice((-1, 1))) for _ in range(6)]
scores = [model([Value(x), Value(y)]) for x, y, _ in pts]
loss = nn.hinge_loss(scores, [t for *_, t in pts]); loss.label = 'loss'
loss.backward()
print('NODES', len(loss.topo()), repr(loss.data))
w = loss.widget()
w"""


def test_big_graph_is_grouped_and_a_click_expands_a_group(page, jupyter_server, make_notebook):
    name = make_notebook([MLP_CELL])
    open_in_lab(page, jupyter_server, name)
    collapse_left_sidebar(page)
    run_all_cells(page)
    wait_widget(page, ".mgw-graph")
    root = graph_root(page)
    output = page.locator(".jp-OutputArea").first.inner_text()
    line = next(text for text in output.splitlines() if text.startswith("NODES"))
    n_nodes, loss_data = int(line.split()[1]), float(line.split()[2])
    wait_shows(page, root, {("loss", "data"): loss_data})

    groups = root.locator("[data-group]")
    drawn = root.locator("[data-node-id]").count()
    assert groups.count() >= 1, "a graph this big arrives grouped"
    assert drawn < n_nodes, f"{drawn} node elements for {n_nodes} nodes: nothing collapsed"
    # groups nest (layer > neuron): expand down one branch until node elements appear
    for _ in range(4):
        key = groups.first.get_attribute("data-group")
        items = root.locator("[data-node-id], [data-group]").count()
        groups.first.click()
        page.wait_for_function(
            """([root, key, items]) => ![...root.querySelectorAll('[data-group]')].some(g => g.dataset.group === key)
                && root.querySelectorAll('[data-node-id], [data-group]').length > items""",
            arg=[root.element_handle(), key, items],
            timeout=30_000,
        )
        if root.locator("[data-node-id]").count() > drawn:
            break
    assert root.locator("[data-node-id]").count() > drawn, "expanding groups never showed their nodes"
    # every node element still keeps the contract: a label attribute and both numbers
    bad = root.evaluate(
        """(root) => [...root.querySelectorAll('[data-node-id]')].filter(n =>
            !n.hasAttribute('data-label') || !n.querySelector('[data-field="data"]')
            || !n.querySelector('[data-field="grad"]')).length"""
    )
    assert bad == 0
    assert shows(field_text(root, "loss", "data"), loss_data)
