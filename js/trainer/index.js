// The trainer's anywidget entry. The page trains (engine.js, one per widget
// model on a page, shared by its views) and paints every picture from the
// weights (pictures.js); this view builds the controls from the kernel's
// settings table, sends play/pause/step and the settings, and repaints the
// plane, the network, the curves and the figures once per animation frame.
import { html, set_text } from "../core/dom.js";
import { format_number } from "../core/format.js";
import { to_float64, normalize_structure } from "../core/codecs.js";
import { replay } from "../core/replay.js";
import { draw_plane, nearest_point } from "./boundary.js";
import { draw_network, output_maps, feature_input_maps } from "./network.js";
import { draw_curves, LOSS, ACCURACY, TEST_LOSS, TEST_ACCURACY } from "./curves.js";
import { build_settings, lr_text } from "./settings_controls.js";
import { build_draw_controls } from "./draw_controls.js";
import { draw_fit, fit_frame, point_xs, curve_map } from "./fit_plot.js";
import { add_point_message, to_data } from "./draw_mode.js";
import { apply_access } from "./access.js";
import { draw_legend, paint_diverging, paint_probability, class_color } from "./palette.js";
import { paint_field, css, NEGATIVE, POSITIVE } from "./colormap.js";
import { engine_for, drop_engine } from "./engine.js";
import { CELLS, HIDDEN_CELLS } from "./pictures.js";
import { mount_graph_view } from "../graph/graph_view.js";

const PLANE_SIZE = 320;
const NETWORK_SIZE = [300, 320];
const CURVE_SIZE = [260, 120];
const LEGEND_SIZE = [PLANE_SIZE, 36];
const MAX_CURVE_ROWS = 1000; // the curves draw at most this many rows (thinned evenly, the last kept)

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

/**
 * History rows as the curves draw them: flat, thinned to MAX_CURVE_ROWS.
 * @param {number[][]} history
 * @returns {Float64Array}
 */
export function curve_table(history) {
  const step = Math.max(1, Math.ceil(history.length / MAX_CURVE_ROWS));
  const rows = history.filter((_, k) => k % step === 0 || k === history.length - 1);
  const out = new Float64Array(rows.length * 5);
  rows.forEach((row, k) => out.set(row, k * 5));
  return out;
}

