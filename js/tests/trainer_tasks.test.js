// The trainer's pieces for the tasks beyond binary: K-class colours, the
// regression map and its legend, the 1-D fit, draw mode and hide/lock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fake_document } from "./fake_dom.js";
import {
  CLASS_COLORS,
  class_color,
  label_color,
  paint_classes,
  paint_diverging,
  diverging_scale,
  diverging_position,
  diverging_color,
  legend_ticks,
  tick_text,
  paint_probability,
  BANDS,
} from "../trainer/palette.js";
import { NEGATIVE, POSITIVE } from "../trainer/colormap.js";
import { fit_frame, curve_pixels, point_xs, curve_map } from "../trainer/fit_plot.js";
import { add_point_message, to_data, class_choices } from "../trainer/draw_mode.js";
import { to_pixels, paint_plane_field } from "../trainer/boundary.js";
import { apply_access } from "../trainer/access.js";
import { html } from "../core/dom.js";
import { toggle_feature } from "../trainer/settings_controls.js";
import { output_maps, feature_input_maps, network_layout } from "../trainer/network.js";
import { y_range } from "../trainer/curves.js";

const pixel = (rgba, k) => Array.from(rgba.subarray(4 * k, 4 * k + 3));
const hue = ([r, g, b]) => {
  const max = Math.max(r, g, b),
    min = Math.min(r, g, b);
  if (max === min) return NaN;
  const h = max === r ? (g - b) / (max - min) : max === g ? 2 + (b - r) / (max - min) : 4 + (r - g) / (max - min);
  return (h * 60 + 360) % 360;
};

test("the class palette's first colours are pairwise far apart (a 3- or 4-class plane reads at a glance)", () => {
  const first = CLASS_COLORS.slice(0, 4);
  for (let i = 0; i < first.length; i++) {
    for (let j = i + 1; j < first.length; j++) {
      const d = Math.hypot(...first[i].map((v, k) => v - first[j][k]));
      assert.ok(d > (j < 3 ? 150 : 70), `classes ${i} and ${j} are only ${d.toFixed(0)} apart in RGB`);
    }
  }
  const hues = first.slice(0, 3).map(hue);
  assert.equal(
    new Set(hues.map((h) => Math.floor(h / 30))).size,
    3,
    `three classes, three 30-degree hue buckets: ${hues}`,
  );
  assert.deepEqual(class_color(CLASS_COLORS.length), CLASS_COLORS[0], "beyond the palette the colours repeat");
});

test("binary labels keep the binary field's blue and orange; K classes take the palette", () => {
  assert.deepEqual(label_color(-1, 2), NEGATIVE);
  assert.deepEqual(label_color(1, 2), POSITIVE);
  assert.deepEqual(label_color(2, 3), CLASS_COLORS[2]);
});

test("a class field paints each cell in its most likely class, paler when unsure", () => {
  // 3 cells x 1 row, K = 3: sure of class 0, sure of class 2, a three-way tie
  const probs = Float32Array.from([1, 0, 0, 0, 0.01, 0.99, 1 / 3, 1 / 3, 1 / 3]);
  const rgba = paint_classes(new Uint8ClampedArray(12), probs, 3, 1, 3);
  const white_distance = (rgb) => rgb.reduce((s, v) => s + (255 - v), 0);
  const sure0 = pixel(rgba, 0),
    sure2 = pixel(rgba, 1),
    tie = pixel(rgba, 2);
  assert.ok(Math.abs(hue(sure0) - hue(CLASS_COLORS[0])) < 3, `class 0's hue: ${sure0}`);
  assert.ok(Math.abs(hue(sure2) - hue(CLASS_COLORS[2])) < 3, `class 2's hue: ${sure2}`);
  assert.ok(white_distance(tie) < white_distance(sure0) / 3, `a tie is near white: ${tie} vs ${sure0}`);
});

test("discretized, a class field drops the confidence shading: every cell of a class has one colour", () => {
  const probs = Float32Array.from([0.9, 0.1, 0, 0.4, 0.3, 0.3]);
  const rgba = paint_classes(new Uint8ClampedArray(8), probs, 2, 1, 3, { discretize: true });
  assert.deepEqual(pixel(rgba, 0), pixel(rgba, 1));
});

test("the plane's field follows the task; a field of the wrong size for it paints nothing", () => {
  const image = () => ({ data: new Uint8ClampedArray(16) });
  assert.ok(paint_plane_field(image(), { cells: 2, field: new Float32Array(12), task: "multiclass", classes: 3 }));
  assert.equal(
    paint_plane_field(image(), { cells: 2, field: new Float32Array(4), task: "multiclass", classes: 3 }),
    null,
  );
  assert.equal(paint_plane_field(image(), { cells: 2, field: new Float32Array(12), task: "regression" }), null);
  const binary = paint_plane_field(image(), {
    cells: 2,
    field: Float32Array.from([-0.01, 0.01, 5, -5]),
    discretize: true,
  });
  assert.deepEqual(
    pixel(binary.data, 2),
    pixel(binary.data, 1),
    "discretized: a barely-negative cell looks like a very negative one",
  );
});

