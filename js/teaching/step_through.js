// Step-through backward: one node of backward per step, from the output; a
// player that steps on each beat. stepper.js computes what a step shows.
import { set_text } from "../core/dom.js";

const PLAY_MS = 700; // one backward step per beat: slow enough to say what happens

/** @param {import('./index.js').Teaching} t */
export function create_step_through(t) {
  const { state, options } = t;
  const { s } = t.host.ctx;
  const timers = options.timers || {
    set_interval: (f, ms) => setInterval(f, ms),
    clear_interval: (id) => clearInterval(id),
  };
  let player = null;

  function set_step(k, from_user) {
    const next = clamp_step(k, s.n);
    if (next === state.step) return;
    state.step = next;
    if (from_user) options.on_change?.("step_index", next);
    t.host.repaint();
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
    // a button that says what it does next, in its name as on its face (not a toggle: its text changes)
    t.bar.play_button.setAttribute("aria-label", "pause backward");
    set_text(t.bar.play_button, "⏸ pause");
  }
  function pause() {
    if (player === null) return;
    timers.clear_interval(player);
    player = null;
    t.bar.play_button.setAttribute("aria-label", "play backward");
    set_text(t.bar.play_button, "▶ play");
  }
  function toggle_play() {
    if (player === null) play();
    else pause();
  }

  return { set_step, step, back, play, pause, toggle_play, playing: () => player !== null };
}

/** A step index as the state holds it: -1 (not stepping) or 0..n. */
export function clamp_step(k, n) {
  if (k === null || k === undefined || !Number.isFinite(Number(k)) || Number(k) < 0) return -1;
  return Math.min(n, Math.floor(Number(k)));
}
