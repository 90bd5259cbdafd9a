"""Names from the notebook, end to end: the graphs students paste and write, unlabelled, in JupyterLab."""

import pytest
from graph_page import graph_root, node, parse_number, slider
from harness import (
    ERROR_OUTPUT,
    collapse_left_sidebar,
    open_in_lab,
    run_all_cells,
    run_cell,
    save_screenshot,
    wait_widget,
)
from student_graphs import VERBATIM

pytestmark = pytest.mark.browser

# micrograd's README example as pasted (no labels), shown as a cell's last line
VERBATIM_CELL = VERBATIM + "g.widget()"

CROWDED_CELL = """\
x1 = Value(1.0, label='x')
x2 = Value(2.0, label='x')
xs = [Value(float(i)) for i in range(14)]
total = x1 * x2 + sum(xs)
total.widget()"""

NAN_CELL = """\
broken = Value(float('nan'))
(broken * 2.0).widget()"""

HAND_MLP_CELL = """\
import random
random.seed(0)

class Neuron:
    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
    def __call__(self, x):
        return sum((wi * xi for wi, xi in zip(self.w, x)), self.b).relu()

class Layer:
    def __init__(self, nin, nout):
        self.neurons = [Neuron(nin) for _ in range(nout)]
    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

class MLP:
    def __init__(self, nin, nouts):
        sz = [nin] + nouts
        self.layers = [Layer(sz[i], sz[i + 1]) for i in range(len(nouts))]
    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

model = MLP(2, [4, 1])
score = model([1.0, -2.0])
w = score.widget(sliders=['model.layers[0].neurons[3].w[1]'])
w"""

FIND_CELL = "print('FOUND', w.find('model.layers[0].neurons[3].w[1]'))"

WEIGHT = "model.layers[0].neurons[3].w[1]"


def aria_labels(root):
    return root.locator("input[type=range]").evaluate_all("(els) => els.map((e) => e.getAttribute('aria-label'))")


def test_names_sliders_and_notes_on_graphs_built_the_way_students_build_them(page, jupyter_server, make_notebook):
    page.set_viewport_size({"width": 1280, "height": 720})
    name = make_notebook([VERBATIM_CELL, CROWDED_CELL, NAN_CELL, HAND_MLP_CELL, FIND_CELL])
    open_in_lab(page, jupyter_server, name)
    collapse_left_sidebar(page)
    run_all_cells(page)
    page.wait_for_function("document.querySelectorAll('.mgw-graph').length === 4", timeout=60_000)
    stderr = page.locator(ERROR_OUTPUT).all_inner_texts()
    assert not [t for t in stderr if "serializ" in t.lower()], f"a message failed to serialize: {stderr}"

    # the verbatim example: a slider per input leaf, named by the notebook's variables
    verbatim = graph_root(page, 0)
    assert aria_labels(verbatim) == ["a", "b"]
    shown = verbatim.locator(".mgw-slider-label").all_text_contents()  # text, even while scrolled out of view
    assert [t.strip() for t in shown] == ["a", "b"]
    output = verbatim.locator('[data-root="true"]')
    assert output.count() == 1 and output.get_attribute("data-label") == "g"
    assert verbatim.locator('[data-role="slider-note"]').count() == 0, "nothing hidden, nothing to say"
    save_screenshot(verbatim, "graph-verbatim-names")

    # more leaves than sliders, and two leaves labelled x
    crowded = graph_root(page, 1)
    labels = aria_labels(crowded)
    assert len(labels) == 12 and labels[:3] == ["x", "x (2)", "xs[0]"]
    note = crowded.locator('[data-role="slider-note"]').text_content() or ""
    assert "4 more input leaves have no slider" in note and "sliders=[" in note
    assert "2 sliders share the name 'x'" in note

    # a NaN leaf: the number box says so
    nan_box = graph_root(page, 2).locator('input[aria-label="broken value"]')
    assert nan_box.input_value() == "nan"

    # a hand-written MLP: a weight named by its attribute path, slider and node alike
    mlp = graph_root(page, 3)
    assert aria_labels(mlp) == [WEIGHT]
    assert slider(mlp, WEIGHT).count() == 1
    # run again now that the view exists: a message sent before a view renders reaches no view
    assert "FOUND [" in run_cell(page, 4)
    status = mlp.locator('[data-role="find-status"]')
    page.wait_for_function("(el) => el.textContent === '1 found'", arg=status.element_handle(), timeout=10_000)
    weight = node(mlp, WEIGHT)
    assert weight.count() == 1, "w.find() brings the node into the view"
    assert mlp.locator('[data-root="true"]').get_attribute("data-label") == "score"
    assert parse_number(weight.locator('[data-field="data"]').text_content() or "") == pytest.approx(
        float(mlp.locator(f'input[aria-label="{WEIGHT} value"]').input_value()), abs=1e-4
    )


# ---- examples/08_lecture_mlp_by_hand.ipynb: 12 sliders named model.layers[i].neurons[j].… -----------

LECTURE = "08_lecture_mlp_by_hand.ipynb"

SLIDER_TEXTS_JS = """(root) => [...root.querySelectorAll('.mgw-slider')].map((row) => {
    const label = row.querySelector('.mgw-slider-label');
    return {
        text: label.textContent,
        name: row.querySelector('input[type=range]').getAttribute('aria-label'),
        clipped: label.scrollWidth > label.clientWidth + 1,
        shown: label.getBoundingClientRect().width > 0,
    };
})"""

