// The graph view's teaching modes: step-through backward, exercise
// mode, presenter mode and the hide values / hide grads switches. Everything is
// computed here from the view's own numbers (stepper.js, replay.js), never
// asked of the kernel, so a page saved by save_html teaches with no kernel;
// the model (when there is one) only mirrors the state: step_index, answers,
// exercise, presenter, hide_values, hide_grads (see bind_teaching).
import { html, set_text } from "../core/dom.js";
import { node_name } from "../core/names.js";
import { partial_backward, exercise_nodes, score_answers } from "./stepper.js";
import { render_step_panel, render_hint_panel, render_hidden_panel } from "./teaching_panel.js";

const PLAY_MS = 700; // one backward step per beat: slow enough to say what happens
const TRAITS = ["step_index", "exercise", "answers", "presenter", "hide_values", "hide_grads"];

/**
 * @typedef {object} TeachingOptions
 * @property {number} [step_index]  nodes processed by the step-through; -1: not stepping
 * @property {boolean} [exercise]
 * @property {Record<string, string>} [answers]  node id -> text typed
 * @property {boolean} [presenter]
 * @property {boolean} [hide_values]
 * @property {boolean} [hide_grads]
 * @property {(name: string, value: any) => void} [on_change]  the user changed one of the above
 * @property {number} [play_ms]
 * @property {{set_interval: Function, clear_interval: Function}} [timers]  for tests
 */

/**
 * @typedef {object} Host  what the graph view lends the teaching modes
 * @property {Document} doc
 * @property {HTMLElement} root
 * @property {HTMLElement} chain  the chain-rule panel
 * @property {any} ctx  the view's state: s, data, grad, boxes, consumers, selected
 * @property {() => void} repaint
 * @property {(presenter: boolean) => void} refit
 */

// NOTE [focus rules for the keyboard]
// The keys are read by one keydown listener on the widget's root, so they act
// only while the focus is inside this widget (another widget or a notebook
// cell never sees them). The root carries data-lm-suppress-shortcuts, which
// makes Lumino skip bindings whose selector matches an ancestor of the focus,
// but not one matching the focused element itself: JupyterLab 4 binds
// ArrowLeft/ArrowRight to '.jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite)
// :focus', which matches a focused range input and eats its arrows (measured:
// Lumino's document listener calls preventDefault). So every key pressed
// inside the widget without Ctrl/Alt/Meta stops propagating at the root (no
// preventDefault: the focused control still gets its key); Lumino listens on
// the document and never sees it. Escape and Shift+Enter (leave the widget,
// run the cell) still reach JupyterLab. Inside the widget:
//  - a form control keeps every key: a focused range input moves on arrows,
//    a number box and an answer box take digits, arrows and space;
//  - ArrowRight = step backward, ArrowLeft = one step back, on any other focus
//    (the root, a node, a button), without Ctrl/Alt/Meta;
//  - Space = play/pause, except on a button or a node box, where space keeps
//    its meaning (press the button, select the node);
//  - in exercise mode nothing steps (stepping would show the answers).
// The root is focusable (tabindex 0): a click on its background focuses it.

/**
 * @param {Host} host
 * @param {TeachingOptions} options
 */
