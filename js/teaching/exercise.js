// Exercise mode's answer boxes: one in each asked node's box (stepper.js's
// exercise_nodes), read and scored by stepper.js; the answers go to the model.
import { html } from "../core/dom.js";
import { node_name } from "../core/names.js";
import { exercise_nodes } from "./stepper.js";

/** @param {import('./index.js').Teaching} t */
export function create_exercise(t) {
  const { state, options } = t;
  const { doc, ctx } = t.host;
  const { s } = ctx;
  const asked = new Set(exercise_nodes(s));
  let last_answered = -1; // the node whose answer was typed last: its problem, if any, shows in the bar

  /**
   * Answer boxes in the node boxes just built (again after a group expands),
   * only in exercise mode: an input in every box would cost each graph
   * widget hundreds of page nodes it never shows.
   */
  function decorate() {
    if (!state.exercise) return;
    for (const box of ctx.boxes || []) {
      if (box.item.type === "group" || box.answer) continue;
      const i = box.item.rep;
      if (!asked.has(i)) continue;
      const input = html(doc, "input", {
        type: "text",
        inputmode: "decimal",
        autocomplete: "off",
        spellcheck: "false",
        class: "mgw-answer",
        "aria-label": `${node_name(s, i)} grad answer`,
        placeholder: "?",
      });
      const mark = html(doc, "span", { class: "mgw-mark", "data-field": "mark" });
      // the box around it selects on click, pans on drag and selects on Enter: not here
      for (const type of ["click", "pointerdown", "keydown", "wheel"])
        input.addEventListener(type, (event) => event.stopPropagation());
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") answer(i, input.value);
      });
      input.addEventListener("change", () => answer(i, input.value));
      // the grad's text moves into its own field, so that the answer and its mark are not read as the grad
      const number = html(doc, "span", { class: "mgw-num", "data-field": "grad" });
      number.appendChild(box.grad);
      box.grad_row.removeAttribute("data-field");
      box.grad_row.append(number, input, mark);
      box.answer = { input, mark };
    }
  }

  function answer(i, text) {
    const key = String(i);
    const value = String(text).trim();
    if ((state.answers[key] ?? "") === value) return;
    const next = { ...state.answers };
    if (value) next[key] = value;
    else delete next[key];
    state.answers = next;
    last_answered = i;
    options.on_change?.("answers", next);
    t.host.repaint();
  }

  return { decorate, last_answered: () => last_answered };
}
