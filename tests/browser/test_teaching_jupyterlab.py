"""The graph widget's teaching modes end to end: JupyterLab 4 in Chromium, a real kernel.

Step-through backward reaches the leaves with micrograd's grads (a 138.8338,
b 645.5773, shown only once their step is reached); an exercise answer is
marked right and a wrong one wrong, and Python's w.score agrees; the keys obey
the focus rules of js/teaching/index.js. Screenshots: test-output/screenshots/, and
docs/step-through.png, docs/exercise.png with MGW_UPDATE_SCREENSHOTS=1.
"""

import re

import pytest
from graph_page import README_CELL, field_text, node, open_graph_in_lab, readme_expression, slider, wait_shows
from harness import run_cell, save_screenshot

pytestmark = pytest.mark.browser

STEP_PROBE = "print('STEP', w.step_index)"
EXERCISE_CELL = README_CELL.replace("w = g.widget(", "w = g.widget(exercise=True, ")
SCORE_PROBE = "print('SCORE', tuple(w.score))"


def _open(page, jupyter_server, make_notebook, cells):
    root = open_graph_in_lab(page, jupyter_server, make_notebook, cells, size=(1600, 1000))
    wait_shows(page, root, {("g", "data"): 24.7041})
    return root


def _button(root, label):
    return root.locator(f'button[aria-label="{label}"]')


def _grad_texts(root):
    return root.locator('[data-node-id] [data-field="grad"]').evaluate_all("(els) => els.map((e) => e.textContent)")


def test_step_through_reaches_the_leaves_with_the_right_grads(page, jupyter_server, make_notebook):
    root = _open(page, jupyter_server, make_notebook, [README_CELL, STEP_PROBE])
    _, _, g = readme_expression(-4.0)
    nodes = g.topo()
    n = len(nodes)
    # the README picture: the last op node processed before the leaves' turn (step k processes node n - k)
    shot = max(k for k in range(1, n - 1) if nodes[n - k].inputs)

    _button(root, "clear grads").click()
    assert all(text == "" for text in _grad_texts(root)), "cleared: no grad computed yet"
    seen = {}
    for k in range(1, n + 1):
        _button(root, "step backward").click()
        page.wait_for_function(
            "([r, k]) => r.querySelector('[data-field=step]').textContent.startsWith(`step ${k} /`)",
            arg=[root.element_handle(), k],
        )
        for label in ("a", "b"):
            state = node(root, label).first.get_attribute("data-step")
            text = field_text(root, label, "grad")
            if state == "pending":
                assert text == "", f"{label}'s grad shows before its step ({k}): {text!r}"
            elif label not in seen:
                assert state == "current"
                seen[label] = (k, text)
        if k == shot:  # most of backward done, a and b still blank
            save_screenshot(root, "step-through", docs_name="step-through.png")
    assert seen["a"][1] == "138.8338" and seen["b"][1] == "645.5773", seen
    assert seen["a"][0] == n  # a is the first node of the topological order: the last step
    assert field_text(root, "g", "grad") == "1.0000"
    assert re.search(rf"STEP {n}\b", run_cell(page, 1)), "the kernel's step_index follows the browser"


def test_python_backward_step_moves_the_view_and_keys_step_when_the_widget_has_focus(
    page, jupyter_server, make_notebook
):
    cells = [README_CELL, "w.backward_reset(); w.backward_step(); w.backward_step()", STEP_PROBE]
    root = _open(page, jupyter_server, make_notebook, cells)
    step_text = root.locator('[data-field="step"]')
    page.wait_for_function(
        "(r) => r.querySelector('[data-field=step]').textContent.startsWith('step 2 /')", arg=root.element_handle()
    )
    assert root.locator('[data-step="current"]').count() == 1
    assert root.locator('[data-step="done"]').count() == 1

    # focus on the widget's background: → steps, ← goes back, JupyterLab keeps its hands off
    root.locator(".mgw-chain").click()
    assert page.evaluate("document.activeElement.classList.contains('mgw-graph')")
    active_cell_before = page.evaluate("window.jupyterapp.shell.currentWidget.content.activeCellIndex")
    page.keyboard.press("ArrowRight")
    assert step_text.text_content().startswith("step 3 /")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert step_text.text_content().startswith("step 1 /")
    assert page.evaluate("window.jupyterapp.shell.currentWidget.content.activeCellIndex") == active_cell_before
    page.keyboard.press("Space")
    assert _button(root, "pause backward").inner_text() == "⏸ pause"  # the name says what the button shows
    page.keyboard.press("Space")
    assert _button(root, "play backward").inner_text() == "▶ play"
    stopped_at = step_text.text_content()

    # a focused range input keeps its arrows: the slider moves, the step does not
    rng = slider(root, "a")
    before = float(rng.input_value())
    rng.focus()
    page.keyboard.press("ArrowRight")
    assert float(rng.input_value()) > before
    assert step_text.text_content() == stopped_at
    assert re.search(r"STEP \d+", run_cell(page, 2))