/** @param {{model: any, el: HTMLElement}} args */
function render({ model, el }) {
  const doc = el.ownerDocument;
  const engine = engine_for(model);
  engine.sync(); // the state as it is now: initialize() may have seen it before its buffers were in
  const root = html(doc, "div", { class: "mgw-trainer", "data-lm-suppress-shortcuts": "true" });
  const send = (type, extra = {}) => model.send({ type, engine: engine.id, ...extra });
  const buttons = {};
  const toolbar = html(doc, "div", { class: "mgw-toolbar", role: "toolbar", "aria-label": "training" });
  const actions = {
    play: () => engine.play(),
    pause: () => engine.pause(),
    step: () => engine.step(),
    reset: () => send("reset"),
    "new data": () => send("regenerate"),
    "copy setup": () => send("copy_setup"),
  };
  for (const [name, text, title, setting] of [
    ["play", "▶ play", "train until paused", "play"],
    ["pause", "❚❚ pause", "stop after this epoch", "pause"],
    ["step", "step", "train one epoch", "step"],
    ["reset", "reset", "back to the initial weights", "reset"],
    ["new data", "new data", "draw new points from the same data set", "new_data"],
    ["copy setup", "copy setup", "copy a Python line that rebuilds this trainer exactly (paste it into a cell)", "copy_setup"],
  ]) {
    buttons[name] = html(doc, "button", { type: "button", "aria-label": name, title, "data-setting": setting }, text);
    buttons[name].addEventListener("click", actions[name]);
    toolbar.append(buttons[name]);
  }
  const field = (name) => html(doc, "span", { class: "mgw-figure", "data-field": name }, "");
  const fields = {
    epoch: field("epoch"), loss: field("loss"), accuracy: field("accuracy"),
    "test-loss": field("test-loss"), "test-accuracy": field("test-accuracy"),
  };
  const status = html(doc, "div", { class: "mgw-status", "data-field": "status", role: "status", "aria-live": "polite" });
  const rate = html(doc, "span", { class: "mgw-rate", "data-field": "rate" }, "");
  toolbar.append(html(doc, "span", { class: "mgw-epoch" }, "epoch ", fields.epoch), rate);
  // "accuracy" or "R²": the names follow the task
  const metric_names = [html(doc, "dt", {}, "train accuracy"), html(doc, "dt", {}, "test accuracy")];
  const figures = html(doc, "dl", { class: "mgw-figures" },
    html(doc, "dt", {}, "train loss"), html(doc, "dd", {}, fields.loss),
    html(doc, "dt", {}, "test loss"), html(doc, "dd", {}, fields["test-loss"]),
    metric_names[0], html(doc, "dd", {}, fields.accuracy),
    metric_names[1], html(doc, "dd", {}, fields["test-accuracy"]));

  const plane = make_canvas(doc, PLANE_SIZE, PLANE_SIZE, { "data-role": "boundary", role: "img", tabindex: "0", "aria-label": "" });
  const network = make_canvas(doc, NETWORK_SIZE[0], NETWORK_SIZE[1], {
    "data-role": "network", role: "img",
    "aria-label": "the network: each hidden neuron's output over the plane, connections coloured by weight sign, width by size",
  });
  const loss_curve = make_canvas(doc, CURVE_SIZE[0], CURVE_SIZE[1], { "data-role": "loss-curve", role: "img", "aria-label": "loss per epoch: train solid, test dashed" });
  const accuracy_curve = make_canvas(doc, CURVE_SIZE[0], CURVE_SIZE[1], { "data-role": "accuracy-curve", role: "img", "aria-label": "accuracy per epoch: train solid, test dashed" });
  const legend = make_canvas(doc, LEGEND_SIZE[0], LEGEND_SIZE[1], { "data-role": "legend", role: "img", "aria-label": "colour legend of the predicted value" });
  const legend_box = html(doc, "div", { class: "mgw-legend" }, html(doc, "span", { class: "mgw-legend-title" }, "predicted value"), legend);
  // which colour is which class (the lecturer's names when the data had them)
  const class_legend = html(doc, "ul", { class: "mgw-class-legend", "data-role": "class-legend", "aria-label": "classes" });
  let class_legend_key = "";
  const point_input = html(doc, "input", { type: "number", min: -1, step: 1, value: -1, name: "point", "data-setting": "point" });
  point_input.addEventListener("change", () => send("select", { index: Math.trunc(Number(point_input.value)) }));
  const point_panel = html(doc, "div", { class: "mgw-point-graph", "data-role": "point-graph" });
  const point_bar = html(doc, "div", { class: "mgw-point-bar" },
    html(doc, "label", {}, "loss graph of point (−1: none) ", point_input));

  const specs = model.get("setting_specs") || [];
  const page_applies = (/** @type {string} */ name) => specs.find((s) => s.name === name)?.page ?? false;
  const io = {
    get: (/** @type {string} */ name) => model.get(name),
    change: (/** @type {Record<string, any>} */ changes) => engine.change(changes, page_applies),
    send,
  };
  const settings = build_settings(doc, specs, io);
  const draw_panel = build_draw_controls(doc, io);
  settings.element.append(draw_panel.element);
  // "copy setup": the kernel answers with the text; the clipboard may refuse
  // (no permission, an http page), then the text waits in a box to copy by hand
  const setup_text = html(doc, "textarea", { readonly: true, rows: 3, "aria-label": "setup to copy", class: "mgw-setup-text" });
  const setup_note = html(doc, "span", { class: "mgw-hint", role: "status" }, "");
  const setup_box = html(doc, "div", { class: "mgw-setup", "data-role": "setup" }, setup_note, setup_text);
  setup_text.hidden = true;
  const on_custom = (/** @type {any} */ content) => {
    if (!content || content.type !== "setup" || typeof content.text !== "string") return;
    const show_box = () => {
      setup_text.value = content.text;
      setup_text.hidden = false;
      set_text(setup_note, "copy this line (it is selected):");
      setup_text.focus?.();
      setup_text.select?.();
    };
    const clipboard = doc.defaultView?.navigator?.clipboard;
    if (!clipboard?.writeText) return show_box();
    clipboard.writeText(content.text).then(() => {
      setup_text.hidden = true;
      set_text(setup_note, "setup copied: paste it into a cell");
    }, show_box);
  };
  model.on("msg:custom", on_custom);

  root.append(
    toolbar, status,
    html(doc, "div", { class: "mgw-main" },
      html(doc, "div", { class: "mgw-column" }, plane, legend_box, class_legend, point_bar),
      html(doc, "div", { class: "mgw-column" }, network),
      html(doc, "div", { class: "mgw-column" }, figures, loss_curve, accuracy_curve)),
    setup_box, settings.element, point_panel);
  el.append(root);

  /** The plane's frame [x0, x1, y0, y1] and each point's place in it ((x, target) on a 1-D fit). */
  function plane_frame() {
    const d = model.get("dataset") || {};
    const xy = to_float64(d.points);
    if (d.dims !== 1) return { frame: d.extent || [], xy };
    const ys = to_float64(d.targets);
    const xs = point_xs(xy, ys.length);
    return { frame: fit_frame(Float32Array.from(engine.pictures()?.curve || []), xs, ys, d.extent || []), xy };
  }

  plane.addEventListener("click", (event) => {
    const rect = plane.getBoundingClientRect();
    const scale = plane.width / (rect.width || plane.width);
    const px = (event.clientX - rect.left) * scale, py = (event.clientY - rect.top) * scale;
    const { frame, xy } = plane_frame();
    if (frame.length !== 4) return;
    if (draw_panel.draw.on) {
      const [x, y] = to_data(frame, plane.width, px, py);
      const d = model.get("dataset") || {};
      const state = { task: model.get("task") || "binary", dims: d.dims === 1 ? 1 : 2, label: draw_panel.draw.label, value: draw_panel.draw.value };
      send("add_point", add_point_message(state, x, y, Boolean(event.shiftKey)));
      return;
    }
    send("select", { index: nearest_point(xy, frame, plane.width, px, py, 10 * scale) });
  });

  // keyboard: arrows walk through the points, Escape hides the loss graph, Ctrl+Z takes a drawn point back
  plane.addEventListener("keydown", (event) => {
    const count = (model.get("dataset") || {}).count || 0;
    const selected = model.get("selected");
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (event.key in moves && count > 0) {
      send("select", { index: (((selected < 0 ? -1 : selected) + moves[event.key]) % count + count) % count });
      event.preventDefault();
    } else if (event.key === "Escape") {
      send("select", { index: -1 });
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z") {
      send("undo_point");
      event.preventDefault();
    }
  });

  // ---- painting: every change marks the view dirty; one repaint per frame ---------------------
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

  function paint() {
    const state = engine.state, d = model.get("dataset") || {};
    const running = engine.driving || Boolean(model.get("running"));
    root.setAttribute("data-running", String(running));
    root.setAttribute("data-trains", engine.driving ? "page" : model.get("running") ? "kernel" : "none");
    buttons.play.setAttribute("aria-pressed", String(running));
    buttons.pause.setAttribute("aria-pressed", String(!running));
    set_text(fields.epoch, String(state ? state.epoch : model.get("epoch")));
    set_text(rate, running && engine.rate.value > 0 ? `${Math.round(engine.rate.value)} epochs/s` : "");
    const now = engine.figures();
    /** @type {[string, number][]} */ ([["loss", 1], ["accuracy", 2], ["test-loss", 3], ["test-accuracy", 4]]).forEach(([name, k]) =>
      set_text(fields[name], now.length > k ? figure_text(now[k]) : ""));
    const task = state?.settings.task || model.get("task") || "binary";
    const K = task === "multiclass" ? state?.settings.classes || model.get("classes") || 3 : task === "binary" ? 2 : 0;
    const metric = task === "regression" ? "R²" : "accuracy";
    set_text(metric_names[0], `train ${metric}`);
    set_text(metric_names[1], `test ${metric}`);
    set_text(status, engine.status || model.get("status") || (model.get("program")?.reason && running ? `training in the kernel: ${model.get("program").reason}` : ""));
    set_text(settings.lr_now, lr_text(engine.lr_now()));
    const fg = color("--mgw-fg", "#1a1a1a"), muted = color("--mgw-muted", "#6b6b6b");
    const pictures = engine.pictures();
    const extent = d.extent || [];
    const selected = model.get("selected");
    if (doc.activeElement !== point_input) point_input.value = String(selected);
    const dims = d.dims === 1 ? 1 : 2;
    const range = regression_range(d);
    const discretize = Boolean(model.get("discretize")), show_test = Boolean(model.get("show_test"));
    const points = to_float64(d.points), split = bytes(d.split);
    const field_values = pictures?.field || new Float64Array(0);
    if (dims === 1) {
      const ys = to_float64(d.targets);
      draw_fit(plane, {
        curve: Float32Array.from(pictures?.curve || []), xs: point_xs(points, ys.length), ys, split, extent, show_test, discretize, selected,
      }, { fg, muted, range, labels: [...(d.axis_labels || ["x"]).slice(0, 1), "target"] });
    } else {
      draw_plane(plane, {
        field: field_values, cells: CELLS, extent, selected, points, split,
        labels: Int8Array.from(bytes(d.labels), (b) => (b > 127 ? b - 256 : b)), targets: to_float64(d.targets),
        task, classes: K, range, discretize, show_test, axis_labels: named_axes(d.axis_labels),
      }, fg);
    }
    const regression_map = task === "regression" && dims === 2;
    legend_box.hidden = !regression_map;
    const entries = class_entries(task, K, d.class_names || []);
    const key = JSON.stringify(entries);
    if (key !== class_legend_key) {
      class_legend_key = key;
      while (class_legend.firstChild) class_legend.removeChild(class_legend.firstChild);
      for (const { name, color: c } of entries) {
        const swatch = html(doc, "span", { class: "mgw-swatch", "aria-hidden": "true" });
        swatch.style.background = c;
        class_legend.append(html(doc, "li", {}, swatch, name));
      }
    }
    class_legend.hidden = entries.length === 0;
    const lg = regression_map ? legend.getContext?.("2d") : null;
    if (lg) draw_legend(lg, range, { width: legend.width, height: legend.height, color: fg, discretize });
    plane.setAttribute("aria-label", plane_description(task, K, dims, draw_panel.draw.on));
    if (state && pictures) paint_network(task, K, dims, pictures, state.sizes, muted);
    const rows = curve_table(state?.history || []);
    const curve_colors = (kind) => ({ train: kind === "loss" ? "#e66101" : "#2b83ba", test: muted, axis: muted });
    const lc = loss_curve.getContext?.("2d"), ac = accuracy_curve.getContext?.("2d");
    accuracy_curve.setAttribute("aria-label", `${metric} per epoch: train solid, test dashed`);
    if (lc) draw_curves(lc, rows, { train: LOSS, test: TEST_LOSS, kind: "loss", title: "loss", colors: curve_colors("loss") }, loss_curve.width, loss_curve.height);
    if (ac) draw_curves(ac, rows, { train: ACCURACY, test: TEST_ACCURACY, kind: task === "regression" ? "r2" : "accuracy", title: metric, colors: curve_colors("accuracy") }, accuracy_curve.width, accuracy_curve.height);
    settings.update();
    draw_panel.update();
    apply_access(root, model.get("hide") || [], model.get("lock") || [], model.get("lock_note") || "");
    paint_point_graph();
  }

  function paint_network(task, K, dims, pictures, sizes, muted) {
    const outputs = task === "multiclass" ? K : 1;
    /** @type {((rgba: Uint8ClampedArray, values: Float32Array, n: number) => void)|undefined} */
    let output_paint;
    const range = regression_range(model.get("dataset") || {});
    if (task === "regression") output_paint = (rgba, values, n) => void paint_diverging(rgba, values, n, n, range);
    else if (task === "multiclass") {
      let k = 0; // called once per output box, in order: class k's probability in class k's colour
      output_paint = (rgba, values, n) => void paint_probability(rgba, values, n, class_color(k++));
    } else output_paint = (rgba, values, n) => void paint_field(rgba, values, n, n);
    const features = engine.state?.settings.features || ["x1", "x2"];
    const field = Float32Array.from(pictures.field);
    draw_network(network, {
      sizes, weights: pictures.links, maps: Float32Array.from(pictures.hidden), cells: HIDDEN_CELLS,
      input_maps: feature_input_maps(Float32Array.from(pictures.features), sizes[0] ?? 0, HIDDEN_CELLS, (model.get("dataset") || {}).extent || []),
      input_names: features.length === sizes[0] ? features : [],
      // the 1-D fit's output box shows the curve as a strip: the prediction along x
      output_maps: dims === 2 ? output_maps(field, CELLS, outputs) : [curve_map(Float32Array.from(pictures.curve), HIDDEN_CELLS)],
      output_cells: dims === 2 ? CELLS : HIDDEN_CELLS, output_paint,
    }, muted);
  }

  // ---- the clicked point's loss graph: the kernel's shape, the page's numbers while it trains ----
  let point_view = null, point_trait = null, point_version = -1;
  function paint_point_graph() {
    const point = model.get("point") || {};
    if (!point.structure?.n) {
      point_view?.destroy();
      point_view = point_trait = null;
      return;
    }
    if (point.structure !== point_trait?.structure || !point_view) {
      point_view?.destroy();
      point_view = mount_graph_view(point_panel, { structure: point.structure, data: point.data, grad: point.grad, group_threshold: 300 });
      hide_colliding_controls(point_panel);
      point_version = -1;
    }
    if (point !== point_trait) point_version = -1;
    point_trait = point;
    if (point_version === engine.version || !engine.state) return;
    point_version = engine.version;
    // the weights as the page has them now, put into the point's graph: replayed, it follows training
    const s = normalize_structure(point.structure);
    const data = to_float64(point.data), grad = new Float64Array(data.length);
    (point.params || []).forEach((id, k) => { if (id >= 0 && id < data.length) data[id] = engine.state.weights[k]; });
    replay(s, data, grad, new Array(data.length).fill(null));
    point_view.update(data, grad, {});
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
  const unsubscribe = engine.subscribe(schedule);
  model.on("change", schedule);
  // draw mode shows on the plane: its cursor and its description change at once
  draw_panel.element.addEventListener("change", () => {
    plane.setAttribute("data-drawing", String(draw_panel.draw.on));
    schedule();
  });
  paint();
  const stop_beating = announce_view(model, engine.id, model.get("beat_ms") || 3000);
  return () => {
    stop_beating();
    unsubscribe();
    model.off("change", schedule);
    model.off("msg:custom", on_custom);
    point_view?.destroy();
    root.remove();
  };
}

/** @param {any} value */
function bytes(value) {
  if (value == null) return new Uint8Array(0);
  return ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value);
}

