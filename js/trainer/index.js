// The trainer's anywidget entry: training runs in the kernel (on a background
// thread); this view sends play/pause/step/reset and settings, and repaints the
// boundary, the network, the curves and the figures when a new state arrives
// (at most ~30 a second, each one a single message), once per animation frame.
import { html, set_text } from "../core/dom.js";
import { format_number } from "../core/format.js";
import { to_float64 } from "../core/codecs.js";
import { draw_plane, nearest_point } from "./boundary.js";
import { draw_network, input_maps } from "./network.js";
import { draw_curves, LOSS, ACCURACY, TEST_LOSS, TEST_ACCURACY } from "./curves.js";
import { build_controls } from "./trainer_controls.js";
import { mount_graph_view } from "../graph/graph_view.js";

const PLANE_SIZE = 320;
const NETWORK_SIZE = [300, 320];
const CURVE_SIZE = [260, 120];
// The kernel cannot see the page, so each view says it is there: "open" on
// render, "close" in its cleanup, a "beat" this often in between; a view silent
// for 10 s counts as gone (training/views.py) and the trainer pauses without one.
export const BEAT_MS = 3000;

/**
 * A binary trait (DataView, possibly misaligned) as a fresh typed array of `type`.
 * @template {Float32ArrayConstructor|Int8ArrayConstructor|Uint8ArrayConstructor} T
 * @param {DataView|ArrayBuffer|null|undefined} value
 * @param {T} type
 * @returns {InstanceType<T>}
 */
function typed(value, type) {
  if (value == null) return /** @type {InstanceType<T>} */ (new type(0));
  const bytes = ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value);
  const copy = bytes.slice(0, bytes.byteLength - (bytes.byteLength % type.BYTES_PER_ELEMENT)); // aligned copy
  return /** @type {InstanceType<T>} */ (new type(copy.buffer));
}

/**
 * The figure shown in a [data-field]: the number itself, as the graph widget writes numbers.
 * @param {number} x
 */
export function figure_text(x) {
  return format_number(x);
}

/**
 * @param {Document} doc
 * @param {number} width
 * @param {number} height
 * @param {Record<string, string>} attrs
 */
function make_canvas(doc, width, height, attrs) {
  const ratio = Math.min(2, doc.defaultView?.devicePixelRatio || 1);
  const canvas = html(doc, "canvas", { ...attrs, width: Math.round(width * ratio), height: Math.round(height * ratio) });
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  return canvas;
}