test("the regression map is white at 0 when the targets span it, else at their middle", () => {
  assert.deepEqual(diverging_scale([-2, 1]), { centre: 0, half: 2 });
  assert.deepEqual(diverging_scale([1, 3]), { centre: 2, half: 1 });
  assert.deepEqual(diverging_scale([5, 5]), { centre: 5, half: 1 }, "a flat range still has a width");
  const rgba = paint_diverging(new Uint8ClampedArray(12), Float32Array.from([-2, 0, 2]), 3, 1, [-2, 2]);
  assert.deepEqual(pixel(rgba, 1), [255, 255, 255]);
  const [lo, hi] = [pixel(rgba, 0), pixel(rgba, 2)];
  assert.ok(lo[2] > lo[0] && hi[0] > hi[2], `low is blue, high is orange: ${lo} ${hi}`);
});

test("discretized, the regression map has BANDS flat bands a side", () => {
  const scale = diverging_scale([-1, 1]);
  const seen = new Set();
  for (let v = -1; v <= 1; v += 0.01) seen.add(diverging_position(v, scale, true));
  assert.equal(seen.size, 2 * BANDS);
  assert.ok(Number.isNaN(diverging_position(NaN, scale)));
  assert.equal(new Set(diverging_color(NaN)).size, 1, "NaN is grey");
});

test("the legend labels both ends and the white middle", () => {
  assert.deepEqual(
    legend_ticks([-3, 1]).map((t) => [t.value, t.at]),
    [
      [-3, 0],
      [0, 0.5],
      [3, 1],
    ],
  );
  assert.equal(tick_text(0.123456), "0.123");
  assert.equal(tick_text(25000), "2.5e+4");
});

test("a class's output map goes from white (p = 0) to the class colour (p = 1)", () => {
  const rgba = paint_probability(new Uint8ClampedArray(16), Float32Array.from([0, 0, 1, 1]), 2, CLASS_COLORS[1]);
  assert.deepEqual(pixel(rgba, 2), [255, 255, 255], "row 0 (p = 0) is at the bottom");
  assert.ok(Math.abs(hue(pixel(rgba, 0)) - hue(CLASS_COLORS[1])) < 3);
});

test("the 1-D fit's frame holds every point and the curve, padded; x comes from the extent when given", () => {
  const curve = Float32Array.from([-3, 0, 3, -0.5, 0, 0.5]);
  const xs = Float64Array.from([-2, 2]),
    ys = Float64Array.from([-1, 1]);
  const [x0, x1, y0, y1] = fit_frame(curve, xs, ys, []);
  assert.deepEqual([x0, x1], [-3, 3]);
  assert.ok(y0 < -1 && y1 > 1);
  assert.deepEqual(fit_frame(curve, xs, ys, [-4, 4, 0, 0]).slice(0, 2), [-4, 4]);
  const wild = fit_frame(Float32Array.from([0, 1, 0, 1e6]), xs, ys, []);
  assert.ok(wild[3] < 10, "a diverged curve does not squash the points flat");
});

test("the curve becomes pixel pieces, broken at NaN; discretized it is drawn as steps", () => {
  const curve = Float32Array.from([0, 1, 2, 3, 0, 1, NaN, 1]);
  const pieces = curve_pixels(curve, [0, 3, 0, 1], 300);
  assert.equal(pieces.length, 2);
  assert.deepEqual(pieces[0], [
    [0, 300],
    [100, 0],
  ]);
  const steps = curve_pixels(Float32Array.from([0, 1, 2, -1, 0.1, 0.9]), [0, 2, -1, 1], 200, {
    discretize: true,
    range: [-1, 1],
  });
  const flat = steps[0].slice(1).every(([, y], k) => k % 2 === 1 || y === steps[0][k][1]);
  assert.ok(flat && steps[0].length === 5, JSON.stringify(steps));
});

test("1-D points: one x per point, or the x of (x, y) pairs", () => {
  assert.deepEqual(Array.from(point_xs(Float64Array.from([1, 2, 3]), 3)), [1, 2, 3]);
  assert.deepEqual(Array.from(point_xs(Float64Array.from([1, 9, 2, 9]), 2)), [1, 2]);
});

test("a draw-mode click at a pixel adds a point there: to_data inverts to_pixels", () => {
  const frame = [-2, 2, -1, 3];
  const [px, py] = to_pixels(frame, 320)(0.5, 1.25);
  const [x, y] = to_data(frame, 320, px, py);
  assert.ok(Math.abs(x - 0.5) < 1e-12 && Math.abs(y - 1.25) < 1e-12);
});