/**
 * [lo, hi] of the regression targets: the diverging legend's range.
 * @param {Record<string, any>} d  the dataset trait
 * @returns {[number, number]}
 */
export function regression_range(d) {
  const ys = to_float64(d.targets);
  if (!ys.length) return [-1, 1];
  let lo = Infinity, hi = -Infinity;
  for (const y of ys) {
    if (y < lo) lo = y;
    if (y > hi) hi = y;
  }
  return [lo, hi];
}

/**
 * The class legend's entries: K classes always (the colours are new); two
 * classes only when they have names of their own (-1/+1 say nothing).
 * @param {string} task
 * @param {number} K
 * @param {string[]} names
 * @returns {{name: string, color: string}[]}
 */
export function class_entries(task, K, names) {
  if (task === "multiclass") {
    const name = (/** @type {number} */ k) => (names[k] && names[k] !== String(k) ? names[k] : `class ${k}`);
    return Array.from({ length: K }, (_, k) => ({ name: name(k), color: css(class_color(k)) }));
  }
  const named = task === "binary" && names.length === 2 && !names.every((n) => /^[-+]?[01]$|^-?1(\.0)?$/.test(n));
  return named ? [{ name: names[0], color: css(NEGATIVE) }, { name: names[1], color: css(POSITIVE) }] : [];
}

