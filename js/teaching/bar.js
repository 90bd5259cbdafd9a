// The teaching modes' bar: step, play and clear for the step-through; hint,
// score and the last answer's problem for an exercise; the hide switches.
import { html, set_text } from "../core/dom.js";
import { node_name } from "../core/names.js";

/** @param {import('./index.js').Teaching} t */
export function create_bar(t) {
  const { host, state } = t;
  const { doc, ctx, chain } = host;
  const button = (label, text, title) => html(doc, "button", { type: "button", "aria-label": label, title }, text);
  const step_button = button("step backward", "step ▸", "process the next node of backward (→)");
  // each name holds the words the button shows (WCAG 2.5.3: a user who says "clear grads" finds it)
  const play_button = button("play backward", "▶ play", "step through backward by itself (space)");
  const clear_button = button("clear grads", "clear grads", "start the step-through again: no grads yet");
  const step_text = html(doc, "span", { class: "mgw-step-count", "data-field": "step", "aria-live": "polite" });
  const hint_button = button("hint", "hint", "the chain rule at the selected node, without its answer");
  const score_text = html(doc, "span", { class: "mgw-score", "data-field": "score", "aria-live": "polite" });
  // why the answer just typed was not read as a number (stepper.parse_answer's message)
  const problem_text = html(doc, "span", {
    class: "mgw-answer-problem",
    "data-field": "answer-problem",
    role: "status",
  });
  const switch_box = (label) => {
    const box = html(doc, "input", { type: "checkbox", "aria-label": label });
    return { box, label: html(doc, "label", { class: "mgw-check" }, box, label) };
  };
  const hide_values = switch_box("hide values"),
    hide_grads = switch_box("hide grads");
  const stepping = html(doc, "span", { class: "mgw-stepper" }, step_button, play_button, clear_button, step_text);
  const exercising = html(doc, "span", { class: "mgw-exercise-bar" }, hint_button, score_text, problem_text);
  const element = html(
    doc,
    "div",
    { class: "mgw-teaching", role: "toolbar", "aria-label": "teaching" },
    stepping,
    exercising,
    hide_values.label,
    hide_grads.label,
  );

  step_button.addEventListener("click", () => {
    t.stepping.pause();
    t.stepping.step();
  });
  play_button.addEventListener("click", () => t.stepping.toggle_play());
  clear_button.addEventListener("click", () => {
    t.stepping.pause();
    t.stepping.set_step(0, true);
  });
  hint_button.addEventListener("click", () => {
    if (ctx.selected === null) return set_text(chain, "Select a node first, then press hint.");
    t.hinted.add(ctx.selected);
    host.repaint();
  });
  hide_values.box.addEventListener("change", () => t.set("hide_values", hide_values.box.checked, true));
  hide_grads.box.addEventListener("change", () => t.set("hide_grads", hide_grads.box.checked, true));

  /**
   * Show the state: which controls, the step count, the score.
   * @param {boolean} stepping_now  a step-through is shown
   * @param {ReturnType<typeof import('./stepper.js').score_answers>} scored
   */
  function update(stepping_now, scored) {
    const s = ctx.s;
    stepping.hidden = state.exercise;
    exercising.hidden = !state.exercise;
    hide_values.box.checked = state.hide_values;
    hide_grads.box.checked = state.hide_grads;
    set_text(step_text, stepping_now ? `step ${state.step} / ${s.n}` : "");
    set_text(score_text, `${scored.right} / ${scored.total} right, ${scored.attempted} tried`);
    const last = t.exercise.last_answered();
    const problem = scored.problems.get(last);
    set_text(problem_text, state.exercise && problem ? `${node_name(s, last)}: ${problem}` : "");
    score_text.setAttribute("data-right", String(scored.right));
  }

  return { element, play_button, update };
}
