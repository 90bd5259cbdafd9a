// A view tells the kernel it is there: the kernel cannot see the page, and a
// trainer plays only while one of its views is on one (training/views.py).

/**
 * Tell the kernel this view is on a page until the returned function is called:
 * "open" now, a "beat" every `beat_ms`, "close" at the end.
 * @param {{send: (content: any) => void}} model
 * @param {string} engine  the page's engine (views on one page share it)
 * @param {number} beat_ms  how often (the kernel sends it: the trait beat_ms)
 * @returns {() => void}
 */
export function announce_view(model, engine, beat_ms) {
  const view = globalThis.crypto?.randomUUID?.() || `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const say = (/** @type {string} */ event) => {
    try {
      model.send({ type: "view", event, view, engine });
    } catch {
      // a closed comm (kernel gone): nothing to tell
    }
  };
  say("open");
  /** @type {any} */
  const timer = setInterval(() => say("beat"), beat_ms);
  timer?.unref?.(); // under node (tests) a beating view must not keep the process alive
  return () => {
    clearInterval(timer);
    say("close");
  };
}
