// An anywidget model with no kernel behind it, for the pages save_html writes.
// It holds the widget's traits as saved (binary ones as DataViews, as a kernel
// would send them) and answers the view's "set" messages the way
// widgets/graph.py does, by replaying forward and backward here (replay.js):
// set the leaves, replay, update data/grad/errors, answer {type: "state"} with
// buffers [data, grad(, numeric)]. So sliders, the chain-rule panel and every
// mode built on the model keep working in a file opened from disk.
import { trait_model } from "./traits.js";
import { normalize_structure, to_float64, to_bytes } from "../core/codecs.js";
import { replay, finite_differences } from "../core/replay.js";
import { clear } from "../core/dom.js";

// A node id as a message key, as String(i) writes it: "0", "17"; not "01", " 1", "+1", "1.0"
const ID = /^(0|[1-9][0-9]*)$/;

/**
 * What save_html embeds: the traits with their binary values taken out
 * (ipywidgets' buffer paths) and carried as base64.
 * @typedef {object} SavedState
 * @property {Record<string, any>} state
 * @property {(string|number)[][]} [buffer_paths]
 * @property {string[]} [buffers]  base64, one per path
 */

/**
 * @typedef {object} OfflineModel
 * @property {(name: string) => any} get
 * @property {(name: string, value: any) => void} set
 * @property {(event: string, fn: Function) => void} on
 * @property {(event: string, fn: Function) => void} off
 * @property {() => void} save_changes
 * @property {(content: any, callbacks?: any, buffers?: any[]) => void} send
 * @property {(content: any, buffers?: DataView[]) => void} reply  deliver a custom message to the views
 */

/**
 * Put the base64 buffers back at their paths, as DataViews.
 * @param {SavedState} saved
 * @returns {Record<string, any>}
 */
export function decode_state(saved) {
  const state = structuredClone(saved.state || {});
  const paths = saved.buffer_paths || [];
  const buffers = saved.buffers || [];
  paths.forEach((path, k) => {
    let target = state;
    for (const key of path.slice(0, -1)) target = target[key];
    target[path[path.length - 1]] = data_view(from_base64(buffers[k] || ""));
  });
  return state;
}

/** @param {string} text */
function from_base64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** @param {Float64Array|Uint8Array} array */
function data_view(array) {
  const bytes = array instanceof Uint8Array ? array : to_bytes(array);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * @param {Record<string, any>} state  trait values (decode_state's output)
 * @param {{defer?: (fn: () => void) => void}} [options]
 *   defer: when answers arrive (default: a microtask, so an answer never lands
 *   inside the send that asked)
 * @returns {OfflineModel}
 */
export function create_offline_model(state, options = {}) {
  const traits = { ...state };
  const defer = options.defer || ((fn) => queueMicrotask(fn));
  const { model: base, emit } = trait_model(traits);

  /** @type {OfflineModel} */
  const model = Object.assign(base, {
    save_changes() {
      // the kernel's observer: turning the gradient check on computes it
      if (traits.show_gradcheck && traits.structure) defer(() => model.set("numeric_grad", data_view(numeric())));
    },
    send(content, _callbacks, buffers) {
      // "set" is the only message a graph view sends; anything else gets no answer
      if (content && content.type === "set") defer(() => answer_set(content));
    },
    reply(content, buffers = []) {
      emit("msg:custom", content, buffers);
    },
  });

  function structure() {
    return normalize_structure(traits.structure);
  }

  function numeric() {
    return finite_differences(structure(), to_float64(traits.data));
  }

  /**
   * widgets/graph.py's _on_message, in the browser.
   * @param {any} content
   */
  function answer_set(content) {
    const s = structure();
    const data = to_float64(traits.data);
    if (data.length !== s.n) return;
    const values = content.values;
    const entries = values && typeof values === "object" && !Array.isArray(values) ? Object.entries(values) : [];
    for (const [key, value] of entries) {
      // a bad entry is skipped, never raised: the sender still gets its answer
      // (widgets/graph.py skips the same entries; tests/test_cross_check.py)
      if (!ID.test(key)) continue;
      const i = Number(key);
      if (i >= s.n || s.offsets[i] !== s.offsets[i + 1] || s.kind[i] === "constant") continue;
      if (typeof value === "number" && Number.isFinite(value)) data[i] = value;
    }
    const grad = new Float64Array(s.n);
    const errors = new Array(s.n).fill(null);
    replay(s, data, grad, errors);
    /** @type {Record<string, string>} */
    const error_dict = {};
    errors.forEach((text, i) => {
      if (text) error_dict[String(i)] = text;
    });
    const buffers = [data_view(data), data_view(grad)];
    model.set("data", buffers[0]);
    model.set("grad", buffers[1]);
    model.set("errors", error_dict);
    if (traits.show_gradcheck) {
      buffers.push(data_view(finite_differences(s, data)));
      model.set("numeric_grad", buffers[2]);
    }
    model.reply(
      { type: "state", seq: content.seq ?? null, client: content.client ?? null, errors: error_dict },
      buffers,
    );
  }

  return model;
}

/**
 * Start a saved page: the widget's render() on an offline model. The element's
 * fallback content (the static picture) makes room for the live view.
 * @param {{el: HTMLElement, saved: SavedState, widget: {render: Function, initialize?: Function}}} args
 */
export async function boot({ el, saved, widget }) {
  return boot_with({ el, widget }, create_offline_model(decode_state(saved)));
}

/**
 * Start a saved page on a model already made (the graph's or the trainer's).
 * @param {{el: HTMLElement, widget: {render: Function, initialize?: Function}}} args
 * @param {any} model
 */
export async function boot_with({ el, widget }, model) {
  clear(el); // the view measures its element: mount it attached, not in a detached host
  if (widget.initialize) await widget.initialize({ model });
  const cleanup = await widget.render({ model, el });
  return { model, cleanup };
}
