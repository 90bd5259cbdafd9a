// Drawing one visible graph: each node or collapsed group is an HTML box
// (absolutely placed on a stage that pans and zooms with a CSS transform),
// each link an SVG path underneath. HTML boxes because their text is real
// text (selectable, read by screen readers and by innerText); SVG for the
// curves. Boxes and paths are made one at a time, for the part of the drawing
// in view (viewport.js decides which); painting afterwards only rewrites text,
// classes and a few style properties of the elements kept here.
import { html, svg, set_text } from "../core/dom.js";
import { format_number as fmt } from "../core/format.js";
import { node_name, shown_name } from "../core/names.js";
import { BAND_GAP, BAND_TURN } from "./layout.js";

const BOX_H = 62;
const NOTE_H = 18; // room under a box for an error text or a finite-difference grad
const CHAR_W = 7.4;
const DOMAIN_OPS = new Set([4, 6, 7, 11]); // /, **, **c, log: the ops that can fail
const KIND_TEXT = { input: "input", parameter: "param", constant: "const", op: "" };

/**
 * The op text of a node: its op, and the constants folded into it ("* -1", "+ 1").
 * @param {import('../core/replay.js').Structure} s
 * @param {import('./groups.js').Item} item
 * @param {Float64Array} data
 */
export function op_text(s, item, data) {
  const i = item.rep;
  const base = s.op[i] || KIND_TEXT[s.kind[i]] || "";
  if (!item.consts?.length) return base;
  // the constants' values never change: they are written once, with the op
  return `${base} ${item.consts.map((c) => short_number(data[c])).join(", ")}`;
}

/** A constant as a reader writes it: 1, -0.5, 0.0001, 1e-9. */
export function short_number(x) {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}

/**
 * @param {import('../core/replay.js').Structure} s
 * @param {import('./groups.js').Item} item
 * @param {Float64Array} data
 */
export function item_size(s, item, data) {
  if (item.type === "group") return { w: 190, box_h: BOX_H, h: BOX_H };
  const i = item.rep;
  const head = (shown_name(s, i).length + op_text(s, item, data).length) * CHAR_W + 34;
  const w = Math.round(Math.min(300, Math.max(132, head, 48 + 11 * CHAR_W)));
  const leaf = s.offsets[i] === s.offsets[i + 1];
  const noted = DOMAIN_OPS.has(s.code[i]) || (leaf && s.kind[i] !== "constant");
  return { w, box_h: BOX_H, h: BOX_H + (noted ? NOTE_H : 0) };
}

/**
 * What a group box says: its title, a count line, and how a click opens it;
 * its accessible name says the same words (WCAG 2.5.3).
 * @param {import('./groups.js').VisibleGraph} visible
 * @param {import('./groups.js').Item} item
 * @param {Map<string, number>} picks
 */
export function group_text(visible, item, picks) {
  const f = visible.folding;
  const g = item.group ?? -1;
  if (!f || g < 0) {
    const count = item.members.length;
    return {
      title: item.key,
      line: `${count} nodes ▸`,
      count,
      repeat: 0,
      label: `${item.key}, ${count} nodes: expand`,
    };
  }
  if (item.rest) {
    const list = f.instances[g];
    const key = f.key[g];
    const pick = Math.min(list.length - 1, picks.get(key) ?? 0);
    let count = 0;
    list.forEach((h, k) => {
      if (k !== pick) count += f.count[h];
    });
    return {
      title: `${list.length - 1} more like ${f.title[list[pick]]}`,
      line: `showing ${pick + 1} of ${list.length} ▸ next`,
      count,
      repeat: list.length - 1,
      label: `${list.length - 1} more like ${f.title[list[pick]]}, showing ${pick + 1} of ${list.length}: next`,
    };
  }
  const count = f.count[g];
  const repeat = f.kind[g] === "repeat" ? f.instances[g].length : 0;
  const nodes = `${count.toLocaleString("en-US")} node${count === 1 ? "" : "s"}`;
  let title = f.title[g];
  const p = f.parent[g];
  if (p >= 0 && f.kind[p] === "repeat") {
    // one instance of an open repeat group: say which
    const list = f.instances[p];
    title = `${title} (${list.indexOf(g) + 1} of ${list.length})`;
  }
  return {
    title,
    line: repeat ? `${nodes}, one shown ▸` : `${nodes} ▸`,
    count,
    repeat,
    label: `${title}, ${nodes}${repeat ? ", one shown" : ""}: expand`,
  };
}

/**
 * Make item k's box (not yet on the stage).
 * @param {Document} doc
 * @param {any} ctx  the view's state (s, visible, layout, sizes, picks)
 * @param {number} k
 */
