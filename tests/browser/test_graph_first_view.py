"""The first view at a projector's size: JupyterLab 4 + Chromium at 1024x768 and 1280x720.

NOTE [first sight] in js/graph/placing.js: a graph that fits with legible text
opens whole (cut into bands when that fits better); a bigger one opens with the
output and the boxes holding the sliders' leaves in view where the room allows.
micrograd's README example used to open at the output's end with a and b, the
leaves the sliders drive, off screen.
"""

import json

import pytest
from graph_page import open_graph_in_lab
from harness import REPO_ROOT, save_screenshot
from student_graphs import VERBATIM

pytestmark = pytest.mark.browser

SIZES = [(1024, 768), (1280, 720)]
LEGIBLE_PX = 7  # NOTE [first sight]: a whole graph's text at least this tall on screen

# every box and the canvas, on screen (client px), and what the boxes say of the sliders
_SEEN_JS = """
(root) => {
  const rect = (el) => { const b = el.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const boxes = [...root.querySelectorAll('.mgw-canvas [data-node-id], .mgw-canvas [data-group]')];
  const out = root.querySelector('[data-root="true"][data-node-id]');
  const label = out && out.querySelector('.mgw-label');
  const scale = out ? out.getBoundingClientRect().width / out.offsetWidth : 0;
  return {
    canvas: rect(root.querySelector('.mgw-canvas')),
    window: [0, 0, innerWidth, innerHeight],
    nodes: [...root.querySelectorAll('.mgw-canvas [data-node-id]')]
      .map((n) => ({ id: n.dataset.nodeId, box: rect(n) })),
    out: out && rect(out),
    label_px: label ? parseFloat(getComputedStyle(label).fontSize) * scale : 0,
    holders: boxes.filter((b) => b.dataset.sliders).map((b) => ({ count: Number(b.dataset.sliders), box: rect(b),
      name: b.dataset.label || b.dataset.group })),
    sliders: root.querySelectorAll('input[type=range]').length,
  };
}
"""


def _inside(inner, outer, slack=1.0):
    return all(inner[k] >= outer[k] - slack for k in (0, 1)) and all(inner[k] <= outer[k] + slack for k in (2, 3))


def _first_sight(page, jupyter_server, make_notebook, cells, size):
    root = open_graph_in_lab(page, jupyter_server, make_notebook, cells, size, scroll_to_top=True)
    return root, root.evaluate(_SEEN_JS)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_readme_example_opens_whole_with_every_node_in_view(page, jupyter_server, make_notebook, size):
    cells = [VERBATIM + "print('NODES', len(out.topo()))", "g.widget()"]
    root, seen = _first_sight(page, jupyter_server, make_notebook, cells, size)
    n = int(page.locator(".jp-OutputArea").first.inner_text().split("NODES")[1].split()[0])
    assert sorted(int(node["id"]) for node in seen["nodes"]) == list(range(n)), "every node has its own box"
    outside = [node for node in seen["nodes"] if not _inside(node["box"], seen["canvas"])]
    assert not outside, f"{len(outside)} of {n} nodes outside the drawing area {seen['canvas']}: {outside[:3]}"
    assert _inside(seen["canvas"], seen["window"]), seen["canvas"]
    assert seen["label_px"] >= LEGIBLE_PX, seen["label_px"]
    assert seen["sliders"] == 2 and sum(h["count"] for h in seen["holders"]) == 2  # a and b, in view above
    save_screenshot(root, f"graph-verbatim-first-view-{size[0]}x{size[1]}")


def _lecture_cells():
    """Notebook 08 up to its first widget (its next cells move that widget's view with find())."""
    notebook = json.loads((REPO_ROOT / "examples" / "08_lecture_mlp_by_hand.ipynb").read_text())
    cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    sources = ["".join(cell["source"]) for cell in cells]
    last = next(k for k, text in enumerate(sources) if text.startswith("w = total_loss.widget()"))
    return sources[: last + 1]


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_big_graph_opens_with_the_output_and_the_slider_leaves_in_view(page, jupyter_server, make_notebook, size):
    root, seen = _first_sight(page, jupyter_server, make_notebook, _lecture_cells(), size)
    assert seen["out"] and _inside(seen["out"], seen["canvas"]) and _inside(seen["out"], seen["window"]), seen["out"]
    # every slider's leaf is in a box on screen: its own, or the group that holds it
    assert seen["sliders"] == 12
    assert sum(h["count"] for h in seen["holders"]) == seen["sliders"], seen["holders"]
    for holder in seen["holders"]:
        assert _inside(holder["box"], seen["canvas"]) and _inside(holder["box"], seen["window"]), holder
    assert seen["label_px"] >= LEGIBLE_PX, seen["label_px"]
    save_screenshot(root, f"graph-lecture-mlp-first-view-{size[0]}x{size[1]}")
