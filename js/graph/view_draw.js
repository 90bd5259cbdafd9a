// Drawing one visible graph: each node or collapsed group is an HTML box
// (absolutely placed on a stage that pans and zooms with a CSS transform),
// each link an SVG path underneath. HTML boxes because their text is real
// text (selectable, read by screen readers and by innerText); SVG for the
// curves. Built once per (expanded) structure; painting afterwards only
// rewrites text, classes and a few style properties of the elements kept here.
import { html, svg, set_text } from "../core/dom.js";
import { format_number as fmt } from "../core/format.js";
import { node_name } from "../core/names.js";

const BOX_H = 62;
const NOTE_H = 18; // room under a box for an error text or a finite-difference grad
const CHAR_W = 7.4;
const DOMAIN_OPS = new Set([4, 6, 7, 11]); // /, **, **c, log: the ops that can fail
const KIND_TEXT = { input: "input", parameter: "param", constant: "const", op: "" };

/** @param {import('../core/replay.js').Structure} s @param {import('./groups.js').Item} item */
export function item_size(s, item) {
  if (item.type === "group") return { w: 170, box_h: BOX_H, h: BOX_H };
  const i = item.rep;
  const head = (s.label[i].length + (s.op[i] || KIND_TEXT[s.kind[i]] || "").length) * CHAR_W + 34;
  const w = Math.round(Math.min(280, Math.max(132, head, 48 + 11 * CHAR_W)));
  const leaf = s.offsets[i] === s.offsets[i + 1];
  const noted = DOMAIN_OPS.has(s.code[i]) || (leaf && s.kind[i] !== "constant");
  return { w, box_h: BOX_H, h: BOX_H + (noted ? NOTE_H : 0) };
}

/**
 * Build every box and link.
 * @param {Document} doc
 * @param {any} ctx  the view's state (s, visible, layout, sizes)
 * @param {HTMLElement} stage  holds the boxes
 * @param {SVGGElement} links_layer
 */