/** @param {{model: any, el: HTMLElement}} args */
function render({ model, el }) {
  const doc = el.ownerDocument;
  const root = html(doc, "div", { class: "mgw-trainer", "data-lm-suppress-shortcuts": "true" });
  const send = (type, extra = {}) => model.send({ type, ...extra });
  const buttons = {};
  const toolbar = html(doc, "div", { class: "mgw-toolbar", role: "toolbar", "aria-label": "training" });
  for (const [name, text, title] of [
    ["play", "▶ play", "train until paused"],
    ["pause", "❚❚ pause", "stop after this epoch"],
    ["step", "step", "train one epoch"],
    ["reset", "reset", "back to the initial weights"],
    ["regenerate data", "new data", "draw new points from the same data set"],
  ]) {
    buttons[name] = html(doc, "button", { type: "button", "aria-label": name, title }, text);
    buttons[name].addEventListener("click", () => send(name === "regenerate data" ? "regenerate" : name));
    toolbar.append(buttons[name]);
  }
  const field = (name) => html(doc, "span", { class: "mgw-figure", "data-field": name }, "");
  const fields = {
    epoch: field("epoch"), loss: field("loss"), accuracy: field("accuracy"),
    "test-loss": field("test-loss"), "test-accuracy": field("test-accuracy"),
  };
  const status = html(doc, "div", { class: "mgw-status", "data-field": "status", role: "status", "aria-live": "polite" });
  toolbar.append(html(doc, "span", { class: "mgw-epoch" }, "epoch ", fields.epoch));
  const figures = html(doc, "dl", { class: "mgw-figures" },
    html(doc, "dt", {}, "train loss"), html(doc, "dd", {}, fields.loss),
    html(doc, "dt", {}, "test loss"), html(doc, "dd", {}, fields["test-loss"]),
    html(doc, "dt", {}, "train accuracy"), html(doc, "dd", {}, fields.accuracy),
    html(doc, "dt", {}, "test accuracy"), html(doc, "dd", {}, fields["test-accuracy"]));

  const plane = make_canvas(doc, PLANE_SIZE, PLANE_SIZE, {
    "data-role": "boundary", role: "img", tabindex: "0",
    "aria-label": "decision boundary: the model's score over the plane; filled dots are training points, rings are test points; click a point (or use the arrow keys) to see its loss graph",
  });
  const network = make_canvas(doc, NETWORK_SIZE[0], NETWORK_SIZE[1], {
    "data-role": "network", role: "img",
    "aria-label": "the network: each hidden neuron's output over the plane, connections coloured by weight sign, width by size",
  });
  const loss_curve = make_canvas(doc, CURVE_SIZE[0], CURVE_SIZE[1], { "data-role": "loss-curve", role: "img", "aria-label": "loss per epoch: train solid, test dashed" });
  const accuracy_curve = make_canvas(doc, CURVE_SIZE[0], CURVE_SIZE[1], { "data-role": "accuracy-curve", role: "img", "aria-label": "accuracy per epoch: train solid, test dashed" });
  const point_input = html(doc, "input", { type: "number", min: -1, step: 1, value: -1, name: "point" });
  point_input.addEventListener("change", () => send("select", { index: Math.trunc(Number(point_input.value)) }));
  const point_panel = html(doc, "div", { class: "mgw-point-graph", "data-role": "point-graph" });
  const point_bar = html(doc, "div", { class: "mgw-point-bar" },
    html(doc, "label", {}, "loss graph of point (−1: none) ", point_input));

  const controls = build_controls(doc, {
    get: (name) => model.get(name),
    set: (changes) => {
      for (const [name, value] of Object.entries(changes)) model.set(name, value);
      model.save_changes();
    },
  });

  root.append(
    toolbar, status,
    html(doc, "div", { class: "mgw-main" },
      html(doc, "div", { class: "mgw-column" }, plane, point_bar),
      html(doc, "div", { class: "mgw-column" }, network),
      html(doc, "div", { class: "mgw-column" }, figures, loss_curve, accuracy_curve)),
    controls.element, point_panel);
  el.append(root);

  plane.addEventListener("click", (event) => {
    const rect = plane.getBoundingClientRect();
    const scale = plane.width / (rect.width || plane.width);
    const i = nearest_point(to_float64(model.get("points")), model.get("extent") || [], plane.width,
      (event.clientX - rect.left) * scale, (event.clientY - rect.top) * scale, 10 * scale);
    send("select", { index: i });
  });

  // keyboard: arrows walk through the points, Escape hides the loss graph
  plane.addEventListener("keydown", (event) => {
    const count = Math.floor(to_float64(model.get("points")).length / 2);
    const selected = model.get("selected");
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (event.key in moves && count > 0) {
      send("select", { index: (((selected < 0 ? -1 : selected) + moves[event.key]) % count + count) % count });
      event.preventDefault();
    } else if (event.key === "Escape") {
      send("select", { index: -1 });
    }
  });

  // ---- painting: every change event marks the state dirty; one repaint per frame ----------
  // Theme colours are read at most once a second: getComputedStyle forces a
  // style recalculation, which in JupyterLab's big DOM costs more than a paint.
  let theme = null, theme_read = -Infinity;
  const color = (name, fallback) => {
    const now = Date.now();
    if (!theme || now - theme_read > 1000) {
      theme = doc.defaultView?.getComputedStyle?.(root) || null;
      theme = theme ? { fg: theme.getPropertyValue("--mgw-fg").trim(), muted: theme.getPropertyValue("--mgw-muted").trim() } : {};
      theme_read = now;
    }
    return theme[name === "--mgw-fg" ? "fg" : "muted"] || fallback;
  };
  let point_view = null, point_structure = null;
  function paint() {
    const running = Boolean(model.get("running"));
    root.setAttribute("data-running", String(running));
    buttons.play.setAttribute("aria-pressed", String(running));
    buttons.pause.setAttribute("aria-pressed", String(!running));
    set_text(fields.epoch, String(model.get("epoch")));
    const now = to_float64(model.get("figures"));
    /** @type {[string, number][]} */ ([["loss", 0], ["accuracy", 1], ["test-loss", 2], ["test-accuracy", 3]]).forEach(([name, k]) =>
      set_text(fields[name], now.length > k ? figure_text(now[k]) : ""));
    set_text(status, model.get("status") || "");
    const fg = color("--mgw-fg", "#1a1a1a"), muted = color("--mgw-muted", "#6b6b6b");
    const extent = model.get("extent") || [];
    const field_values = typed(model.get("boundary"), Float32Array);
    const selected = model.get("selected");
    if (doc.activeElement !== point_input) point_input.value = String(selected);
    draw_plane(plane, {
      field: field_values, cells: model.get("cells"), extent, selected,
      points: to_float64(model.get("points")), labels: typed(model.get("labels"), Int8Array), split: typed(model.get("split"), Uint8Array),
    }, fg);
    const cells = model.get("hidden_cells");
    draw_network(network, {
      sizes: model.get("sizes") || [], weights: typed(model.get("weights"), Float32Array),
      maps: typed(model.get("hidden_maps"), Float32Array), cells,
      input_maps: extent.length === 4 ? input_maps(cells, extent) : [],
      output: field_values, output_cells: model.get("cells"),
    }, muted);
    const rows = to_float64(model.get("curves"));
    const curve_colors = (kind) => ({ train: kind === "loss" ? "#e66101" : "#2b83ba", test: muted, axis: muted });
    const lc = loss_curve.getContext?.("2d"), ac = accuracy_curve.getContext?.("2d");
    if (lc) draw_curves(lc, rows, { train: LOSS, test: TEST_LOSS, kind: "loss", colors: curve_colors("loss") }, loss_curve.width, loss_curve.height);
    if (ac) draw_curves(ac, rows, { train: ACCURACY, test: TEST_ACCURACY, kind: "accuracy", colors: curve_colors("accuracy") }, accuracy_curve.width, accuracy_curve.height);
    controls.update();
    paint_point_graph();
  }

  function paint_point_graph() {
    const structure = model.get("point_structure") || {};
    if (!structure.n) {
      point_view?.destroy();
      point_view = point_structure = null;
      return;
    }
    if (structure !== point_structure || !point_view) {
      point_view?.destroy();
      point_structure = structure;
      point_view = mount_graph_view(point_panel, { structure, data: model.get("point_data"), grad: model.get("point_grad"), group_threshold: 300 });
      hide_colliding_controls(point_panel);
    } else {
      point_view.update(model.get("point_data"), model.get("point_grad"), {});
    }
  }

  let frame = 0;
  const schedule = () => {
    if (frame) return;
    const next = doc.defaultView?.requestAnimationFrame?.bind(doc.defaultView) || ((fn) => setTimeout(fn, 0));
    frame = next(() => {
      frame = 0;
      paint();
    });
  };
  model.on("change", schedule);
  paint();
  const stop_beating = announce_view(model);
  return () => {
    stop_beating();
    model.off("change", schedule);
    point_view?.destroy();
    root.remove();
  };
}

