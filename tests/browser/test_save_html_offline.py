"""save_html end to end: the page opened from disk (file://) in Chromium with no
server and every network request refused, and the widget in JupyterLab showing
its live view rather than the static picture its mime bundle also carries."""

import pytest
from graph_page import (
    README_CELL,
    assert_shows_engine_numbers,
    field_text,
    graph_root,
    move_slider_and_confirm,
    readme_expression,
    slider,
)
from harness import collapse_left_sidebar, open_in_lab, open_offline, run_all_cells, save_screenshot, wait_widget

pytestmark = pytest.mark.browser

HOSTILE = "</script><img src=x onerror=alert(1)>"


def _readme_widget():
    a, b, g = readme_expression(-4.0)
    g.label = "g"
    return g.widget(ranges={"a": (-5, 5, 0.01), "b": (-5, 5, 0.01)})


def test_saved_page_from_disk_replays_a_slider_move_with_no_network(page, tmp_path):
    path = _readme_widget().save_html(tmp_path / "graph.html")
    refused = open_offline(page, path)
    root = graph_root(page)
    assert field_text(root, "g", "data") == "24.7041"
    assert field_text(root, "a", "grad") == "138.8338"
    assert field_text(root, "b", "grad") == "645.5773"

    a_now = move_slider_and_confirm(page, root, "a", -2.5, timeout_ms=10_000)
    assert_shows_engine_numbers(root, a_now)
    assert root.get_attribute("data-sync") == "ok"
    assert refused == []
    assert not [line for line in page.mgw_console if line.startswith(("error", "pageerror"))], page.mgw_console
    save_screenshot(page, "save-html-offline")


def test_saved_page_chain_rule_panel_follows_the_slider_offline(page, tmp_path):
    from micrograd_widgets.wire import format_number

    path = _readme_widget().save_html(tmp_path / "graph.html")
    open_offline(page, path)
    root = graph_root(page)
    # the view opens readable at the output's end; "fit" brings the leaves into view
    root.locator('button[aria-label="fit"]').click()
    root.locator('[data-label="a"][data-node-id]').first.click()
    total = root.locator(".mgw-chain .mgw-chain-sum")  # a is used several times: its grad is a sum
    assert total.inner_text().endswith("= 138.8338")
    a_now = move_slider_and_confirm(page, root, "a", 1.25, timeout_ms=10_000)
    a, _b, _g = readme_expression(a_now)
    assert total.inner_text().endswith(f"= {format_number(a.grad)}")


def test_saved_page_shows_a_hostile_label_as_text(page, tmp_path):
    from micrograd_widgets import Value

    a = Value(1.5, label=HOSTILE)
    out = a * 2.0
    out.label = "out"
    path = out.widget().save_html(tmp_path / "hostile.html")
    open_offline(page, path)
    root = graph_root(page)
    assert slider(root, HOSTILE).count() == 1
    assert HOSTILE in root.inner_text()
    assert page.locator("img").count() == 0
    assert page.mgw_dialogs == []


def test_jupyterlab_prefers_the_live_widget_over_the_static_svg(page, jupyter_server, make_notebook):
    name = make_notebook([README_CELL])
    open_in_lab(page, jupyter_server, name)
    collapse_left_sidebar(page)
    run_all_cells(page)
    wait_widget(page, ".mgw-graph")
    outputs = page.locator(".jp-Cell .jp-OutputArea-output")
    assert page.locator(".jp-OutputArea-output .mgw-graph").count() == 1
    assert page.locator('.jp-OutputArea-output[data-mime-type="image/svg+xml"], .jp-RenderedSVG').count() == 0
    assert outputs.count() == 1


def test_saved_page_steps_backward_offline(page, tmp_path):
    path = _readme_widget().save_html(tmp_path / "graph.html")
    open_offline(page, path)
    root = graph_root(page)
    a_box = root.locator('[data-label="a"][data-node-id]').first
    root.get_by_role("button", name="step backward").click()
    assert a_box.get_attribute("data-step") == "pending"  # a's grad is not computed yet
    count = root.locator('[data-field="step"]')
    n = int(count.inner_text().split("/")[1])
    for _ in range(n):
        if count.inner_text().strip() == f"step {n} / {n}":
            break
        root.get_by_role("button", name="step backward").click()
    assert count.inner_text().strip() == f"step {n} / {n}"
    assert a_box.get_attribute("data-step") in ("done", "current")
    assert field_text(root, "a", "grad") == "138.8338"
    save_screenshot(page, "save-html-offline-stepped")


def test_saved_page_marks_exercise_answers_offline(page, tmp_path):
    a, b, g = readme_expression(-4.0)
    g.label = "g"
    path = g.widget(exercise=True).save_html(tmp_path / "exercise.html")
    open_offline(page, path)
    root = graph_root(page)
    answer_a = root.get_by_label("a grad answer")
    answer_a.fill("138.83")
    answer_a.press("Enter")
    answer_b = root.get_by_label("b grad answer")
    answer_b.fill("1")
    answer_b.press("Enter")
    assert root.locator('[data-label="a"][data-node-id]').first.get_attribute("data-answer") == "right"
    assert root.locator('[data-label="b"][data-node-id]').first.get_attribute("data-answer") == "wrong"
    assert root.locator('[data-field="score"]').get_attribute("data-right") == "1"
