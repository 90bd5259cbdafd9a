// The trainer's anywidget entry. The page trains (engine.js, one per widget on
// a page, shared by its views) and paints every picture from the weights
// (pictures.js, paint.js); this view lays the parts out for the room it has
// (layout.js), builds the controls from the kernel's settings table, sends
// play/pause/step and the settings, and repaints once per animation frame.
import { html, set_text } from "../core/dom.js";
import { to_float64 } from "../core/codecs.js";
import { build_settings, lr_text } from "./settings_controls.js";
import { build_draw_controls } from "./draw_controls.js";
import { attach_plane_input } from "./plane_input.js";
import { apply_access } from "./access.js";
import { engine_for, drop_engine } from "./engine.js";
import { sizes } from "./layout.js";
import { plane_description, input_names } from "./view_text.js";
import { build_head, paint_head } from "./toolbar.js";
import { paint_plane, paint_network, paint_curves, paint_legends } from "./paint.js";
import { create_point_panel, hide_colliding_controls } from "./point_panel.js";
import { create_network_touch } from "./network_touch.js";
import { create_copy_box } from "./copy_box.js";
import { announce_view } from "./heartbeat.js";

export { figure_text, curve_table, class_entries, named_axes, plane_description } from "./view_text.js";
export { announce_view, hide_colliding_controls };

const LEGEND_HEIGHT = 36;

/**
 * A canvas drawn at the screen's pixel ratio (up to 2), `width` x `height` CSS pixels.
 * @param {HTMLCanvasElement} canvas
 * @param {number} width
 * @param {number} height
 */
function resize_canvas(canvas, width, height) {
  const ratio = Math.min(2, canvas.ownerDocument.defaultView?.devicePixelRatio || 1);
  const w = Math.round(width * ratio),
    h = Math.round(height * ratio);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
}

/**
 * Every part at its size for the room the view has (layout.js's sizes).
 * @param {Record<string, any>} parts
 * @param {ReturnType<typeof sizes>} s
 */
function resize_parts(
  { plane, network, loss_curve, accuracy_curve, legend, legend_parts, point_panel, middle, curves },
  s,
) {
  resize_canvas(plane, s.plane, s.plane);
  resize_canvas(network, s.network[0], s.network[1]);
  resize_canvas(loss_curve, s.curve[0], s.curve[1]);
  resize_canvas(accuracy_curve, s.curve[0], s.curve[1]);
  resize_canvas(legend, s.plane, LEGEND_HEIGHT);
  point_panel.resize(s.network[0], s.network[1]);
  middle.style.width = `${s.network[0] + 2}px`; // the editor and the info box keep to the network's width
  curves.setAttribute("data-beside", String(s.curves_beside));
  legend_parts.class_legend.style.maxWidth = `${s.plane}px`;
}

/**
 * The canvases: the plane, the network, the two curves and the colour legend (with the class legend).
 * @param {Document} doc
 */
function build_pictures(doc) {
  const plane = html(doc, "canvas", { "data-role": "boundary", role: "img", tabindex: "0", "aria-label": "" });
  const network = html(doc, "canvas", {
    "data-role": "network",
    role: "img",
    "aria-label":
      "the network: each hidden neuron's output over the plane, connections coloured by weight sign, width by size",
  });
  const loss_curve = html(doc, "canvas", {
    "data-role": "loss-curve",
    role: "img",
    "aria-label": "loss per epoch: train solid, test dashed",
  });
  const accuracy_curve = html(doc, "canvas", {
    "data-role": "accuracy-curve",
    role: "img",
    "aria-label": "accuracy per epoch: train solid, test dashed",
  });
  const legend = html(doc, "canvas", {
    "data-role": "legend",
    role: "img",
    "aria-label": "colour legend of the predicted value",
  });
  const legend_parts = {
    legend,
    legend_box: html(
      doc,
      "div",
      { class: "mgw-legend" },
      html(doc, "span", { class: "mgw-legend-title" }, "predicted value"),
      legend,
    ),
    // which colour is which class (the lecturer's names when the data had them)
    class_legend: html(doc, "ul", { class: "mgw-class-legend", "data-role": "class-legend", "aria-label": "classes" }),
    key: "",
  };
  return { plane, network, loss_curve, accuracy_curve, legend, legend_parts };
}

/**
 * The box under the plane that opens a point's loss graph by its index (-1 closes it).
 * @param {Document} doc
 * @param {(type: string, extra?: object) => void} send
 */
function build_point_bar(doc, send) {
  const point_input = html(doc, "input", {
    type: "number",
    min: -1,
    step: 1,
    value: -1,
    name: "point",
    "data-setting": "point",
  });
  const pick = () => send("select", { index: Math.trunc(Number(point_input.value)) });
  point_input.addEventListener("change", pick);
  point_input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") pick();
  }); // change waits for blur
  const element = html(
    doc,
    "div",
    { class: "mgw-point-bar" },
    html(doc, "label", {}, "loss graph of point (−1: none) ", point_input),
  );
  return { element, input: point_input };
}

