// The SVG of one visible graph: a box per node or collapsed group, a path per
// link. Built once per (expanded) structure; painting afterwards only rewrites
// text, fills, widths and attributes of the elements kept here.
import { svg, set_text } from "./dom.js";
import { format_number as fmt } from "./format.js";
import { node_name } from "./chain_panel.js";

const BOX_H = 58;
const NOTE_H = 16; // room under a box for an error text or a finite-difference grad
const CHAR_W = 7.2;
const DOMAIN_OPS = new Set([4, 6, 7, 11]); // /, **, **c, log: the ops that can fail
const KIND_TEXT = { input: "input", parameter: "param", constant: "const", op: "" };

/** @param {import('./replay.js').Structure} s @param {import('./groups.js').Item} item */
export function item_size(s, item) {
  if (item.type === "group") return { w: 170, box_h: BOX_H, h: BOX_H };
  const i = item.rep;
  const head = (s.label[i].length + (s.op[i] || KIND_TEXT[s.kind[i]] || "").length) * CHAR_W + 30;
  const w = Math.min(280, Math.max(128, head, 44 + 11 * CHAR_W));
  const leaf = s.offsets[i] === s.offsets[i + 1];
  const noted = DOMAIN_OPS.has(s.code[i]) || (leaf && s.kind[i] !== "constant");
  return { w, box_h: BOX_H, h: BOX_H + (noted ? NOTE_H : 0) };
}

/**
 * Build the elements of every box and link.
 * @param {Document} doc
 * @param {any} ctx  the view's state (s, visible, layout, sizes)
 * @param {SVGGElement} nodes_layer
 * @param {SVGGElement} links_layer
 */
export function build(doc, ctx, nodes_layer, links_layer) {
  const { s, visible, layout, sizes } = ctx;
  ctx.boxes = visible.items.map((item, k) => {
    const { w, box_h } = sizes[k];
    const at = `translate(${layout.x[k].toFixed(1)},${layout.y[k].toFixed(1)})`;
    if (item.type === "group") {
      const count = item.members.length;
      const g = svg(doc, "g", { class: "mgw-group", transform: at, "data-group": item.key, tabindex: 0, role: "button", "aria-label": `expand ${item.key}` },
        svg(doc, "title", {}, `${item.key}: ${count} nodes, click to expand`),
        svg(doc, "rect", { class: "mgw-box", width: w, height: box_h, rx: 8 }),
        svg(doc, "rect", { class: "mgw-box-inner", x: 4, y: 4, width: w - 8, height: box_h - 8, rx: 6 }),
        svg(doc, "text", { class: "mgw-label", x: 12, y: 22 }, item.key.split(".").slice(-2).join(".")),
        svg(doc, "text", { class: "mgw-key", x: 12, y: 42 }, `${count} nodes ▸`));
      nodes_layer.appendChild(g);
      return { g, item };
    }
    const i = item.rep;
    const leaf = s.offsets[i] === s.offsets[i + 1];
    const data = svg(doc, "text", { class: "mgw-num", x: w - 8, y: 36, "data-field": "data" });
    const grad = svg(doc, "text", { class: "mgw-num", x: w - 8, y: 52, "data-field": "grad" });
    const grad_bg = svg(doc, "rect", { class: "mgw-grad-bg", x: 2, y: 40, width: w - 4, height: 16, rx: 3 });
    const note = svg(doc, "text", { class: "mgw-note", x: 4, y: box_h + 12 });
    const g = svg(doc, "g", {
      class: `mgw-node mgw-kind-${s.kind[i]}`, transform: at, "data-node-id": i, "data-label": s.label[i],
      tabindex: 0, role: "button", "aria-label": node_name(s, i),
    },
    svg(doc, "rect", { class: "mgw-box", width: w, height: box_h, rx: 6 }),
    grad_bg,
    svg(doc, "text", { class: "mgw-label", x: 8, y: 17 }, s.label[i]),
    svg(doc, "text", { class: leaf ? "mgw-kind" : "mgw-op", x: w - 8, y: 17 }, s.op[i] || KIND_TEXT[s.kind[i]] || ""),
    svg(doc, "text", { class: "mgw-key", x: 8, y: 36 }, "data"),
    svg(doc, "text", { class: "mgw-key", x: 8, y: 52 }, "grad"),
    data, grad, note);
    nodes_layer.appendChild(g);
    return { g, item, data, grad, grad_bg, note, error: null, leaf };
  });
  ctx.paths = visible.links.map((link) => {
    const from = link.from, to = link.to;
    const x1 = layout.x[from] + sizes[from].w, y1 = layout.y[from] + sizes[from].box_h / 2;
    const x2 = layout.x[to], y2 = layout.y[to] + sizes[to].box_h / 2;
    const bend = Math.max(24, (x2 - x1) / 2);
    const d = `M${x1.toFixed(1)},${y1.toFixed(1)} C${(x1 + bend).toFixed(1)},${y1.toFixed(1)} ${(x2 - bend).toFixed(1)},${y2.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`;
    const path = svg(doc, "path", { class: "mgw-edge", d, "marker-end": `url(#${ctx.marker_id})` });
    links_layer.appendChild(path);
    return path;
  });
}