export function create_teaching(host, options = {}) {
  const { doc, root, chain, ctx } = host;
  const { s } = ctx;
  const timers = options.timers || { set_interval: (f, ms) => setInterval(f, ms), clear_interval: (t) => clearInterval(t) };
  const state = {
    step: clamp_step(options.step_index ?? -1, s.n),
    exercise: Boolean(options.exercise),
    answers: { ...(options.answers || {}) },
    presenter: Boolean(options.presenter),
    hide_values: Boolean(options.hide_values),
    hide_grads: Boolean(options.hide_grads),
  };
  const hinted = new Set();
  let partial = null;
  let marks = new Map();
  let player = null;
  let last_answered = -1; // the node whose answer was typed last: its problem, if any, shows in the bar

  // ---- the bar --------------------------------------------------------------------
  const button = (label, text, title) => html(doc, "button", { type: "button", "aria-label": label, title }, text);
  const step_button = button("step backward", "step ▸", "process the next node of backward (→)");
  const play_button = button("play backward", "▶ play", "step through backward by itself (space)");
  play_button.setAttribute("aria-pressed", "false");
  const clear_button = button("reset backward", "clear grads", "start the step-through again: no grads yet");
  const step_text = html(doc, "span", { class: "mgw-step-count", "data-field": "step", "aria-live": "polite" });
  const hint_button = button("hint", "hint", "the chain rule at the selected node, without its answer");
  const score_text = html(doc, "span", { class: "mgw-score", "data-field": "score", "aria-live": "polite" });
  // why the answer just typed was not read as a number (stepper.parse_answer's message)
  const problem_text = html(doc, "span", { class: "mgw-answer-problem", "data-field": "answer-problem", role: "status" });
  const switch_box = (label) => {
    const box = html(doc, "input", { type: "checkbox", "aria-label": label });
    return { box, label: html(doc, "label", { class: "mgw-check" }, box, label) };
  };
  const hide_values = switch_box("hide values"), hide_grads = switch_box("hide grads");
  const stepping = html(doc, "span", { class: "mgw-stepper" }, step_button, play_button, clear_button, step_text);
  const exercising = html(doc, "span", { class: "mgw-exercise-bar" }, hint_button, score_text, problem_text);
  const bar = html(doc, "div", { class: "mgw-teaching", role: "toolbar", "aria-label": "teaching" },
    stepping, exercising, hide_values.label, hide_grads.label);

  step_button.addEventListener("click", () => { pause(); step(); });
  play_button.addEventListener("click", () => toggle_play());
  clear_button.addEventListener("click", () => { pause(); set_step(0, true); });
  hint_button.addEventListener("click", () => {
    if (ctx.selected === null) return set_text(chain, "Select a node first, then press hint.");
    hinted.add(ctx.selected);
    host.repaint();
  });
  hide_values.box.addEventListener("change", () => set("hide_values", hide_values.box.checked, true));
  hide_grads.box.addEventListener("change", () => set("hide_grads", hide_grads.box.checked, true));

  root.setAttribute("tabindex", "0");
  root.setAttribute("aria-keyshortcuts", "ArrowRight ArrowLeft Space");
  root.addEventListener("keydown", on_keydown);

  function on_keydown(event) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.key === "Escape" || (event.key === "Enter" && event.shiftKey)) return;
    event.stopPropagation(); // see NOTE [focus rules for the keyboard]
    if (state.exercise) return;
    const target = event.target;
    const tag = String(target?.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    const pressable = tag === "button" || target?.getAttribute?.("role") === "button";
    if (event.key === "ArrowRight") { pause(); step(); }
    else if (event.key === "ArrowLeft") { pause(); back(); }
    else if ((event.key === " " || event.key === "Spacebar") && !pressable) toggle_play();
    else return;
    event.preventDefault();
  }

  // ---- stepping -------------------------------------------------------------------
  function set_step(k, from_user) {
    const next = clamp_step(k, s.n);
    if (next === state.step) return;
    state.step = next;
    if (from_user) options.on_change?.("step_index", next);
    host.repaint();
  }
  /** One more node of backward (the first press starts with the output). */
  function step() {
    if (state.exercise) return;
    set_step(state.step < 0 ? 1 : Math.min(s.n, state.step + 1), true);
  }
  function back() {
    if (state.exercise || state.step <= 0) return;
    set_step(state.step - 1, true);
  }
  function play() {
    if (player !== null || state.exercise) return;
    if (state.step < 0 || state.step >= s.n) set_step(0, true);
    player = timers.set_interval(() => {
      step();
      if (state.step >= s.n) pause();
    }, options.play_ms ?? PLAY_MS);
    play_button.setAttribute("aria-pressed", "true");
    set_text(play_button, "⏸ pause");
  }
  function pause() {
    if (player === null) return;
    timers.clear_interval(player);
    player = null;
    play_button.setAttribute("aria-pressed", "false");
    set_text(play_button, "▶ play");
  }
  function toggle_play() {
    if (player === null) play(); else pause();
  }

  // ---- exercise -------------------------------------------------------------------
  const asked = new Set(exercise_nodes(s));
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
        type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false",
        class: "mgw-answer", "aria-label": `${node_name(s, i)} grad answer`, placeholder: "?",
      });
      const mark = html(doc, "span", { class: "mgw-mark", "data-field": "mark" });
      // the box around it selects on click, pans on drag and selects on Enter: not here
      for (const type of ["click", "pointerdown", "keydown", "wheel"]) input.addEventListener(type, (event) => event.stopPropagation());
      input.addEventListener("keydown", (event) => { if (event.key === "Enter") answer(i, input.value); });
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
    if (value) next[key] = value; else delete next[key];
    state.answers = next;
    last_answered = i;
    options.on_change?.("answers", next);
    host.repaint();
  }

  // ---- painting -------------------------------------------------------------------
  /** Before the view paints: which grads and values show, and the edges' products. */
  function prepare_paint() {
    const n = s.n;
    let blank_grad = null;
    ctx.shown_grad = null;
    ctx.shown_contrib = null;
    partial = null;
    if (state.step >= 0 && !state.exercise) {
      partial = partial_backward(s, ctx.data, state.step);
      ctx.shown_grad = partial.grad;
      ctx.shown_contrib = partial.contrib;
      blank_grad = partial.done.map((d) => 1 - d);
    }
    if (state.exercise || state.hide_grads) {
      blank_grad = new Uint8Array(n).fill(1);
      if (!state.hide_grads && n > 0) blank_grad[n - 1] = 0; // the root's 1 is given
      ctx.shown_contrib = new Float64Array(s.inputs.length); // edge widths would tell
    }
    ctx.blank_grad = blank_grad;
    ctx.blank_data = state.hide_values ? Uint8Array.from({ length: n }, (_, i) => (s.offsets[i] !== s.offsets[i + 1] ? 1 : 0)) : null;
  }

  /** After the view painted: step and answer marks, the bar, the panel. */
  function after_paint() {
    const scored = score_answers(s, ctx.grad, state.answers);
    marks = scored.marks;
    const problems = scored.problems;
    for (const box of ctx.boxes || []) {
      if (box.item.type === "group") continue;
      const i = box.item.rep;
      let step_state = null;
      if (partial) step_state = i === partial.current ? "current" : partial.done[i] ? "done" : "pending";
      set_attr(box.g, "data-step", step_state);
      const mark = state.exercise ? marks.get(i) || null : null;
      set_attr(box.g, "data-answer", mark);
      if (box.answer) {
        box.answer.input.hidden = !state.exercise;
        const typed = state.answers[String(i)] ?? "";
        if (box.answer.input.value !== typed && doc.activeElement !== box.answer.input) box.answer.input.value = typed;
        set_text(box.answer.mark, mark === "right" ? "✓" : mark === "wrong" ? "✗" : mark === "rejected" ? "?" : "");
        const problem = (state.exercise && problems.get(i)) || null;
        set_attr(box.answer.input, "aria-invalid", problem ? "true" : null);
        set_attr(box.answer.input, "title", problem);
      }
    }
    root.classList.toggle("mgw-presenter", state.presenter);
    root.classList.toggle("mgw-exercise", state.exercise);
    root.classList.toggle("mgw-stepping", partial !== null);
    stepping.hidden = state.exercise;
    exercising.hidden = !state.exercise;
    hide_values.box.checked = state.hide_values;
    hide_grads.box.checked = state.hide_grads;
    set_text(step_text, partial ? `step ${state.step} / ${s.n}` : "");
    set_text(score_text, `${scored.right} / ${scored.total} right, ${scored.attempted} tried`);
    const problem = problems.get(last_answered);
    set_text(problem_text, state.exercise && problem ? `${node_name(s, last_answered)}: ${problem}` : "");
    score_text.setAttribute("data-right", String(scored.right));
  }

  /** Fill the chain panel when a mode owns it; false: the ordinary panel shows. */
  function render_chain(i) {
    // the hide switches win over the step panel: the class answers before the numbers show
    if (state.exercise) render_hint_panel(doc, chain, ctx, i, { shown: i !== null && hinted.has(i), marks, hide_values: state.hide_values });
    else if (state.hide_grads || state.hide_values) render_hidden_panel(doc, chain, state);
    else if (partial) render_step_panel(doc, chain, ctx, partial, state.step);
    else return false;
    return true;
  }

  /** A trait changed (from the model, or from this view when from_user). */
  function set(name, value, from_user = false) {
    if (name === "step_index") return set_step(value ?? -1, from_user);
    if (name === "answers") value = { ...(value || {}) };
    else value = Boolean(value);
    if (name === "exercise" && value) pause();
    state[name] = value;
    if (name === "exercise" && value) decorate();
    if (from_user) options.on_change?.(name, value);
    if (name === "presenter") host.refit(value);
    host.repaint();
  }

  return {
    bar,
    decorate,
    prepare_paint,
    after_paint,
    render_chain,
    set,
    step,
    back,
    play,
    pause,
    reset: () => { pause(); set_step(0, true); },
    playing: () => player !== null,
    state: () => ({ ...state, answers: { ...state.answers } }),
    score: () => score_answers(s, ctx.grad, state.answers),
    destroy() {
      pause();
      root.removeEventListener("keydown", on_keydown);
    },
  };
}

/**
 * The teaching options of a view from an anywidget model's traits.
 * @param {any} model
 * @returns {TeachingOptions}
 */
export function teaching_options(model) {
  const out = {};
  for (const name of TRAITS) out[name] = model.get(name);
  out.step_index = out.step_index ?? -1;
  out.on_change = (name, value) => {
    model.set(name, value);
    model.save_changes();
  };
  return out;
}

/**
 * Keep a view's teaching modes in step with the model (Python's backward_step,
 * check, the kwargs; another view of the same widget). Returns the unbinding.
 * @param {any} model
 * @param {{set: (name: string, value: any) => void}} teaching
 */
export function bind_teaching(model, teaching) {
  const handlers = TRAITS.map((name) => [`change:${name}`, () => teaching.set(name, model.get(name))]);
  for (const [event, fn] of handlers) model.on(event, fn);
  return () => { for (const [event, fn] of handlers) model.off(event, fn); };
}

function clamp_step(k, n) {
  if (k === null || k === undefined || !Number.isFinite(Number(k)) || Number(k) < 0) return -1;
  return Math.min(n, Math.floor(Number(k)));
}

function set_attr(element, name, value) {
  if (value === null) { if (element.hasAttribute(name)) element.removeAttribute(name); }
  else if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}
