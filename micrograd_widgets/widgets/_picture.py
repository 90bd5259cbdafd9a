"""A static SVG picture of a Value graph, for places where no widget front-end runs.

GitHub's and nbviewer's notebook previews and PDF exports show a widget's
output as nothing at all; the graph widget adds this picture to its mime
bundle so a lecture notebook never shows an empty cell. Plain Python, no
Graphviz binary: columns by depth (inputs left, root right), one box per value.
"""

from html import escape

from ..wire import format_number, node_index

MAX_NODES = 400  # past this the picture says how big the graph is instead of drawing it
BOX_W, BOX_H, GAP_X, GAP_Y = 150, 46, 50, 14


def _columns(nodes):
    index = node_index(nodes)
    depth = [0] * len(nodes)
    for i, node in enumerate(nodes):  # topological: inputs come first
        if node.inputs:
            depth[i] = 1 + max(depth[index[id(child)]] for child in node.inputs)
    # a leaf sits just before its nearest consumer, not in a crowded first column
    nearest = [None] * len(nodes)
    for i, node in enumerate(nodes):
        for child in node.inputs:
            j = index[id(child)]
            nearest[j] = depth[i] if nearest[j] is None else min(nearest[j], depth[i])
    for i, node in enumerate(nodes):
        if not node.inputs and nearest[i] is not None:
            depth[i] = nearest[i] - 1
    return index, depth


def graph_svg(root) -> str:
    """An SVG string: each value's label, op, data and grad; edges from inputs to outputs."""
    nodes = root.topo()
    if len(nodes) > MAX_NODES:
        text = f"computation graph of {len(nodes)} values: open the notebook live to explore it"
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="560" height="40">'
            f'<text x="10" y="25" font-family="sans-serif" font-size="14">{escape(text)}</text></svg>'
        )
    index, depth = _columns(nodes)
    rows: dict = {}
    position = []
    for i in range(len(nodes)):
        row = rows.get(depth[i], 0)
        rows[depth[i]] = row + 1
        position.append((10 + depth[i] * (BOX_W + GAP_X), 10 + row * (BOX_H + GAP_Y)))
    width = 20 + (max(depth) + 1) * (BOX_W + GAP_X) - GAP_X
    height = 20 + max(rows.values()) * (BOX_H + GAP_Y) - GAP_Y
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">'
    ]
    for i, node in enumerate(nodes):
        x, y = position[i]
        for child in node.inputs:
            cx, cy = position[index[id(child)]]
            parts.append(f'<line x1="{cx + BOX_W}" y1="{cy + BOX_H / 2}" x2="{x}" y2="{y + BOX_H / 2}" stroke="#888"/>')
    for i, node in enumerate(nodes):
        x, y = position[i]
        title = " ".join(part for part in (node.label, node.op and f"({node.op})") if part) or node.kind
        fill = "#fdb863" if node.error else ("#e8eef7" if node.inputs else "#f4f4f4")
        parts.append(f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4" fill="{fill}" stroke="#555"/>')
        parts.append(f'<text x="{x + 6}" y="{y + 14}" font-weight="bold">{escape(title[:24])}</text>')
        parts.append(f'<text x="{x + 6}" y="{y + 28}">data {format_number(node.data)}</text>')
        parts.append(f'<text x="{x + 6}" y="{y + 41}">grad {format_number(node.grad)}</text>')
    parts.append("</svg>")
    return "".join(parts)
