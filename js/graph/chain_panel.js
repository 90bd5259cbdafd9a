// The chain rule, spelled out for one selected node:
//  - for each input: its local derivative and upstream grad x local = contribution;
//  - where its own grad comes from: one contribution per use, summed. A node
//    used twice (b in a*b + b**3) gets the sum, which is what confuses
//    micrograd's readers most (karpathy/micrograd issues #2, #64, #68).
//
// NOTE [no headings]
// The panel's titles are bold paragraphs, not <h4>: a widget sits in a
// notebook whose headings it cannot know, and a heading level that skips
// (an h4 under a notebook's h1) breaks the outline a screen reader navigates
// by (axe-core's heading-order).
import { html, clear } from "../core/dom.js";
import { format_number as fmt } from "../core/format.js";
import { local_derivatives } from "../core/replay.js";
import { node_name } from "../core/names.js";

/**
 * Rows of the panel as plain data (tested without a DOM).
 * @param {import('../core/replay.js').Structure} s
 * @param {Float64Array} data
 * @param {Float64Array} grad
 * @param {number[][]} consumers  node id -> [consumer id, input position] pairs flattened as [c, k, c, k ...]
 * @param {number} i
 */
export function chain_rows(s, data, grad, consumers, i) {
  const start = s.offsets[i];
  const locals = local_derivatives(s, data, i);
  const inputs = Array.from(locals, (local, k) => {
    const input = s.inputs[start + k];
    return { id: input, name: node_name(s, input), local, upstream: grad[i], contribution: grad[i] * local };
  });
  const uses = [];
  const list = consumers[i];
  for (let p = 0; p < list.length; p += 2) {
    const c = list[p],
      k = list[p + 1];
    const local = local_derivatives(s, data, c)[k];
    uses.push({ id: c, name: node_name(s, c), local, upstream: grad[c], contribution: grad[c] * local });
  }
  return { inputs, uses, is_root: i === s.n - 1 };
}

/**
 * For every node, its uses as [consumer, input position] pairs (repeats kept: a*a uses a twice).
 * @param {import('../core/replay.js').Structure} s
 * @returns {number[][]}
 */
export function consumer_lists(s) {
  const out = Array.from({ length: s.n }, () => []);
  for (let c = 0; c < s.n; c++) {
    for (let e = s.offsets[c]; e < s.offsets[c + 1]; e++) out[s.inputs[e]].push(c, e - s.offsets[c]);
  }
  return out;
}

/**
 * Fill the panel element for node i (or explain how to use it when i is null).
 * @param {Document} doc
 * @param {HTMLElement} panel
 * @param {{s: any, data: Float64Array, grad: Float64Array, errors: (string|null)[], consumers: number[][]}} ctx
 * @param {number|null} i
 */
export function render_chain_panel(doc, panel, ctx, i) {
  clear(panel);
  if (i === null) {
    panel.appendChild(html(doc, "p", { class: "mgw-hint" }, "Click a node to see the chain rule at it."));
    return;
  }
  const { s, data, grad } = ctx;
  const rows = chain_rows(s, data, grad, ctx.consumers, i);
  const title = `${node_name(s, i)} = ${fmt(data[i])}, grad = ${fmt(grad[i])}`;
  // a title, not a heading: NOTE [no headings]
  panel.appendChild(html(doc, "p", { class: "mgw-chain-title" }, title));
  if (ctx.errors[i]) panel.appendChild(html(doc, "p", { class: "mgw-chain-error" }, `error: ${ctx.errors[i]}`));
  if (rows.inputs.length) {
    panel.appendChild(
      html(
        doc,
        "p",
        {},
        `${node_name(s, i)} = ${s.op[i]}(${rows.inputs.map((r) => r.name).join(", ")}): what it sends back to each input`,
      ),
    );
    panel.appendChild(
      table(
        doc,
        ["input", "local derivative", "upstream grad × local = contribution"],
        rows.inputs.map((r) => [r.name, fmt(r.local), `${fmt(r.upstream)} × ${fmt(r.local)} = ${fmt(r.contribution)}`]),
      ),
    );
  }
  if (rows.is_root) {
    panel.appendChild(html(doc, "p", {}, "This is the output: its grad is d itself / d itself = 1."));
  } else if (rows.uses.length) {
    const sum = rows.uses.map((r) => fmt(r.contribution)).join(" + ");
    const lead =
      rows.uses.length > 1
        ? `used ${rows.uses.length} times, so its grad is the sum of the contributions:`
        : "its grad comes from its one use:";
    panel.appendChild(html(doc, "p", {}, `${node_name(s, i)} is ${lead}`));
    panel.appendChild(
      table(
        doc,
        ["used by", "upstream grad × local = contribution"],
        rows.uses.map((r) => [r.name, `${fmt(r.upstream)} × ${fmt(r.local)} = ${fmt(r.contribution)}`]),
      ),
    );
    if (rows.uses.length > 1)
      panel.appendChild(html(doc, "p", { class: "mgw-chain-sum" }, `grad = ${sum} = ${fmt(grad[i])}`));
  }
}

/** A small table of text cells (head: column titles). */
export function table(doc, head, rows) {
  return html(
    doc,
    "table",
    { class: "mgw-chain-table" },
    html(doc, "thead", {}, html(doc, "tr", {}, ...head.map((h) => html(doc, "th", {}, h)))),
    html(doc, "tbody", {}, ...rows.map((row) => html(doc, "tr", {}, ...row.map((cell) => html(doc, "td", {}, cell))))),
  );
}
