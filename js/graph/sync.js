// Slider values on their way to the kernel: at most one request in flight, the
// newest value wins. A slider fires dozens of input events a second while the
// kernel answers in ~5-45 ms, so queueing every event would lag ever further
// behind the hand; instead the values pile up in one pending dict and go out
// together when the previous answer arrives.

/**
 * @typedef {object} SyncOptions
 * @property {(content: object) => void} send   posts {type: "set", seq, client, values}
 * @property {(content: any, buffers: DataView[]) => void} on_state  the kernel's answer to the latest values
 * @property {(status: "pending"|"ok") => void} [on_status]
 * @property {string} [client]  tells this view's answers from another view's
 * @property {number} [timeout_ms]  resend when an answer never comes (a restarted kernel)
 * @property {boolean} [show_overtaken]  pass overtaken answers to on_state too (a view that
 *   does not replay itself has nothing newer to show)
 * @property {{set_timeout: Function, clear_timeout: Function}} [timers]  for tests
 */

let clients = 0;

/** @param {SyncOptions} options */
export function create_sync(options) {
  const client =
    options.client || `view-${Date.now().toString(36)}-${++clients}-${Math.random().toString(36).slice(2, 8)}`;
  const timeout_ms = options.timeout_ms ?? 10000;
  const timers = options.timers || { set_timeout: (f, ms) => setTimeout(f, ms), clear_timeout: (t) => clearTimeout(t) };
  let seq = 0;
  /** @type {number|null} */
  let in_flight = null;
  /** @type {Record<string, number>|null} */
  let in_flight_values = null;
  /** @type {Record<string, number>|null} */
  let pending = null;
  let timer = null;
  let status = "ok";

  function set_status(next) {
    if (next === status) return;
    status = next;
    options.on_status?.(next);
  }

  function flush() {
    if (pending === null) return;
    seq += 1;
    in_flight = seq;
    in_flight_values = pending;
    pending = null;
    options.send({ type: "set", seq, client, values: in_flight_values });
    if (timeout_ms > 0) timer = timers.set_timeout(on_timeout, timeout_ms);
  }

  function on_timeout() {
    // no answer: send the same values again (setting a leaf twice is harmless)
    timer = null;
    pending = { ...in_flight_values, ...(pending || {}) };
    in_flight = null;
    flush();
  }

  return {
    client,
    /** Queue values ({node id: value}); sends now unless a request is in flight. */
    request(values) {
      pending = { ...(pending || {}), ...values };
      set_status("pending");
      if (in_flight === null) flush();
    },
    /**
     * Handle a custom message; returns true when it was this view's answer.
     * An answer to values that were overtaken by newer ones is dropped (the
     * view already shows its own replay of the newer ones) and the newer go out.
     */
    receive(content, buffers) {
      if (content?.type !== "state" || content.client !== client || content.seq !== in_flight) return false;
      if (timer !== null) {
        timers.clear_timeout(timer);
        timer = null;
      }
      in_flight = null;
      in_flight_values = null;
      if (pending !== null) {
        if (options.show_overtaken) options.on_state(content, buffers);
        flush();
        return true;
      }
      options.on_state(content, buffers);
      set_status("ok");
      return true;
    },
    /** True while the kernel has not yet answered the latest values. */
    busy() {
      return in_flight !== null || pending !== null;
    },
    status() {
      return status;
    },
    destroy() {
      if (timer !== null) timers.clear_timeout(timer);
      timer = null;
    },
  };
}
