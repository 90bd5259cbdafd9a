// What the chain-rule panel says in the teaching modes, where the ordinary
// panel (chain_panel.js) would give the answers away:
//  - stepping: the node just processed, its (now final) grad, and the product
//    upstream × local it adds to each input's grad;
//  - exercise: a hint for the selected node, the chain rule with the local
//    derivatives filled in and the upstream grads left for the student
//    (shown only where the student already answered them right);
//  - hidden grads or values: nothing but how to reveal them.
import { html, clear } from "../core/dom.js";
import { format_number as fmt } from "../core/format.js";
import { chain_rows, table } from "../graph/chain_panel.js";
import { node_name } from "../core/names.js";

/**
 * @param {Document} doc
 * @param {HTMLElement} panel
 * @param {any} ctx  the view's state (s, data, consumers)
 * @param {{grad: Float64Array, current: number}} partial  stepper.partial_backward's result
 * @param {number} k  steps done
 */
export function render_step_panel(doc, panel, ctx, partial, k) {
  clear(panel);
  const { s, data } = ctx;
  const add = (text, cls) => panel.appendChild(html(doc, "p", cls ? { class: cls } : {}, text));
  if (k === 0 || partial.current < 0) {
    add(
      `Backward, one node at a time from the output (${s.n} nodes). Press "step": the output's grad is d itself / d itself = 1.`,
      "mgw-hint",
    );
    return;
  }
  const i = partial.current;
  const name = node_name(s, i);
  panel.appendChild(
    html(
      doc,
      "p",
      { class: "mgw-chain-title", "data-field": "step-title" }, // NOTE [no headings]
      `step ${k} of ${s.n}: ${name}, grad = ${fmt(partial.grad[i])}`,
    ),
  );
  if (i === s.n - 1) add("The output: its grad is 1 by definition. Every grad below is built from it.");
  else add(`Every node that uses ${name} came before it, so its grad is complete: the sum of what they sent.`);
  const rows = chain_rows(s, data, partial.grad, ctx.consumers, i);
  if (!rows.inputs.length) {
    add(`${name} is a leaf: nothing to send further back.`);
  } else {
    add(`${name} = ${s.op[i]}(${rows.inputs.map((r) => r.name).join(", ")}) adds to each input's grad:`);
    panel.appendChild(
      table(
        doc,
        ["input", "local derivative", "upstream grad × local = contribution", "its grad so far"],
        rows.inputs.map((r) => [
          r.name,
          fmt(r.local),
          `${fmt(r.upstream)} × ${fmt(r.local)} = ${fmt(r.contribution)}`,
          fmt(partial.grad[r.id]),
        ]),
      ),
    );
  }
  if (k >= s.n) add("Done: every grad is computed, the same numbers as backward().", "mgw-chain-sum");
}

/**
 * @param {Document} doc
 * @param {HTMLElement} panel
 * @param {any} ctx
 * @param {number|null} i  the selected node
 * @param {{shown: boolean, marks: Map<number, string>, hide_values: boolean}} hint
 */
export function render_hint_panel(doc, panel, ctx, i, hint) {
  clear(panel);
  const { s, data } = ctx;
  const add = (text, cls) => panel.appendChild(html(doc, "p", cls ? { class: cls } : {}, text));
  if (i === null) {
    add(
      'Type each node\'s grad into its box (Enter checks it). Select a node and press "hint" for the chain rule there.',
      "mgw-hint",
    );
    return;
  }
  const name = node_name(s, i);
  if (i === s.n - 1) {
    add(`${name} is the output: its grad is 1 (given).`);
    return;
  }
  if (!hint.shown) {
    add(`${name}: press "hint" for the chain rule at this node.`, "mgw-hint");
    return;
  }
  // the upstream grads stay unknowns unless given (the root) or already earned
  const known = (c) => c === s.n - 1 || hint.marks.get(c) === "right";
  const rows = chain_rows(s, data, ctx.grad, ctx.consumers, i);
  panel.appendChild(
    html(
      doc,
      "p",
      { class: "mgw-chain-title", "data-field": "hint" }, // NOTE [no headings]
      `hint for ${name}: grad(${name}) = the sum over its uses of grad(user) × d user / d ${name}`,
    ),
  );
  if (!rows.uses.length) {
    add(`${name} is not used by anything on the way to the output: its grad is 0.`);
    return;
  }
  panel.appendChild(
    table(
      doc,
      ["used by", "grad(user)", `d user / d ${name}`],
      rows.uses.map((r) => [
        r.name,
        known(r.id) ? fmt(r.upstream) : `grad(${r.name}) = ?`,
        hint.hide_values ? `(values hidden)` : fmt(r.local),
      ]),
    ),
  );
  if (rows.uses.length > 1) add(`${name} is used ${rows.uses.length} times: add the products.`);
  const unknown = rows.uses.filter((r) => !known(r.id)).map((r) => r.name);
  if (unknown.length)
    add(
      `Answer ${[...new Set(unknown)].join(", ")} first: backward goes from the output towards the leaves.`,
      "mgw-hint",
    );
}

/**
 * @param {Document} doc
 * @param {HTMLElement} panel
 * @param {{hide_values: boolean, hide_grads: boolean}} hidden
 */
export function render_hidden_panel(doc, panel, hidden) {
  clear(panel);
  const what = [hidden.hide_values && "values", hidden.hide_grads && "grads"].filter(Boolean).join(" and ");
  panel.appendChild(
    html(
      doc,
      "p",
      { class: "mgw-hint" },
      `The ${what} are hidden: untick "hide ${hidden.hide_values ? "values" : "grads"}" to see the chain rule here.`,
    ),
  );
}