/**
 * Tell the kernel this view is on a page until the returned function is called.
 * @param {{send: (content: any) => void}} model
 * @returns {() => void}
 */
export function announce_view(model) {
  const view = globalThis.crypto?.randomUUID?.() || `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const say = (/** @type {string} */ event) => {
    try {
      model.send({ type: "view", event, view });
    } catch {
      // a closed comm (kernel gone): nothing to tell
    }
  };
  say("open");
  /** @type {any} */
  const timer = setInterval(() => say("beat"), BEAT_MS);
  timer?.unref?.(); // under node (tests) a beating view must not keep the process alive
  return () => {
    clearInterval(timer);
    say("close");
  };
}

// The embedded graph view has its own "reset" (for sliders, which a point's
// loss graph does not have) and may grow a "step"/"play"; the trainer's buttons
// must stay the only controls with those names (tests and screen readers find
// them by name), so the view's are relabelled and hidden.
export function hide_colliding_controls(panel) {
  const walk = (node) => {
    for (const child of Array.from(node.childNodes || [])) {
      const label = child.getAttribute?.("aria-label") || "";
      if (/\b(play|pause|step|reset)\b/.test(label)) {
        child.setAttribute("aria-label", `loss graph ${label}`);
        child.hidden = true;
      }
      walk(child);
    }
  };
  walk(panel);
}

export default { render };
