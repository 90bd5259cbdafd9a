"""save_html's page (self-contained, state that round-trips, labels that stay text) and the widget's mime bundle."""

import base64
import json
import math
import re

import pytest
from expressions import micrograd_readme_expression as readme_expression

from micrograd_widgets import Value
from micrograd_widgets._bundle import bundle_path
from micrograd_widgets.widgets import _html
from micrograd_widgets.wire import unpack

HOSTILE = "</script><img src=x onerror=alert(1)>"


def readme_widget():
    a, b, g = readme_expression()
    g.label = "g"
    return g.widget(ranges={"a": (-5, 5, 0.01), "b": (-5, 5, 0.01)})


def script_text(page, element_id):
    match = re.search(rf'<script[^>]*id="{element_id}"[^>]*>(.*?)</script>', page, re.S)
    assert match, f"no <script id={element_id}> in the page"
    return match.group(1)


def saved_state(page):
    """The page's state blob with its buffers put back at their paths (what decode_state does in JS)."""
    saved = json.loads(script_text(page, "mgw-state"))
    state = saved["state"]
    for path, text in zip(saved["buffer_paths"], saved["buffers"], strict=True):
        target = state
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = base64.b64decode(text)
    return state


def test_page_fetches_nothing_from_the_network():
    page = _html.page(readme_widget())
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"""(import|from)\s*\(?\s*["']https?:""", page)
    assert "@import" not in page and "url(http" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp


def test_page_inlines_the_bundle_the_offline_model_and_the_css():
    page = _html.page(readme_widget())
    assert base64.b64decode(script_text(page, "mgw-bundle")) == bundle_path("graph.js").read_bytes()
    assert base64.b64decode(script_text(page, "mgw-offline")) == bundle_path("offline.js").read_bytes()
    assert bundle_path("graph.css").read_text(encoding="utf-8").strip()[:200] in page


def test_state_round_trips_with_the_current_numbers():
    w = readme_widget()
    w.set("a", 3.0)
    state = saved_state(_html.page(w))
    for name in ("data", "grad", "numeric_grad"):
        assert state[name] == getattr(w, name)
    assert state["structure"]["const"] == w.structure["const"]
    assert {k: v for k, v in state["structure"].items() if k != "const"} == {
        k: v for k, v in w.structure.items() if k != "const"
    }
    assert state["sliders"] == w.sliders
    assert unpack(state["data"])[-1] == w.root.data  # g after a = 3


def test_state_holds_no_anywidget_internals():
    state = saved_state(_html.page(readme_widget()))
    assert not any(name.startswith("_") for name in state)
    assert "layout" not in state


def test_nan_and_errors_survive_the_page():
    a = Value(2.0, label="a")
    w = (a * 3.0).log().widget()
    w.set("a", -1.0)  # a slider can reach the domain error the engine refuses eagerly
    state = saved_state(_html.page(w))
    assert math.isnan(unpack(state["data"])[-1])
    assert "log" in next(iter(state["errors"].values()))


def test_hostile_label_stays_text():
    a = Value(1.0, label=HOSTILE)
    b = a * 2.0
    b.label = "<!--b"
    page = _html.page(b.widget())
    assert "<img" not in page
    assert "<!--" not in page
    # every '</script' in the page closes one of its own four script elements
    assert len(re.findall(r"</script", page, re.I)) == len(re.findall(r"<script\b", page, re.I)) == 4
    labels = saved_state(page)["structure"]["label"]
    assert HOSTILE in labels and "<!--b" in labels


def test_save_html_writes_one_utf8_file(tmp_path):
    w = readme_widget()
    path = w.save_html(tmp_path / "graph.html", title="chain rule")
    assert path == tmp_path / "graph.html"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<title>chain rule</title>" in text
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_page_shows_the_static_picture_until_the_live_view_starts():
    page = _html.page(readme_widget())
    root = re.search(r'<div id="mgw-root"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert root.startswith("<svg") and "data 24.7041" in root


# ---- the mime bundle -----------------------------------------------------------------


def test_mime_bundle_has_the_widget_view_and_a_static_svg():
    w = readme_widget()
    data, _metadata = w._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == w.model_id
    assert data["image/svg+xml"].startswith("<svg") and "data 24.7041" in data["image/svg+xml"]
    assert "GraphWidget" in data["text/plain"]


def _execute(cells):
    import nbformat  # imported here: seconds to import, and only the slow tests need it
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    return notebook


README_CELLS = [
    f"import sys; sys.path.insert(0, {str(__import__('pathlib').Path(__file__).parent)!r})",
    "from expressions import micrograd_readme_expression\na, b, g = micrograd_readme_expression()\ng.widget()",
]


@pytest.mark.slow
def test_nbconvert_without_widget_state_shows_the_svg_picture():
    from nbconvert import HTMLExporter

    notebook = _execute(README_CELLS)
    notebook.metadata.pop("widgets", None)  # as GitHub and nbviewer see it: no widget state
    body, _ = HTMLExporter().from_notebook_node(notebook)
    output = re.search(
        r'data-mime-type="image/svg\+xml"[^>]*>\s*<img[^>]*src="data:image/svg\+xml;base64,([^"]+)"', body
    )
    assert output, "the exported cell shows no SVG picture"
    assert "data 24.7041" in base64.b64decode(output.group(1)).decode()


@pytest.mark.slow
def test_nbconvert_with_widget_state_loads_the_widget_manager_from_a_cdn():
    # the documented limit: this export is live only with network (save_html is the offline path)
    from nbconvert import HTMLExporter

    notebook = _execute(README_CELLS)
    assert "widgets" in notebook.metadata
    body, _ = HTMLExporter().from_notebook_node(notebook)
    assert re.search(r"https://[^'\"]*@jupyter-widgets/html-manager", body)
