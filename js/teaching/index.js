// The graph view's teaching modes: step-through backward, exercise
// mode, presenter mode and the hide values / hide grads switches. Everything is
// computed here from the view's own numbers (stepper.js, replay.js), never
// asked of the kernel, so a page saved by save_html teaches with no kernel;
// the model (when there is one) only mirrors the state: step_index, answers,
// exercise, presenter, hide_values, hide_grads (see bind_teaching).
//
// This module holds the state and the painting hooks; step_through.js,
// exercise.js and bar.js are its parts, sharing one Teaching context.
import { set_text } from "../core/dom.js";
import { partial_backward, score_answers } from "./stepper.js";
import { render_step_panel, render_hint_panel, render_hidden_panel } from "./teaching_panel.js";
import { create_step_through, clamp_step } from "./step_through.js";
import { create_exercise } from "./exercise.js";
import { create_bar } from "./bar.js";

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

/**
 * @typedef {object} Teaching  what the parts of the teaching modes share
 * @property {Host} host
 * @property {TeachingOptions} options
 * @property {{step: number, exercise: boolean, answers: Record<string, string>, presenter: boolean,
 *   hide_values: boolean, hide_grads: boolean}} state  what the model's traits mirror
 * @property {Set<number>} hinted  nodes whose hint was asked for
 * @property {ReturnType<typeof create_bar>} bar
 * @property {ReturnType<typeof create_step_through>} stepping
 * @property {ReturnType<typeof create_exercise>} exercise
 * @property {(name: string, value: any, from_user?: boolean) => void} set  a trait changed
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
  const state = {
    step: clamp_step(options.step_index ?? -1, s.n),
    exercise: Boolean(options.exercise),
    answers: { ...(options.answers || {}) },
    presenter: Boolean(options.presenter),
    hide_values: Boolean(options.hide_values),
    hide_grads: Boolean(options.hide_grads),
  };
  /** @type {Teaching} */
  const t = /** @type {any} */ ({ host, options, state, hinted: new Set(), set });
  t.bar = create_bar(t);
  t.stepping = create_step_through(t);
  t.exercise = create_exercise(t);
  const { stepping } = t;
  let partial = null;
  let marks = new Map();

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
    if (event.key === "ArrowRight") {
      stepping.pause();
      stepping.step();
    } else if (event.key === "ArrowLeft") {
      stepping.pause();
      stepping.back();
    } else if ((event.key === " " || event.key === "Spacebar") && !pressable) stepping.toggle_play();
    else return;
    event.preventDefault();
  }

  /** Before the view paints: which grads and values show, and the edges' products. */
  function prepare_paint() {
    const shown = shown_numbers(s, ctx.data, state);
    partial = shown.partial;
    ctx.shown_grad = shown.grad;
    ctx.shown_contrib = shown.contrib;
    ctx.blank_grad = shown.blank_grad;
    ctx.blank_data = shown.blank_data;
  }

  /** After the view painted: step and answer marks, the bar, the panel. */
  function after_paint() {
    const scored = score_answers(s, ctx.grad, state.answers);
    marks = scored.marks;
    mark_boxes(doc, ctx.boxes || [], state, partial, scored);
    root.classList.toggle("mgw-presenter", state.presenter);
    root.classList.toggle("mgw-exercise", state.exercise);
    root.classList.toggle("mgw-stepping", partial !== null);
    t.bar.update(partial !== null, scored);
  }

  /** Fill the chain panel when a mode owns it; false: the ordinary panel shows. */
  function render_chain(i) {
    // the hide switches win over the step panel: the class answers before the numbers show
    if (state.exercise)
      render_hint_panel(doc, chain, ctx, i, {
        shown: i !== null && t.hinted.has(i),
        marks,
        hide_values: state.hide_values,
      });
    else if (state.hide_grads || state.hide_values) render_hidden_panel(doc, chain, state);
    else if (partial) render_step_panel(doc, chain, ctx, partial, state.step);
    else return false;
    return true;
  }

  /** A trait changed (from the model, or from this view when from_user). */
  function set(name, value, from_user = false) {
    if (name === "step_index") return stepping.set_step(value ?? -1, from_user);
    if (name === "answers") value = { ...(value || {}) };
    else value = Boolean(value);
    if (name === "exercise" && value) stepping.pause();
    state[name] = value;
    if (name === "exercise" && value) t.exercise.decorate();
    if (from_user) options.on_change?.(name, value);
    if (name === "presenter") host.refit(value);
    host.repaint();
  }

  return {
    bar: t.bar.element,
    decorate: t.exercise.decorate,
    prepare_paint,
    after_paint,
    render_chain,
    set,
    step: stepping.step,
    back: stepping.back,
    play: stepping.play,
    pause: stepping.pause,
    reset: () => {
      stepping.pause();
      stepping.set_step(0, true);
    },
    playing: stepping.playing,
    state: () => ({ ...state, answers: { ...state.answers } }),
    score: () => score_answers(s, ctx.grad, state.answers),
    destroy() {
      stepping.pause();
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
  return () => {
    for (const [event, fn] of handlers) model.off(event, fn);
  };
}

/**
 * What the modes show instead of the view's numbers: part of backward while
 * stepping, blanks for the grads an exercise asks and for what is hidden.
 * @param {import('../core/replay.js').Structure} s
 * @param {Float64Array} data
 * @param {Teaching["state"]} state
 */
function shown_numbers(s, data, state) {
  const n = s.n;
  const shown = { partial: null, grad: null, contrib: null, blank_grad: null, blank_data: null };
  if (state.step >= 0 && !state.exercise) {
    shown.partial = partial_backward(s, data, state.step);
    shown.grad = shown.partial.grad;
    shown.contrib = shown.partial.contrib;
    shown.blank_grad = shown.partial.done.map((d) => 1 - d);
  }
  if (state.exercise || state.hide_grads) {
    shown.blank_grad = new Uint8Array(n).fill(1);
    if (!state.hide_grads && n > 0) shown.blank_grad[n - 1] = 0; // the root's 1 is given
    shown.contrib = new Float64Array(s.inputs.length); // edge widths would tell
  }
  if (state.hide_values)
    shown.blank_data = Uint8Array.from({ length: n }, (_, i) => (s.offsets[i] !== s.offsets[i + 1] ? 1 : 0));
  return shown;
}

/** Each node box's step and answer marks, and its answer box's text and problem. */
function mark_boxes(doc, boxes, state, partial, scored) {
  for (const box of boxes) {
    if (box.item.type === "group") continue;
    const i = box.item.rep;
    let step_state = null;
    if (partial) step_state = i === partial.current ? "current" : partial.done[i] ? "done" : "pending";
    set_attr(box.g, "data-step", step_state);
    const mark = state.exercise ? scored.marks.get(i) || null : null;
    set_attr(box.g, "data-answer", mark);
    if (box.answer) {
      // a button holds no other control: while its answer box shows, a node box is a group
      // (Enter and a click still select it); a screen reader reaches the answer box inside
      set_attr(box.g, "role", state.exercise ? "group" : "button");
      box.answer.input.hidden = !state.exercise;
      const typed = state.answers[String(i)] ?? "";
      if (box.answer.input.value !== typed && doc.activeElement !== box.answer.input) box.answer.input.value = typed;
      set_text(box.answer.mark, mark === "right" ? "✓" : mark === "wrong" ? "✗" : mark === "rejected" ? "?" : "");
      const problem = (state.exercise && scored.problems.get(i)) || null;
      set_attr(box.answer.input, "aria-invalid", problem ? "true" : null);
      set_attr(box.answer.input, "title", problem);
    }
  }
}

function set_attr(element, name, value) {
  if (value === null) {
    if (element.hasAttribute(name)) element.removeAttribute(name);
  } else if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}
