"""save_html: one self-contained page of a widget that stays live without a kernel.

The page carries the widget's traits (a JSON blob, binary values as base64),
the widget's bundle and the offline models (``js/offline/``) as base64 text,
the bundle's CSS, and a few lines of loader. Opened from disk, the loader
imports both modules from Blob URLs and calls the widget's own ``render`` with
an offline model: the graph's answers the view's slider messages by replaying
in the browser; the trainer's lets the page train and answers what needs no
Python. Nothing is fetched: a Content-Security-Policy in the page forbids it.
"""

from __future__ import annotations

import base64
import html
import json
import math
import pathlib

import anywidget

from .._bundle import bundle_path
from ._picture import graph_svg

# traits every anywidget has (layout, _view_name ...): the page needs only the widget's own
BASE_TRAITS = frozenset(anywidget.AnyWidget.class_trait_names(sync=True))

CSP = (
    "default-src 'none'; script-src 'unsafe-inline' blob:; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src 'none'; connect-src 'none'"
)

# NOTE [the loader]
# Both modules travel as base64 so no byte of them can end the <script> element
# that holds them (a bundle may contain "</script" or "<!--" in a string), and
# are imported from Blob URLs, which Chromium allows from a file:// page.
LOADER = """\
const text = (id) => document.getElementById(id).textContent;
const load = (id) => {
  const bytes = Uint8Array.from(atob(text(id).trim()), (c) => c.charCodeAt(0));
  return import(URL.createObjectURL(new Blob([bytes], { type: "text/javascript" })));
};
const el = document.getElementById("mgw-root");
try {
  const [offline, widget] = await Promise.all([load("mgw-offline"), load("mgw-bundle")]);
  await offline.boot({ el, saved: JSON.parse(text("mgw-state")), widget: widget.default, exports: widget });
  el.setAttribute("data-offline", "ready");
} catch (error) {
  el.setAttribute("data-offline", "failed");
  const p = document.createElement("p");
  p.textContent = `The live widget could not start (${error}); the picture above is static.`;
  el.append(p);
}
"""

PAGE_CSS = """\
:root { color-scheme: light dark; }
body { margin: 16px; font-family: system-ui, sans-serif; }
"""


def widget_state(widget, extra=None) -> dict:
    """The widget's own synced traits (and ``extra`` entries beside them): ``{"state", "buffer_paths",
    "buffers"}`` with buffers as base64."""
    state = {k: v for k, v in widget.get_state().items() if k not in BASE_TRAITS and not k.startswith("_")}
    state.update(extra or {})
    paths: list = []
    buffers: list = []
    clean = _take_buffers(state, [], paths, buffers)
    return {
        "state": clean,
        "buffer_paths": paths,
        "buffers": [base64.b64encode(bytes(b)).decode("ascii") for b in buffers],
    }


def _take_buffers(value, path, paths, buffers):
    """A copy of value with bytes replaced by None, their paths and contents recorded (ipywidgets' format)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        paths.append(path)
        buffers.append(value)
        return None
    if isinstance(value, dict):
        return {k: _take_buffers(v, path + [k], paths, buffers) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_take_buffers(v, path + [k], paths, buffers) for k, v in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN; the numbers that may be NaN travel as float64 buffers
    return value


def script_json(obj) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' survives, so no '</script>' or '<!--'."""
    text = json.dumps(obj, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _base64_file(name: str) -> str:
    # as base64, for a Blob URL: NOTE [the loader]
    return base64.b64encode(bundle_path(name).read_bytes()).decode("ascii")


def page(widget, title: str | None = None) -> str:
    """The whole HTML page for a GraphWidget, as text."""
    title = title or f"computation graph of {widget.root.label or 'a value'}"
    return document("graph", title, widget_state(widget), graph_svg(widget.root))


def document(bundle: str, title: str, saved: dict, fallback: str) -> str:
    """A self-contained page of the widget bundle ``bundle`` on the saved state ``saved``;
    ``fallback`` (HTML the package made: a picture) shows until the live widget starts."""
    css = bundle_path(f"{bundle}.css").read_text(encoding="utf-8").replace("</style", "<\\/style")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="micrograd_widgets save_html">
<title>{html.escape(title)}</title>
<style>{PAGE_CSS}</style>
<style>{css}</style>
</head>
<body>
<div id="mgw-root" class="mgw-offline" data-offline="loading">{fallback}</div>
<script type="application/json" id="mgw-state">{script_json(saved)}</script>
<script type="text/plain" id="mgw-offline">{_base64_file("offline.js")}</script>
<script type="text/plain" id="mgw-bundle">{_base64_file(f"{bundle}.js")}</script>
<script type="module">
{LOADER}</script>
</body>
</html>
"""


def save_html(widget, path, title: str | None = None) -> pathlib.Path:
    """Write ``page(widget)`` (the widget's own ``_page`` when it has one) to ``path`` (UTF-8); return the path."""
    path = pathlib.Path(path)
    text = widget._page(title) if hasattr(widget, "_page") else page(widget, title)
    path.write_text(text, encoding="utf-8")
    return path
