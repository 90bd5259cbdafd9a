// One frame of the trainer view, painted from the page's engine (its weights,
// history and pictures) and the model's traits (the dataset, the settings):
// the plane, the network, the curves and the legends.
import { html } from "../core/dom.js";
import { to_float64 } from "../core/codecs.js";
import { draw_plane } from "./boundary.js";
import { draw_network, output_maps, feature_input_maps } from "./network.js";
import { draw_curves, LOSS, ACCURACY, TEST_LOSS, TEST_ACCURACY } from "./curves.js";
import { draw_fit, point_xs, curve_map } from "./fit_plot.js";
import { draw_legend, paint_diverging, paint_probability, class_color } from "./palette.js";
import { paint_field } from "./colormap.js";
import { CELLS, HIDDEN_CELLS } from "./pictures.js";
import { class_entries, named_axes, curve_table, input_names } from "./view_text.js";

/** @param {any} value */
export function bytes(value) {
  if (value == null) return new Uint8Array(0);
  return ArrayBuffer.isView(value)
    ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    : new Uint8Array(value);
}

/**
 * [lo, hi] of the regression targets: the diverging legend's range.
 * @param {Record<string, any>} d  the dataset trait
 * @returns {[number, number]}
 */
export function regression_range(d) {
  const ys = to_float64(d.targets);
  if (!ys.length) return [-1, 1];
  let lo = Infinity,
    hi = -Infinity;
  for (const y of ys) {
    if (y < lo) lo = y;
    if (y > hi) hi = y;
  }
  return [lo, hi];
}

/**
 * @typedef {object} Frame  what one repaint reads
 * @property {any} model
 * @property {import("./engine.js").Engine} engine
 * @property {Record<string, any>} d  the dataset trait
 * @property {string} task
 * @property {number} K
 * @property {number} dims
 * @property {{fg: string, muted: string}} colors
 * @property {any} pictures  engine.pictures()
 */

/**
 * @param {HTMLCanvasElement} plane
 * @param {Frame} f
 */
export function paint_plane(plane, f) {
  const { model, d, task, K, dims, pictures } = f;
  const range = regression_range(d);
  const discretize = Boolean(model.get("discretize")),
    show_test = Boolean(model.get("show_test"));
  const points = to_float64(d.points),
    split = bytes(d.split),
    selected = model.get("selected");
  if (dims === 1) {
    const ys = to_float64(d.targets);
    draw_fit(
      plane,
      {
        curve: Float32Array.from(pictures?.curve || []),
        xs: point_xs(points, ys.length),
        ys,
        split,
        extent: d.extent || [],
        show_test,
        discretize,
        selected,
      },
      { fg: f.colors.fg, muted: f.colors.muted, range, labels: [...(d.axis_labels || ["x"]).slice(0, 1), "target"] },
    );
    return;
  }
  draw_plane(
    plane,
    {
      field: pictures?.field || new Float64Array(0),
      cells: CELLS,
      extent: d.extent || [],
      selected,
      points,
      split,
      labels: Int8Array.from(bytes(d.labels), (b) => (b > 127 ? b - 256 : b)),
      targets: to_float64(d.targets),
      task: /** @type {any} */ (task),
      classes: K,
      range,
      discretize,
      show_test,
      axis_labels: named_axes(d.axis_labels),
    },
    f.colors.fg,
  );
}

/**
 * @param {HTMLCanvasElement} network
 * @param {Frame} f
 * @param {{column: number, k: number, from?: number}|null} [marked]  the neuron or link the pointer is on
 */
