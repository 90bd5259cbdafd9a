"""A static picture of a trainer, for places where no widget front-end runs.

A notebook saved with its outputs and opened without a kernel (nbconvert to
HTML, a repository's notebook viewer) shows a widget as nothing at all; the
trainer adds this picture to its output: the plane (the model's field as a
small PNG, the points on top) and the loss curve, with the epoch and figures.
Plain Python: no numpy, no matplotlib. The colours are the page's
(js/trainer/colormap.js and palette.js; tests/test_cross_check_trainer.py
compares them).
"""

import base64
import math
import struct
import zlib
from html import escape

from ..training import figures
from ..wire import format_number

NEGATIVE = (43, 131, 186)  # class -1 and negative scores
POSITIVE = (230, 97, 1)  # class +1 and positive scores
CLASS_COLORS = ((0, 114, 178), (230, 159, 0), (204, 121, 167), (0, 158, 115),
                (213, 94, 0), (86, 180, 233), (240, 228, 66), (110, 110, 110))  # fmt: skip
MISSING = (160, 160, 160)
CELLS = 48  # the field's resolution: enough for a picture, cheap without numpy
SIZE = 240  # the plane's side, in pixels
CURVE = (SIZE, 90)
STRENGTH = 0.65


def _towards(color, a):
    return tuple(round(255 + (c - 255) * a) for c in color)


def _field_color(task, out, scale):
    if any(math.isnan(v) for v in out):
        return MISSING
    if task == "multiclass":
        top = max(out)
        e = [math.exp(v - top) for v in out]
        k = e.index(max(e))
        confidence = e[k] / sum(e)
        return _towards(CLASS_COLORS[k % len(CLASS_COLORS)], STRENGTH * (confidence * len(out) - 1) / (len(out) - 1))
    t = math.tanh((out[0] - scale[0]) / scale[1]) * STRENGTH
    return _towards(NEGATIVE if t < 0 else POSITIVE, abs(t))


def png(width, height, rows) -> bytes:
    """A PNG of RGB rows (top row first), written by hand: zlib and CRC from the standard library."""
    raw = b"".join(b"\x00" + bytes(v for pixel in row for v in pixel) for row in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _field(session):
    """The plane's field as PNG bytes (2-D), or None on a 1-D fit."""
    data, s = session.data, session.settings
    if session.dims != 2:
        return None
    layers = figures.layers(session.model)
    x0, x1, y0, y1 = data.extent
    if s["task"] == "regression":
        ys = data.targets or [0.0]
        lo, hi = min(ys), max(ys)
        scale = ((lo + hi) / 2 if lo < 0 < hi or lo == hi else (lo + hi) / 2, max((hi - lo) / 2, 1e-12))
    else:
        scale = (0.0, 1.0)
    rows = []
    for r in range(CELLS):
        y = y1 - (y1 - y0) * (r + 0.5) / CELLS  # the top row first
        row = []
        for c in range(CELLS):
            x = x0 + (x1 - x0) * (c + 0.5) / CELLS
            features = _network_input(session, [x, y])
            row.append(_field_color(s["task"], figures.forward(layers, features), scale))
        rows.append(row)
    return png(CELLS, CELLS, rows)


def _network_input(session, point):
    from ..data import feature_rows

    return feature_rows(session.data.inputs([point]), session.settings["features"])[0]


def _point_color(session, label):
    task = session.settings["task"]
    if task == "multiclass":
        return CLASS_COLORS[int(label) % len(CLASS_COLORS)]
    if task == "binary":
        return POSITIVE if label > 0 else NEGATIVE
    return (60, 60, 60)


def _rgb(color):
    return f"rgb({color[0]},{color[1]},{color[2]})"


def _plane(session) -> list:
    data = session.data
    x0, x1, y0, y1 = data.extent
    place = lambda x, y: (SIZE * (x - x0) / (x1 - x0), SIZE * (y1 - y) / (y1 - y0))  # noqa: E731
    out = [f'<rect width="{SIZE}" height="{SIZE}" fill="#fff" stroke="#999"/>']
    field = _field(session)
    if field is not None:
        href = "data:image/png;base64," + base64.b64encode(field).decode("ascii")
        out.append(f'<image href="{href}" width="{SIZE}" height="{SIZE}" preserveAspectRatio="none"/>')
    else:  # a 1-D fit: the model's curve over x
        layers = figures.layers(session.model)
        xs = [x0 + (x1 - x0) * k / 99 for k in range(100)]
        path = [place(x, figures.forward(layers, _network_input(session, [x]))[0]) for x in xs]
        points = " ".join(f"{px:.1f},{min(max(py, -SIZE), 2 * SIZE):.1f}" for px, py in path)
        out.append(f'<polyline points="{points}" fill="none" stroke="{_rgb(POSITIVE)}" stroke-width="2"/>')
    for p, label, test in zip(data.plane_points(), data.targets, data.test_flags, strict=True):
        px, py = place(*p)
        color = _rgb(_point_color(session, label))
        style = f'fill="none" stroke="{color}" stroke-width="1.5"' if test else f'fill="{color}" stroke="#222"'
        out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" {style}/>')
    return out


def _curve(session, top) -> list:
    w, h = CURVE
    losses = [(r["epoch"], r["loss"]) for r in session.history if math.isfinite(r["loss"])]
    out = [f'<rect y="{top}" width="{w}" height="{h}" fill="#fff" stroke="#999"/>',
           f'<text x="4" y="{top + h - 4}" font-size="10" fill="#555">loss per epoch</text>']  # fmt: skip
    if len(losses) >= 2:
        first, last = losses[0][0], losses[-1][0]
        high = max(v for _, v in losses) or 1.0
        points = " ".join(
            f"{w * (e - first) / max(1, last - first):.1f},{top + h - 14 - (h - 20) * v / high:.1f}" for e, v in losses
        )
        out.append(f'<polyline points="{points}" fill="none" stroke="#e66101" stroke-width="1.5"/>')
    return out


def caption(session) -> str:
    """The epoch and the figures, one line."""
    row = session.history[-1] if session.history else session.evaluate()
    metric = "R²" if session.task == "regression" else "accuracy"
    value = row.get("r2", row["accuracy"])
    return f"epoch {session.epoch} · loss {format_number(row['loss'])} · {metric} {format_number(value)}"


def trainer_svg(session) -> str:
    """An SVG string: the plane with its points, the loss curve, the epoch and figures."""
    with session.lock:
        s = session.settings
        text = f"Trainer: {s['data']}, MLP {session.model.sizes}, {s['loss']}, {s['optimizer']} · {caption(session)}"
        height = SIZE + CURVE[1] + 30
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{height}" '
            f'viewBox="0 0 {SIZE} {height}" font-family="sans-serif" role="img" aria-label="{escape(text)}">',
            f"<title>{escape(text)}</title>",
            *_plane(session),
            *_curve(session, SIZE + 6),
            f'<text x="0" y="{height - 6}" font-size="10" fill="#333">{escape(caption(session))}</text>',
            "</svg>",
        ]
    return "".join(parts)