export function build(doc, ctx, stage, links_layer) {
  const { s, visible, layout, sizes } = ctx;
  ctx.boxes = visible.items.map((item, k) => {
    const { w, box_h } = sizes[k];
    const place = (el) => {
      el.style.left = `${layout.x[k]}px`;
      el.style.top = `${layout.y[k]}px`;
      el.style.width = `${w}px`;
      el.style.height = `${box_h}px`;
      return el;
    };
    if (item.type === "group") {
      const count = item.members.length;
      const g = place(html(doc, "div", {
        class: "mgw-group", "data-group": item.key, tabindex: 0, role: "button",
        "aria-label": `expand ${item.key}`, title: `${item.key}: ${count} nodes, click to expand`,
      },
      html(doc, "div", { class: "mgw-head" }, html(doc, "span", { class: "mgw-label" }, item.key.split(".").slice(-2).join("."))),
      html(doc, "div", { class: "mgw-row mgw-muted" }, `${count} nodes ▸`)));
      stage.appendChild(g);
      return { g, item };
    }
    const i = item.rep;
    const leaf = s.offsets[i] === s.offsets[i + 1];
    const data = html(doc, "span", { class: "mgw-num", "data-field": "data" });
    const grad = html(doc, "span", { class: "mgw-num", "data-field": "grad" });
    const grad_row = html(doc, "div", { class: "mgw-row mgw-grad-row" }, html(doc, "span", { class: "mgw-key" }, "grad"), grad);
    const note = html(doc, "div", { class: "mgw-note" });
    const g = place(html(doc, "div", {
      class: `mgw-node mgw-kind-${s.kind[i]}`, "data-node-id": i, "data-label": s.label[i],
      tabindex: 0, role: "button", "aria-label": node_name(s, i),
    },
    // the body is contained (and skipped while off screen), the note hangs below it
    html(doc, "div", { class: "mgw-body" },
      html(doc, "div", { class: "mgw-head" },
        html(doc, "span", { class: "mgw-label" }, s.label[i]),
        html(doc, "span", { class: leaf ? "mgw-kind" : "mgw-op" }, s.op[i] || KIND_TEXT[s.kind[i]] || "")),
      html(doc, "div", { class: "mgw-row" }, html(doc, "span", { class: "mgw-key" }, "data"), data),
      grad_row),
    note));
    stage.appendChild(g);
    return { g, item, data, grad, grad_row, note, error: null, leaf, shade: "" };
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
 * A grad's shade: blue below zero, orange above (a colour-blind-safe diverging
 * pair), stronger for larger magnitudes on a log scale.
 * @returns {[string, number]} class suffix and strength 0..1
 */
function grad_shade(g, scale) {
  if (Number.isNaN(g)) return ["nan", 0.5];
  if (g === 0) return ["zero", 0];
  const t = Number.isFinite(g) && scale > 0 ? Math.min(1, Math.log1p(Math.abs(g)) / Math.log1p(scale)) : 1;
  return [g > 0 ? "pos" : "neg", 0.15 + 0.55 * t];
}

/**
 * Rewrite the numbers, colours, errors and (unless edges is false) edge widths from ctx's arrays.
 * @param {any} ctx
 * @param {boolean} [edges]
 */
export function paint(ctx, edges = true) {
  const { s, data, errors, numeric, show_numeric } = ctx;
  // the teaching modes (teaching.js) show part of backward or hide numbers:
  // shown_* replace the arrays drawn, blank_* (1 = show nothing) blank the text
  const grad = ctx.shown_grad || ctx.grad, contrib = ctx.shown_contrib || ctx.contrib;
  const blank_grad = ctx.blank_grad || null, blank_data = ctx.blank_data || null;
  let scale = 0;
  for (let i = 0; i < s.n; i++) if (Number.isFinite(grad[i]) && Math.abs(grad[i]) > scale && !blank_grad?.[i]) scale = Math.abs(grad[i]);
  for (const box of ctx.boxes) {
    if (box.item.type === "group") continue;
    const i = box.item.rep;
    set_text(box.data, blank_data?.[i] ? "" : fmt(data[i]));
    set_text(box.grad, blank_grad?.[i] ? "" : fmt(grad[i]));
    const [shade, strength] = blank_grad?.[i] ? ["blank", 0] : grad_shade(grad[i], scale);
    if (box.shade !== shade) { box.grad_row.setAttribute("class", `mgw-row mgw-grad-row mgw-grad-${shade}`); box.shade = shade; }
    const shade_text = `${Math.round(strength * 100)}%`;
    if (box.shade_text !== shade_text) { box.grad_row.style.setProperty("--mgw-shade", shade_text); box.shade_text = shade_text; }
    const error = errors[i];
    if (error !== box.error) {
      if (error) box.g.setAttribute("data-error", error); else box.g.removeAttribute("data-error");
      box.g.classList.toggle("mgw-has-error", Boolean(error));
      if (error) box.note.setAttribute("data-field", "error"); else box.note.removeAttribute("data-field");
      box.note.classList.toggle("mgw-error-text", Boolean(error));
      box.error = error;
    }
    let note = "";
    if (error) note = `⚠ ${error}`;
    else if (box.leaf && show_numeric && !blank_grad?.[i] && numeric && numeric.length === s.n && !Number.isNaN(numeric[i])) note = `finite diff: ${fmt(numeric[i])}`;
    set_text(box.note, note);
  }
  if (!edges) return;
  // edge width: the size of the contribution it carries back, relative to the largest
  const sizes = ctx.visible.links.map((link) => {
    let total = 0;
    for (const e of link.edges) total += Math.abs(contrib[e]);
    return total;
  });
  let largest = 0;
  for (const x of sizes) if (Number.isFinite(x) && x > largest) largest = x;
  // attribute writes are what a big graph's repaint costs: write only what changed,
  // with widths in quarter pixels so that tiny changes write nothing
  const previous = (ctx.path_looks ||= new Array(ctx.paths.length).fill(""));
  ctx.paths.forEach((path, k) => {
    const x = sizes[k];
    const width = Number.isNaN(x) ? 1 : 1 + 5 * (largest > 0 ? Math.sqrt(Math.min(1, x / largest)) : 0);
    const look = (Math.round(width * 4) / 4).toFixed(2) + (Number.isNaN(x) ? "n" : "");
    if (look === previous[k]) return;
    if (Number.isNaN(x) !== previous[k].endsWith("n") || !previous[k]) {
      path.setAttribute("class", Number.isNaN(x) ? "mgw-edge mgw-edge-nan" : "mgw-edge");
    }
    path.setAttribute("stroke-width", look.replace("n", ""));
    previous[k] = look;
  });
}