/**
 * The axes' names when they are the lecturer's (a table's columns); the default x1, x2 go unwritten.
 * @param {any} labels
 * @returns {string[]|undefined}
 */
export function named_axes(labels) {
  if (!Array.isArray(labels) || labels.length !== 2 || (labels[0] === "x1" && labels[1] === "x2")) return undefined;
  return labels.map(String);
}

/**
 * What the plane shows, for screen readers (and a lecturer's tooltip).
 * @param {string} task
 * @param {number} K
 * @param {number} dims
 * @param {boolean} drawing
 */
export function plane_description(task, K, dims, drawing) {
  const what = dims === 1
    ? "the fit: the points (target over x) and the model's curve"
    : task === "multiclass" ? `the classes: each of the ${K} classes in its colour, paler where the model is less sure`
      : task === "regression" ? "the model's prediction over the plane, on the colour scale below"
        : "decision boundary: the model's score over the plane";
  const click = drawing ? "click to add a point" : "click a point (or use the arrow keys) to see its loss graph";
  return `${what}; filled dots are training points, rings are test points; ${click}`;
}

/**
 * Tell the kernel this view is on a page until the returned function is called.
 * @param {{send: (content: any) => void}} model
 * @param {string} engine  the page's engine (views on one page share it)
 * @param {number} beat_ms  how often (the kernel sends it: training/views.py)
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

/**
 * Once per widget model on a page: its engine (NOTE [one engine per widget on a page] in engine.js).
 * @param {{model: any}} args
 */
function initialize({ model }) {
  engine_for(model);
  return () => drop_engine(model);
}

export { engine_for };
export default { initialize, render };