def test_exercise_answers_are_marked_right_and_wrong_and_python_scores_them(page, jupyter_server, make_notebook):
    root = _open(page, jupyter_server, make_notebook, [EXERCISE_CELL, SCORE_PROBE])
    assert field_text(root, "a", "grad") == "" and field_text(root, "b", "grad") == ""
    assert field_text(root, "g", "grad") == "1.0000"  # the output's grad is given

    a_box = root.locator('input[aria-label="a grad answer"]')
    a_box.fill("138.83")
    a_box.press("Enter")
    page.wait_for_function(
        "(r) => r.querySelector('[data-label=\"a\"]').getAttribute('data-answer') === 'right'",
        arg=root.element_handle(),
    )
    assert "✓" in node(root, "a").first.inner_text()

    b_box = root.locator('input[aria-label="b grad answer"]')
    b_box.fill("600")
    b_box.press("Enter")
    page.wait_for_function(
        "(r) => r.querySelector('[data-label=\"b\"]').getAttribute('data-answer') === 'wrong'",
        arg=root.element_handle(),
    )
    assert "✗" in node(root, "b").first.inner_text()
    assert field_text(root, "b", "grad") == "", "a wrong answer does not reveal the grad"

    # the view opens whole (NOTE [first sight]); "fit" keeps it so for the picture
    _button(root, "fit").click()
    save_screenshot(root, "exercise", docs_name="exercise.png")

    node(root, "b").first.locator(".mgw-label").click()
    _button(root, "hint").click()
    hint = root.locator(".mgw-chain").inner_text()
    assert "hint for b" in hint and "645.5773" not in hint
    assert "grad(" in hint and "= ?" in hint, "the upstream grads are left to the student"

    right, attempted, total = (int(x) for x in re.findall(r"\d+", run_cell(page, 1).split("SCORE", 1)[1])[:3])
    assert (right, attempted) == (1, 2)
    assert total == root.locator('input[aria-label$=" grad answer"]').count()


PRESENTER_CELL = README_CELL.replace("w = g.widget(", "w = g.widget(presenter=True, hide_grads=True, ")
HIDE_PROBE = "print('HIDE', w.hide_values, w.hide_grads)"


def test_presenter_mode_is_large_hides_secondary_controls_and_the_hide_switches_reach_python(
    page, jupyter_server, make_notebook
):
    root = _open(page, jupyter_server, make_notebook, [PRESENTER_CELL, HIDE_PROBE])
    assert "mgw-presenter" in root.get_attribute("class")
    assert float(root.evaluate("(r) => parseFloat(getComputedStyle(r).fontSize)")) >= 18
    assert not _button(root, "fit").is_visible(), "presenter mode hides the secondary controls"
    assert _button(root, "step backward").is_visible()
    assert all(text == "" for text in _grad_texts(root)), "hide_grads=True: every grad blank"
    save_screenshot(root, "presenter")

    root.locator('input[aria-label="hide grads"]').uncheck()
    wait_shows(page, root, {("a", "grad"): 138.8338, ("b", "grad"): 645.5773})
    root.locator('input[aria-label="hide values"]').check()
    page.wait_for_function(
        "(r) => r.querySelector('[data-label=\"g\"] [data-field=data]').textContent === ''", arg=root.element_handle()
    )
    assert field_text(root, "a", "data") == "-4.0000", "the leaves stay: they are the question's givens"
    assert "HIDE True False" in run_cell(page, 1)