/**
 * Fill colour for a grad: blue below zero, orange above (a colour-blind-safe
 * diverging pair), stronger for larger magnitudes on a log scale.
 * @returns {[string, number]} class suffix and opacity
 */
function grad_shade(g, scale) {
  if (Number.isNaN(g)) return ["nan", 0.35];
  if (g === 0) return ["zero", 0];
  const t = Number.isFinite(g) && scale > 0 ? Math.min(1, Math.log1p(Math.abs(g)) / Math.log1p(scale)) : 1;
  return [g > 0 ? "pos" : "neg", 0.12 + 0.5 * t];
}

/** Rewrite the numbers, colours, errors and edge widths from ctx's arrays. */
export function paint(ctx) {
  const { s, data, grad, errors, contrib, numeric, show_numeric } = ctx;
  let scale = 0;
  for (let i = 0; i < s.n; i++) if (Number.isFinite(grad[i]) && Math.abs(grad[i]) > scale) scale = Math.abs(grad[i]);
  for (const box of ctx.boxes) {
    if (box.item.type === "group") continue;
    const i = box.item.rep;
    set_text(box.data, fmt(data[i]));
    set_text(box.grad, fmt(grad[i]));
    const [shade, opacity] = grad_shade(grad[i], scale);
    if (box.shade !== shade) { box.grad_bg.setAttribute("class", `mgw-grad-bg mgw-grad-${shade}`); box.shade = shade; }
    box.grad_bg.setAttribute("fill-opacity", opacity.toFixed(2));
    const error = errors[i];
    if (error !== box.error) {
      if (error) box.g.setAttribute("data-error", error); else box.g.removeAttribute("data-error");
      box.g.setAttribute("class", `mgw-node mgw-kind-${s.kind[i]}${error ? " mgw-has-error" : ""}`);
      box.error = error;
    }
    let note = "";
    if (error) note = `⚠ ${error}`;
    else if (box.leaf && show_numeric && numeric && numeric.length === s.n && !Number.isNaN(numeric[i])) note = `finite diff: ${fmt(numeric[i])}`;
    set_text(box.note, note);
    box.note.setAttribute("class", error ? "mgw-note mgw-error-text" : "mgw-note");
    if (error) box.note.setAttribute("data-field", "error"); else box.note.removeAttribute("data-field");
  }
  // edge width: the size of the contribution it carries back, relative to the largest
  const sizes = ctx.visible.links.map((link) => {
    let total = 0;
    for (const e of link.edges) total += Math.abs(contrib[e]);
    return total;
  });
  let largest = 0;
  for (const x of sizes) if (Number.isFinite(x) && x > largest) largest = x;
  ctx.paths.forEach((path, k) => {
    const x = sizes[k];
    const width = Number.isNaN(x) ? 1 : 1 + 5 * (largest > 0 ? Math.sqrt(Math.min(1, x / largest)) : 0);
    path.setAttribute("stroke-width", width.toFixed(2));
    path.setAttribute("class", Number.isNaN(x) ? "mgw-edge mgw-edge-nan" : "mgw-edge");
  });
}