/**
 * A view made again at once (the kernel brings the output's picture up to date
 * on pause, and the front-end draws the output anew) takes the keyboard's focus
 * where the old one had it, after the old view has gone (the front-end may add
 * the new one first).
 * @param {HTMLElement} root
 * @param {any} engine  its focus_hint outlives the view
 */
function keep_focus(root, engine) {
  const doc = root.ownerDocument;
  const restore_focus = () => {
    const hint = engine.focus_hint;
    const lost = !doc.activeElement || doc.activeElement === doc.body;
    if (!hint || !lost || Date.now() - hint.at > 5000 || !root.isConnected) return;
    /** @type {HTMLElement|undefined} */ (
      Array.from(root.querySelectorAll("button, input, select")).find(
        (e) => e.getAttribute("aria-label") === hint.label,
      )
    )?.focus();
  };
  restore_focus();
  setTimeout(restore_focus, 100);
  root.addEventListener("focusin", (event) => {
    engine.focus_hint = { label: /** @type {Element} */ (event.target).getAttribute?.("aria-label"), at: Date.now() };
  });
}

/** @param {{model: any, el: HTMLElement}} args */
function render({ model, el }) {
  const doc = el.ownerDocument;
  const engine = engine_for(model);
  engine.sync(); // the state as it is now: initialize() may have seen it before its buffers were in
  const root = html(doc, "div", { class: "mgw-trainer", "data-lm-suppress-shortcuts": "true" });
  const send = (type, extra = {}) => model.send({ type, engine: engine.id, ...extra });
  let settings_open = false;
  const head = build_head(doc, {
    play: () => engine.play(),
    pause: () => engine.pause(),
    step: () => engine.step(),
    reset: () => send("reset"),
    "new data": () => send("regenerate"),
    "copy setup": () => send("copy_setup"),
    "copy as PyTorch": () => send("copy_torch"),
    settings: () => {
      settings_open = !settings_open;
      schedule();
    },
  });

  const { plane, network, loss_curve, accuracy_curve, legend, legend_parts } = build_pictures(doc);
  const point_bar = build_point_bar(doc, send);
  const point_input = point_bar.input;
  const point_panel = create_point_panel(doc, model, engine, send);

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
  const setup = create_copy_box(doc, model);

  // the network you can touch: its maths over a neuron or a link, its weights edited by hand
  let last_point = null; // the plane's point last hovered (or selected): where the neurons' values are read
  const touch = create_network_touch(doc, network, engine, model, send, () => {
    const d = model.get("dataset") || {};
    const selected = model.get("selected");
    const points = to_float64(d.points);
    const point =
      last_point || (selected >= 0 && d.dims !== 1 ? [points[2 * selected], points[2 * selected + 1]] : null);
    return {
      inputs: input_names(engine.state?.settings.features || ["x1", "x2"], d.axis_labels || []),
      classes: d.class_names || [],
      point,
    };
  });
  const network_box = html(doc, "div", { class: "mgw-network-box" }, network, touch.info);
  const middle = html(doc, "div", { class: "mgw-column mgw-middle" }, network_box, point_panel.element, touch.editor);
  const curves = html(doc, "div", { class: "mgw-column mgw-curves" }, loss_curve, accuracy_curve);
  const left = [plane, legend_parts.legend_box, legend_parts.class_legend, point_bar.element];
  const main = html(
    doc,
    "div",
    { class: "mgw-main" },
    html(doc, "div", { class: "mgw-column" }, ...left),
    middle,
    curves,
  );
  root.append(head.toolbar.element, head.figures.element, head.status, main, setup.element, settings.element);
  el.append(root);

  // ---- the room it has: sizes for the width, again when the width changes -----------------
  let laid_out = "";
  function lay_out() {
    // the content's width: the root's less its padding and a canvas's borders
    const width = (root.clientWidth || el.clientWidth || 900) - 16;
    const presenter = Boolean(model.get("presenter"));
    const key = `${width}/${presenter}`;
    if (key === laid_out) return;
    laid_out = key;
    resize_parts(
      { plane, network, loss_curve, accuracy_curve, legend, legend_parts, point_panel, middle, curves },
      sizes(width, presenter),
    );
  }
  const win = doc.defaultView;
  const observer = win?.ResizeObserver ? new win.ResizeObserver(() => schedule()) : null;
  observer?.observe(root);

  // ---- the plane: a click selects a point, or adds one in draw mode -------------------------
  attach_plane_input(plane, {
    model,
    engine,
    send,
    draw: draw_panel.draw,
    on_hover: (point) => {
      last_point = point;
      if (touch.marked()) touch.paint();
    },
  });

  // ---- painting: every change marks the view dirty; one repaint per frame ---------------------
  const colors = theme_reader(root);
  const parts = {
    root,
    head,
    settings,
    draw_panel,
    plane,
    legend_parts,
    point_panel,
    point_input,
    network,
    network_box,
    touch,
    loss_curve,
    accuracy_curve,
  };
  function paint() {
    lay_out();
    paint_view(parts, { model, engine, colors: colors(), settings_open });
  }

  let pending = 0;
  function schedule() {
    if (pending) return;
    const next = win?.requestAnimationFrame?.bind(win) || ((fn) => setTimeout(fn, 0));
    pending = next(() => {
      pending = 0;
      paint();
    });
  }
  const unsubscribe = engine.subscribe(schedule);
  model.on("change", schedule);
  // draw mode shows on the plane: its cursor and its description change at once
  draw_panel.element.addEventListener("change", () => {
    plane.setAttribute("data-drawing", String(draw_panel.draw.on));
    schedule();
  });
  paint();
  keep_focus(root, engine);
  const stop_beating = announce_view(model, engine.id, model.get("beat_ms") || 3000);
  return () => {
    stop_beating();
    unsubscribe();
    observer?.disconnect();
    model.off("change", schedule);
    setup.destroy();
    point_panel.destroy();
    root.remove();
  };
}