export function paint_network(network, f, marked = null) {
  const { task, K, dims, pictures, d, engine } = f;
  if (!pictures || !engine.state) return;
  const sizes = engine.state.sizes;
  const range = regression_range(d);
  /** @type {((rgba: Uint8ClampedArray, values: Float32Array, n: number) => void)|undefined} */
  let output_paint;
  if (task === "regression") output_paint = (rgba, values, n) => void paint_diverging(rgba, values, n, n, range);
  else if (task === "multiclass") {
    let k = 0; // called once per output box, in order: class k's probability in class k's colour
    output_paint = (rgba, values, n) => void paint_probability(rgba, values, n, class_color(k++));
  } else output_paint = (rgba, values, n) => void paint_field(rgba, values, n, n);
  const features = engine.state.settings.features || ["x1", "x2"];
  const field = Float32Array.from(pictures.field);
  draw_network(
    network,
    {
      sizes,
      weights: pictures.links,
      maps: Float32Array.from(pictures.hidden),
      cells: HIDDEN_CELLS,
      input_maps: feature_input_maps(Float32Array.from(pictures.features), sizes[0] ?? 0, HIDDEN_CELLS, d.extent || []),
      input_names: features.length === sizes[0] ? input_names(features, d.axis_labels || []) : [],
      // the 1-D fit's output box shows the curve as a strip: the prediction along x
      output_maps:
        dims === 2
          ? output_maps(field, CELLS, task === "multiclass" ? K : 1)
          : [curve_map(Float32Array.from(pictures.curve), HIDDEN_CELLS)],
      output_cells: dims === 2 ? CELLS : HIDDEN_CELLS,
      output_paint,
      marked,
    },
    f.colors.muted,
  );
}

/**
 * @param {HTMLCanvasElement} loss_curve
 * @param {HTMLCanvasElement} accuracy_curve
 * @param {Frame} f
 */
export function paint_curves(loss_curve, accuracy_curve, f) {
  const rows = curve_table(f.engine.state?.history || []);
  const metric = f.task === "regression" ? "R²" : "accuracy";
  const colors = (kind) => ({
    train: kind === "loss" ? "#e66101" : "#2b83ba",
    test: f.colors.muted,
    axis: f.colors.muted,
  });
  const lc = loss_curve.getContext?.("2d"),
    ac = accuracy_curve.getContext?.("2d");
  accuracy_curve.setAttribute("aria-label", `${metric} per epoch: train solid, test dashed`);
  if (lc)
    draw_curves(
      lc,
      rows,
      { train: LOSS, test: TEST_LOSS, kind: "loss", title: "loss", colors: colors("loss") },
      loss_curve.width,
      loss_curve.height,
    );
  if (ac)
    draw_curves(
      ac,
      rows,
      {
        train: ACCURACY,
        test: TEST_ACCURACY,
        kind: f.task === "regression" ? "r2" : "accuracy",
        title: metric,
        colors: colors("accuracy"),
      },
      accuracy_curve.width,
      accuracy_curve.height,
    );
}

/**
 * The regression map's legend and the class legend (rebuilt only when its entries change).
 * @param {{legend_box: HTMLElement, legend: HTMLCanvasElement, class_legend: HTMLElement, key: string}} parts
 * @param {Frame} f
 */
export function paint_legends(parts, f) {
  const { task, K, dims, d, model } = f;
  const regression_map = task === "regression" && dims === 2;
  parts.legend_box.hidden = !regression_map;
  const lg = regression_map ? parts.legend.getContext?.("2d") : null;
  if (lg)
    draw_legend(lg, regression_range(d), {
      width: parts.legend.width,
      height: parts.legend.height,
      color: f.colors.fg,
      discretize: Boolean(model.get("discretize")),
    });
  const entries = class_entries(task, K, d.class_names || []);
  const key = JSON.stringify(entries);
  parts.class_legend.hidden = entries.length === 0;
  if (key === parts.key) return;
  parts.key = key;
  const doc = parts.class_legend.ownerDocument;
  while (parts.class_legend.firstChild) parts.class_legend.removeChild(parts.class_legend.firstChild);
  for (const { name, color } of entries) {
    const swatch = html(doc, "span", { class: "mgw-swatch", "aria-hidden": "true" });
    swatch.style.background = color;
    parts.class_legend.append(html(doc, "li", {}, swatch, name));
  }
}