test("draw mode: binary shift-click adds the other class; K classes the picked one; regression the set value; 1-D the click's height", () => {
  const binary = { task: "binary", dims: 2, label: 1, value: 0 };
  assert.deepEqual(add_point_message(binary, 0.5, -0.5), { type: "add_point", x: 0.5, y: -0.5, label: 1 });
  assert.equal(add_point_message(binary, 0, 0, true).label, -1);
  assert.equal(add_point_message({ ...binary, label: -1 }, 0, 0, true).label, 1);
  assert.equal(add_point_message({ ...binary, task: "multiclass", label: 2 }, 0, 0, true).label, 2);
  assert.equal(add_point_message({ ...binary, task: "regression", value: 0.75 }, 0, 0).label, 0.75);
  assert.deepEqual(add_point_message({ ...binary, task: "regression", dims: 1 }, 1.5, -0.3), {
    type: "add_point",
    x: 1.5,
    y: 0,
    label: -0.3,
  });
});

test("the class picker offers -1/+1 for binary and 0..K-1 for K classes, named by class_names", () => {
  assert.deepEqual(
    class_choices("binary", 2, ["no", "yes"]).map((c) => [c.value, c.text]),
    [
      [-1, "no"],
      [1, "yes"],
    ],
  );
  assert.deepEqual(
    class_choices("multiclass", 3, ["a", "b", "c"]).map((c) => c.value),
    [0, 1, 2],
  );
  assert.deepEqual(class_choices("regression", 0), []);
});

test("hide hides a control with its label (and an emptied fieldset); lock disables it; both undo", () => {
  const doc = fake_document();
  const loss = html(doc, "select", { "data-setting": "loss" });
  const l2 = html(doc, "select", { "data-setting": "l2" });
  const data = html(doc, "select", { "data-setting": "data" });
  const reset = html(doc, "button", { "data-setting": "reset" });
  const loss_label = html(doc, "label", {}, "loss", loss);
  const set = html(doc, "fieldset", {}, loss_label, html(doc, "label", {}, "l2", l2));
  const root = html(doc, "div", {}, set, html(doc, "label", {}, "data", data), reset);
  apply_access(root, ["loss", "l2"], ["data", "reset"]);
  assert.ok(loss.hidden && loss_label.hidden && set.hidden);
  assert.ok(data.disabled && reset.disabled && !data.hidden);
  apply_access(root, ["loss"], []);
  assert.ok(!l2.hidden && !set.hidden && loss.hidden);
  assert.ok(!data.disabled && !reset.disabled);
});

test("toggling features keeps the offered order and never leaves none", () => {
  const offered = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"];
  assert.deepEqual(toggle_feature(offered, ["x1", "x2"], "x1^2", true), ["x1", "x2", "x1^2"]);
  assert.deepEqual(toggle_feature(offered, ["x2", "sin(x1)"], "x1", true), ["x1", "x2", "sin(x1)"]);
  assert.deepEqual(toggle_feature(offered, ["x1"], "x1", false), ["x1"]);
});

test("the network shows one input per feature (its own map) and one output per class", () => {
  const { columns } = network_layout([5, 8, 3], 300, 320);
  assert.deepEqual(
    columns.map((c) => c.length),
    [5, 8, 3],
  );
  const field = Float32Array.from([0.1, 0.9, 0.2, 0.8, 0.3, 0.7, 0.4, 0.6]); // 2x2 cells, K = 2 point-major
  const maps = output_maps(field, 2, 2);
  assert.deepEqual(
    Array.from(maps[1]).map((v) => Math.round(v * 10)),
    [9, 8, 7, 6],
  );
  assert.deepEqual(output_maps(field, 2, 3), [], "a field of another K shows nothing rather than the wrong maps");
  const features = feature_input_maps(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 2, 2, [0, 1, 0, 1]);
  assert.deepEqual(Array.from(features[1]), [5, 6, 7, 8]);
  assert.equal(
    feature_input_maps(new Float32Array(0), 2, 2, [0, 1, 0, 1]).length,
    2,
    "no feature maps: x1, x2 computed",
  );
});

test("an R² curve tops at 1 and shows negative values down to -1", () => {
  const rows = Float64Array.from([1, 0, -5, 0, -0.5, 2, 0, 0.5, 0, 0.6]);
  assert.deepEqual(y_range(rows, [2, 4], "r2"), [-1, 1]);
  assert.deepEqual(y_range(Float64Array.from([1, 0, 0.2, 0, 0.3]), [2, 4], "r2"), [0, 1]);
});

test("a 1-D fit's output box is the curve as a strip: every row the prediction along x", () => {
  const map = curve_map(Float32Array.from([0, 1, 2, 10, 20, 30]), 3);
  assert.deepEqual(Array.from(map), [10, 20, 30, 10, 20, 30, 10, 20, 30]);
  assert.equal(curve_map(new Float32Array(0), 3).length, 0, "no curve yet: no map");
});