export function make_box(doc, ctx, k) {
  const { s, visible, layout, sizes } = ctx;
  const item = visible.items[k];
  const { w, box_h } = sizes[k];
  const place = (el) => {
    el.style.left = `${layout.x[k]}px`;
    el.style.top = `${layout.y[k]}px`;
    el.style.width = `${w}px`;
    el.style.height = `${box_h}px`;
    return el;
  };
  if (item.type === "group") {
    const text = group_text(visible, item, ctx.picks);
    const g = place(
      html(
        doc,
        "div",
        {
          class: `mgw-group${item.rest ? " mgw-rest" : ""}`,
          "data-group": item.key,
          "data-count": text.count,
          "data-repeat": text.repeat || null,
          "data-sliders": ctx.sliders_in?.get(k) || null,
          tabindex: -1,
          role: "button",
          "aria-label": text.label,
          title: `${text.title}: ${text.count} nodes inside, click to ${item.rest ? "show the next" : "expand"}`,
        },
        html(doc, "div", { class: "mgw-head" }, html(doc, "span", { class: "mgw-label" }, text.title)),
        html(doc, "div", { class: "mgw-row mgw-muted" }, text.line),
      ),
    );
    return { g, item, k };
  }
  const i = item.rep;
  const leaf = s.offsets[i] === s.offsets[i + 1];
  const name = shown_name(s, i);
  // NOTE: a box is five elements and three text nodes; every element costs
  // the page memory (style, layout, fragments), and a class opens dozens of
  // these widgets. The numbers are bare text nodes in their rows, the
  // captions "data"/"grad" are drawn by CSS (data-key), the op is the head's
  // own text after the label, and the note under the box is made when it
  // first has something to say.
  const data = doc.createTextNode("");
  const grad = doc.createTextNode("");
  const grad_row = html(doc, "div", { class: "mgw-row mgw-grad-row", "data-key": "grad", "data-field": "grad" }, grad);
  const g = place(
    html(
      doc,
      "div",
      {
        class: `mgw-node mgw-kind-${s.kind[i]}`,
        "data-node-id": i,
        "data-label": name,
        "data-root": i === s.n - 1 ? "true" : null,
        "data-sliders": ctx.sliders_in?.get(k) || null,
        tabindex: -1,
        role: "button",
        "aria-label": node_name(s, i), // painting adds the numbers: NOTE [a box's name]
      },
      html(
        doc,
        "div",
        { class: leaf ? "mgw-head mgw-head-kind" : "mgw-head mgw-head-op" },
        html(doc, "span", { class: "mgw-label" }, name),
        op_text(s, item, ctx.data),
      ),
      html(doc, "div", { class: "mgw-row", "data-key": "data", "data-field": "data" }, data),
      grad_row,
    ),
  );
  return { g, item, k, data, grad, grad_row, note: null, error: null, leaf, shade: "" };
}

/** The box's note (an error, a finite-difference grad), made the first time there is one to show. */
function box_note(box) {
  if (!box.note) {
    box.note = html(box.g.ownerDocument, "div", { class: "mgw-note" });
    box.g.appendChild(box.note);
  }
  return box.note;
}

/**
 * Make link k's path (not yet in the layer).
 * @param {Document} doc
 * @param {any} ctx
 * @param {number} k
 */
export function make_path(doc, ctx, k) {
  const { visible, layout, sizes } = ctx;
  const link = visible.links[k];
  const from = link.from,
    to = link.to;
  const x1 = layout.x[from] + sizes[from].w,
    y1 = layout.y[from] + sizes[from].box_h / 2;
  const x2 = layout.x[to],
    y2 = layout.y[to] + sizes[to].box_h / 2;
  const f = (v) => v.toFixed(1);
  let d;
  if (layout.band && layout.band[from] !== layout.band[to]) {
    // on into another band: out to the right, along the gap above the target's band, in from the left (NOTE [bands])
    // links share the gap in five lanes, so that their runs along it do not lie on one line
    const gy = layout.band_top[layout.band[to]] - BAND_GAP / 2 + ((k % 5) - 2) * 6,
      r = BAND_TURN;
    const out_x = x1 + r,
      in_x = x2 - r;
    const down = Math.sign(gy - y1) || 1,
      along = Math.sign(in_x - out_x) || -1,
      into = Math.sign(y2 - gy) || 1;
    d =
      `M${f(x1)},${f(y1)} Q${f(out_x)},${f(y1)} ${f(out_x)},${f(y1 + down * r)} L${f(out_x)},${f(gy - down * r)} ` +
      `Q${f(out_x)},${f(gy)} ${f(out_x + along * r)},${f(gy)} L${f(in_x - along * r)},${f(gy)} ` +
      `Q${f(in_x)},${f(gy)} ${f(in_x)},${f(gy + into * r)} L${f(in_x)},${f(y2 - into * r)} Q${f(in_x)},${f(y2)} ${f(x2)},${f(y2)}`;
  } else {
    const bend = Math.max(24, (x2 - x1) / 2);
    d = `M${f(x1)},${f(y1)} C${f(x1 + bend)},${f(y1)} ${f(x2 - bend)},${f(y2)} ${f(x2)},${f(y2)}`;
  }
  return svg(doc, "path", { class: "mgw-edge", d, "marker-end": `url(#${ctx.marker_id})` });
}

