// What every model of a saved page has, with no kernel behind it: its traits,
// get and set, and the listeners anywidget's views register (change:<name>,
// change, msg:custom). offline_model.js and trainer_model.js add what their
// widget's kernel would answer.

/**
 * @param {Record<string, any>} traits  held, not copied: set() writes into it
 */
export function trait_model(traits) {
  /** @type {Map<string, Function[]>} */
  const listeners = new Map();
  /** @param {string} event @param {...any} args */
  const emit = (event, ...args) => {
    for (const fn of (listeners.get(event) || []).slice()) fn(...args);
  };
  const model = {
    get: (/** @type {string} */ name) => traits[name],
    /** @param {string} name @param {any} value */
    set(name, value) {
      if (traits[name] === value) return;
      traits[name] = value;
      emit(`change:${name}`, model, value);
    },
    /** @param {string} event @param {Function} fn */
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, []);
      listeners.get(event)?.push(fn);
    },
    /** @param {string} event @param {Function} fn */
    off(event, fn) {
      const list = listeners.get(event) || [];
      const k = list.indexOf(fn);
      if (k >= 0) list.splice(k, 1);
    },
  };
  return { model, emit };
}