NEXT_FRAMES_JS = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def is_cut(text: str, name: str) -> bool:
    """``text`` keeps pieces of ``name`` in order, joined by '…': the first at its start, the last at its end."""
    pieces = text.split("…")
    if len(pieces) == 1:
        return text == name
    if not (name.startswith(pieces[0]) and name.endswith(pieces[-1])):
        return False
    at = len(pieces[0])
    for piece in pieces[1:-1]:
        at = name.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return at <= len(name) - len(pieces[-1])


def assert_sliders_read_apart(root, size):
    rows = root.evaluate(SLIDER_TEXTS_JS)
    names = [row["name"] for row in rows]
    texts = [row["text"] for row in rows]
    assert len(rows) == 12 and all(name.startswith("model.layers[") for name in names), names
    assert len(set(texts)) == 12, f"two sliders read the same at {size}: {texts}"
    assert all(is_cut(row["text"], row["name"]) for row in rows), f"not a cut of its name at {size}: {rows}"
    assert not [row for row in rows if row["clipped"] or not row["shown"]], f"a label is clipped at {size}: {rows}"
    return texts


def test_the_lecture_notebooks_sliders_read_apart_on_a_projector(page, jupyter_server):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_in_lab(page, jupyter_server, LECTURE)
    collapse_left_sidebar(page)
    run_all_cells(page)
    wait_widget(page, ".mgw-graph .mgw-slider")
    root = graph_root(page, 0)
    wide = assert_sliders_read_apart(root, "1280x720")
    root.locator(".mgw-sliders").scroll_into_view_if_needed()
    save_screenshot(root.locator(".mgw-sliders"), "lecture-08-sliders-1280x720")

    page.set_viewport_size({"width": 1024, "height": 768})  # an old projector: the labels refit to their rows
    page.evaluate(NEXT_FRAMES_JS)
    narrow = assert_sliders_read_apart(root, "1024x768")
    root.locator(".mgw-sliders").scroll_into_view_if_needed()
    save_screenshot(root.locator(".mgw-sliders"), "lecture-08-sliders-1024x768", "lecture-08-sliders-1024x768.png")
    save_screenshot(page, "lecture-08-1024x768")
    assert wide != ["model.layer…"] * 12 != narrow

    # a narrow output (a side panel, a split screen): the whole names do not fit, the page measures the cuts
    panel = root.locator(".mgw-sliders")
    panel.evaluate("(el) => { el.style.width = '360px'; }")
    page.evaluate(NEXT_FRAMES_JS)
    side = assert_sliders_read_apart(root, "a 360 px panel")
    names = [row["name"] for row in root.evaluate(SLIDER_TEXTS_JS)]
    assert any(text != name for text, name in zip(side, names, strict=True)), f"nothing was cut at 360 px: {side}"
    save_screenshot(panel, "lecture-08-sliders-360px")
    panel.evaluate("(el) => { el.style.width = ''; }")

    # presenter mode's large type (the class the teaching modes set): the labels refit to the bigger letters
    root.evaluate("(el) => el.classList.add('mgw-presenter')")
    page.evaluate(NEXT_FRAMES_JS)
    assert_sliders_read_apart(root, "1024x768, presenter")
    save_screenshot(panel, "lecture-08-sliders-1024x768-presenter")
    root.evaluate("(el) => el.classList.remove('mgw-presenter')")

    # the second widget names the output by its own variable, not by the first widget's .root
    second = graph_root(page, 1)
    assert second.locator('[data-root="true"]').get_attribute("data-label") == "total_loss"
    jupyter_server.shutdown_kernels()


UNNAMED_CELL = """\
from micrograd_widgets import Value
x = Value(2.0)
(x * 3.0 + x).tanh().widget(names=False)"""


def test_the_chain_rule_panel_calls_unnamed_nodes_what_their_boxes_show(page, jupyter_server, make_notebook):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_in_lab(page, jupyter_server, make_notebook([UNNAMED_CELL]))
    collapse_left_sidebar(page)
    run_all_cells(page)
    root = graph_root(page, 0)
    wait_widget(page, ".mgw-graph [data-node-id]")
    words = set()
    for box in root.locator("[data-node-id]").all():
        head = box.locator(".mgw-head").text_content() or ""
        words.update(head.split())
    plus = root.locator("[data-node-id]").filter(has_text="+").first
    plus.click()
    chain = root.locator(".mgw-chain")
    text = chain.text_content() or ""
    assert "+ = " in text and "#" not in text, f"an id no box shows: {text}"
    cells = chain.locator("td").all_text_contents()
    named = [cell for cell in cells if cell and not cell[0].isdigit() and not cell.startswith("-")]
    assert named and set(named) <= words, f"{named} are not words the boxes show ({words})"


LOOP_CELLS = [
    "from micrograd_widgets import Value\nws = [Value(1.0), Value(2.0), Value(3.0)]\nbias = Value(0.5, label=None)",
    "total = bias\nfor wi in ws:\n    total = total + wi * wi",
    "total.widget()",
]


def test_sliders_are_not_named_by_a_loop_variable_or_a_missing_label(page, jupyter_server, make_notebook):
    # the kernel's own In: the loop's cell is there when the widget is made
    page.set_viewport_size({"width": 1280, "height": 720})
    open_in_lab(page, jupyter_server, make_notebook(LOOP_CELLS))
    collapse_left_sidebar(page)
    run_all_cells(page)
    wait_widget(page, ".mgw-graph .mgw-slider")
    root = graph_root(page, 0)
    expected = ["ws[0]", "bias", "ws[1]", "ws[2]"]  # in order of first use
    assert aria_labels(root) == expected, "wi names ws[2]; label=None reads 'None'"
    assert [t.strip() for t in root.locator(".mgw-slider-label").all_text_contents()] == expected