// NOTE [a box's name]
// A node box's accessible name is what the box shows, in its words and
// numbers: "c: data -1.0000, grad -6.9417", and its note (an error, a
// finite-difference grad). Painting rewrites it with the numbers, so a screen
// reader hears the numbers a slider just moved. A blank number (hidden, not yet
// stepped to, an exercise's question) is left out: the name never says more
// than the box.
/**
 * @param {import('../core/replay.js').Structure} s
 * @param {number} i
 * @param {string} data_text  as the box shows it ("" when blank)
 * @param {string} grad_text
 * @param {string} note
 */
function box_name(s, i, data_text, grad_text, note) {
  const parts = [];
  if (data_text) parts.push(`data ${data_text}`);
  if (grad_text) parts.push(`grad ${grad_text}`);
  if (note) parts.push(note);
  return parts.length ? `${node_name(s, i)}: ${parts.join(", ")}` : node_name(s, i);
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
  const grad = ctx.shown_grad || ctx.grad,
    contrib = ctx.shown_contrib || ctx.contrib;
  const blank_grad = ctx.blank_grad || null,
    blank_data = ctx.blank_data || null;
  let scale = 0;
  for (let i = 0; i < s.n; i++)
    if (Number.isFinite(grad[i]) && Math.abs(grad[i]) > scale && !blank_grad?.[i]) scale = Math.abs(grad[i]);
  for (const box of ctx.boxes) {
    if (box.item.type === "group") continue;
    const i = box.item.rep;
    const data_text = blank_data?.[i] ? "" : fmt(data[i]),
      grad_text = blank_grad?.[i] ? "" : fmt(grad[i]);
    set_text(box.data, data_text);
    set_text(box.grad, grad_text);
    const [shade, strength] = blank_grad?.[i] ? ["blank", 0] : grad_shade(grad[i], scale);
    if (box.shade !== shade) {
      box.grad_row.setAttribute("class", `mgw-row mgw-grad-row mgw-grad-${shade}`);
      box.shade = shade;
    }
    const shade_text = `${Math.round(strength * 100)}%`;
    if (box.shade_text !== shade_text) {
      box.grad_row.style.setProperty("--mgw-shade", shade_text);
      box.shade_text = shade_text;
    }
    const error = errors[i];
    if (error !== box.error) {
      if (error) box.g.setAttribute("data-error", error);
      else box.g.removeAttribute("data-error");
      box.g.classList.toggle("mgw-has-error", Boolean(error));
      if (error || box.note) {
        const note = box_note(box);
        if (error) note.setAttribute("data-field", "error");
        else note.removeAttribute("data-field");
        note.classList.toggle("mgw-error-text", Boolean(error));
      }
      box.error = error;
    }
    let note = "";
    if (error) note = `⚠ ${error}`;
    else if (
      box.leaf &&
      show_numeric &&
      !blank_grad?.[i] &&
      numeric &&
      numeric.length === s.n &&
      !Number.isNaN(numeric[i])
    )
      note = `finite diff: ${fmt(numeric[i])}`;
    if (note || box.note) set_text(box_note(box), note);
    const said = box_name(s, i, data_text, grad_text, error ? `error: ${error}` : note);
    if (box.said !== said) {
      box.g.setAttribute("aria-label", said);
      box.said = said;
    }
  }
  if (!edges) return;
  // edge width: the size of the contribution it carries back, relative to the largest
  const links = ctx.visible.links;
  if (!ctx.link_sizes || ctx.link_sizes.length !== links.length) ctx.link_sizes = new Float64Array(links.length);
  const sizes = ctx.link_sizes;
  let largest = 0;
  for (let k = 0; k < links.length; k++) {
    let total = 0;
    for (const e of links[k].edges) total += Math.abs(contrib[e]);
    sizes[k] = total;
    if (Number.isFinite(total) && total > largest) largest = total;
  }
  // attribute writes are what a big graph's repaint costs: write only what changed,
  // with widths in quarter pixels so that tiny changes write nothing
  for (const drawn of ctx.paths) {
    const x = sizes[drawn.k];
    const width = Number.isNaN(x) ? 1 : 1 + 5 * (largest > 0 ? Math.sqrt(Math.min(1, x / largest)) : 0);
    const look = (Math.round(width * 4) / 4).toFixed(2) + (Number.isNaN(x) ? "n" : "");
    const previous = drawn.look || "";
    if (look === previous) continue;
    if (Number.isNaN(x) !== previous.endsWith("n") || !previous) {
      drawn.path.setAttribute("class", Number.isNaN(x) ? "mgw-edge mgw-edge-nan" : "mgw-edge");
    }
    drawn.path.setAttribute("stroke-width", look.replace("n", ""));
    drawn.look = look;
  }
}