/**
 * One frame: the toolbar, the pictures and the controls as the engine and the model hold them now.
 * @param {Record<string, any>} parts the view's elements and part objects (render builds them)
 * @param {{model: any, engine: any, colors: any, settings_open: boolean}} now
 */
function paint_view(parts, { model, engine, colors, settings_open }) {
  const { root, head, settings, draw_panel, plane, legend_parts, point_panel, point_input } = parts;
  const { network, network_box, touch, loss_curve, accuracy_curve } = parts;
  const doc = root.ownerDocument;
  const state = engine.state,
    d = model.get("dataset") || {};
  const presenter = Boolean(model.get("presenter"));
  const running = engine.driving || Boolean(model.get("running"));
  root.setAttribute("data-running", String(running));
  root.setAttribute("data-trains", engine.driving ? "page" : model.get("running") ? "kernel" : "none");
  root.classList.toggle("mgw-presenter", presenter);
  // presenter mode: the plane, the network, the figures and play/pause/step/reset; the rest folds
  const folded = presenter && !settings_open;
  settings.element.style.display = folded ? "none" : "";
  const task = state?.settings.task || model.get("task") || "binary";
  const K = task === "multiclass" ? state?.settings.classes || model.get("classes") || 3 : task === "binary" ? 2 : 0;
  const reason = model.get("program")?.reason;
  paint_head(head, {
    running,
    presenter,
    folded,
    epoch: state ? state.epoch : model.get("epoch"),
    rate: engine.rate.value,
    figures: engine.figures(),
    no_training: (d.count ?? 0) === 0 || bytes_all_test(d),
    task,
    status: engine.status || model.get("status") || (reason && running ? `training in the kernel: ${reason}` : ""),
  });
  set_text(settings.lr_now, lr_text(engine.lr_now()));
  const selected = model.get("selected");
  if (doc.activeElement !== point_input) point_input.value = String(selected);
  const dims = d.dims === 1 ? 1 : 2;
  /** @type {import("./paint.js").Frame} */
  const frame = { model, engine, d, task, K, dims, colors, pictures: engine.pictures() };
  paint_plane(plane, frame);
  paint_legends(legend_parts, frame);
  plane.setAttribute("aria-label", plane_description(task, K, dims, draw_panel.draw.on));
  // a clicked point's loss graph takes the network's place: where the eye is
  network.hidden = point_panel.paint();
  network_box.hidden = network.hidden; // an empty box would still take the column's gap
  if (!network.hidden) paint_network(network, frame, touch.marked());
  touch.paint();
  paint_curves(loss_curve, accuracy_curve, frame);
  settings.update();
  draw_panel.update();
  apply_access(
    root,
    model.get("hide") || [],
    model.get("locked") || model.get("lock") || [],
    model.get("lock_note") || "",
  );
}

/** True when every point is a test point: no training figures to show. @param {Record<string, any>} d */
function bytes_all_test(d) {
  const split = d.split;
  if (!split) return false;
  const b = ArrayBuffer.isView(split)
    ? new Uint8Array(split.buffer, split.byteOffset, split.byteLength)
    : new Uint8Array(split);
  return b.length > 0 && b.every((v) => v === 1);
}

/**
 * The theme's colours, read at most once a second: getComputedStyle forces a
 * style recalculation, which in JupyterLab's big DOM costs more than a paint.
 * @param {HTMLElement} root
 */
function theme_reader(root) {
  let theme = null,
    read = -Infinity;
  return () => {
    const now = Date.now();
    if (!theme || now - read > 1000) {
      const style = root.ownerDocument.defaultView?.getComputedStyle?.(root);
      theme = {
        fg: style?.getPropertyValue("--mgw-fg").trim() || "#1a1a1a",
        muted: style?.getPropertyValue("--mgw-muted").trim() || "#6b6b6b",
      };
      read = now;
    }
    return theme;
  };
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
