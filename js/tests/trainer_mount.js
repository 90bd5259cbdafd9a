// The trainer view mounted on the fake DOM, with a model holding a state a
// real kernel sent (js/tests/fixtures/trainer_states.json, written by
// tests/trainer_fixtures.py and checked for staleness by pytest).
import { readFileSync } from "node:fs";
import { fake_document } from "./fake_dom.js";
import { decode_state } from "../offline/offline_model.js";
import { engine_for } from "../trainer/engine.js";
import trainer from "../trainer/index.js";

export const STATES = JSON.parse(readFileSync(new URL("./fixtures/trainer_states.json", import.meta.url), "utf8"));

/**
 * A model like anywidget's, on the kernel's saved state `name` (with `overrides`).
 * @param {string} name
 * @param {Record<string, any>} [overrides]
 */
export function fake_model(name, overrides = {}) {
  // each model its own widget: a fresh uid (the fixture's is one kernel object's)
  const state = { ...decode_state(STATES[name]), uid: `test-${Math.random().toString(36).slice(2)}`, ...overrides };
  const listeners = { change: [], "msg:custom": [] };
  return {
    state,
    sent: [],
    views: [],
    saved: 0,
    listeners,
    get(key) {
      return state[key];
    },
    set(key, value) {
      state[key] = value;
    },
    save_changes() {
      this.saved++;
    },
    send(content, _callbacks, buffers) {
      (content.type === "view" ? this.views : this.sent).push({ ...content, buffers });
    },
    on(event, fn) {
      listeners[event] ||= [];
      listeners[event].push(fn);
    },
    off(event, fn) {
      const list = listeners[event] || [];
      const k = list.indexOf(fn);
      if (k >= 0) list.splice(k, 1);
    },
    /** What the kernel does: new trait values, then one change event. */
    update(changes) {
      Object.assign(state, changes);
      for (const fn of listeners.change) fn();
    },
  };
}

/** A clock and a frame scheduler the test drives (the engine's animation frames); each
 * reading of the clock takes `tick_ms` (work takes time: a frame's slice of training ends). */
export function manual_frames(tick_ms = 1) {
  let time = 0,
    queue = [];
  return {
    now: () => (time += tick_ms),
    frame: (fn) => {
      queue.push(fn);
      return queue.length;
    },
    cancel: () => {
      queue = [];
    },
    advance(ms) {
      time += ms;
    },
    /** Run the frames queued now, `ms` apart (each may queue the next). */
    run(count = 1, ms = 16) {
      for (let k = 0; k < count && queue.length; k++) {
        time += ms;
        const now = queue;
        queue = [];
        for (const fn of now) fn();
      }
    },
    get pending() {
      return queue.length;
    },
  };
}

/**
 * The trainer view on the fake DOM.
 * @param {string} name  the fixture
 * @param {Record<string, any>} [overrides]
 * @param {{env?: object, doc?: any}} [options]
 */
export function mount(name, overrides, options = {}) {
  const doc = options.doc || fake_document();
  const el = doc.createElement("div");
  const model = fake_model(name, overrides);
  const engine = engine_for(model, options.env || manual_frames());
  const cleanup = trainer.render({ model, el });
  const all = () => el.all();
  const by = (attr, value) => all().filter((e) => e.getAttribute(attr) === value);
  const named = (key) => all().find((e) => e.getAttribute("name") === key);
  const repaint = async () => {
    for (const fn of model.listeners.change) fn();
    await new Promise((resolve) => setTimeout(resolve, 5));
  };
  const sent = () => model.sent;
  return { el, model, engine, cleanup, all, by, named, repaint, sent };
}

export const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

export const visible = (element) => {
  for (let e = element; e; e = e.parentNode) if (e.hidden || e.style?.display === "none") return false;
  return true;
};
