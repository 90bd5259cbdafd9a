// Colours for the tasks beyond binary: K classes and regression.
// Classes take the Okabe–Ito palette (distinct under the common colour-vision
// deficiencies); a cell's colour is its most likely class, and its confidence
// is the lightness (a 50/50 cell fades to white, so the boundaries show).
// Regression takes the binary trainer's blue–white–orange pair as a diverging
// map around the middle of the targets' range, with a legend.
import { NEGATIVE, POSITIVE } from "./colormap.js";

/** @typedef {[number, number, number]} RGB */

/** Okabe–Ito, the most distinct three first (blue, orange, reddish purple), then green, vermillion, sky, yellow, grey. */
export const CLASS_COLORS = /** @type {RGB[]} */ ([
  [0, 114, 178],
  [230, 159, 0],
  [204, 121, 167],
  [0, 158, 115],
  [213, 94, 0],
  [86, 180, 233],
  [240, 228, 66],
  [110, 110, 110],
]);
const WHITE = /** @type {RGB} */ ([255, 255, 255]);
const MISSING = /** @type {RGB} */ ([160, 160, 160]);
// As in the binary field: the background stops short of the full colour so dots on it stay readable.
const FIELD_STRENGTH = 0.7;
/** Bands of a discretized regression map (each side of the centre). */
export const BANDS = 4;

/**
 * Class k's colour (k = 0..K-1; beyond the palette the colours repeat).
 * @param {number} k
 * @returns {RGB}
 */
export function class_color(k) {
  const n = CLASS_COLORS.length;
  return CLASS_COLORS[((Math.trunc(k) % n) + n) % n];
}

/**
 * The colour of a point's label: binary -1/+1 use the blue/orange of the
 * binary field; K classes their palette colour.
 * @param {number} label
 * @param {number} classes  2 for binary
 * @returns {RGB}
 */
export function label_color(label, classes) {
  if (classes <= 2) return label > 0 ? POSITIVE : NEGATIVE;
  return class_color(label);
}

/**
 * @param {RGB} color
 * @param {number} a  0 = white, 1 = the colour
 * @returns {RGB}
 */
export function towards(color, a) {
  return /** @type {RGB} */ ([0, 1, 2].map((k) => Math.round(WHITE[k] + (color[k] - WHITE[k]) * a)));
}

/**
 * Paint cells_x x cells_y cells of K class probabilities (point-major:
 * probs[cell * K + k]) into an RGBA buffer, row 0 of the field at the bottom.
 * @param {Uint8ClampedArray} rgba  length 4 * cells_x * cells_y
 * @param {ArrayLike<number>} probs  length cells_x * cells_y * K
 * @param {number} cells_x
 * @param {number} cells_y
 * @param {number} K
 * @param {{discretize?: boolean, strength?: number}} [options]
 */
export function paint_classes(rgba, probs, cells_x, cells_y, K, options = {}) {
  const strength = options.strength ?? FIELD_STRENGTH;
  return fill_cells(rgba, cells_x, cells_y, (cell) => {
    let best = -1,
      top = -Infinity;
    for (let k = 0; k < K; k++) {
      const p = probs[cell * K + k];
      if (p > top) [best, top] = [k, p];
    }
    if (best < 0) return MISSING;
    // confidence: 0 when every class is equally likely, 1 when one class is certain
    const confidence = Math.min(1, Math.max(0, (top - 1 / K) / (1 - 1 / K)));
    return towards(class_color(best), strength * (options.discretize ? 1 : 0.15 + 0.85 * confidence));
  });
}

/**
 * Fill an RGBA buffer cell by cell, row 0 of the field at the bottom of the picture.
 * @param {Uint8ClampedArray} rgba  length 4 * cells_x * cells_y
 * @param {number} cells_x
 * @param {number} cells_y
 * @param {(cell: number) => ArrayLike<number>} color_of  the colour of field cell row * cells_x + col
 */
function fill_cells(rgba, cells_x, cells_y, color_of) {
  for (let row = 0; row < cells_y; row++) {
    const out_row = cells_y - 1 - row;
    for (let col = 0; col < cells_x; col++) {
      const rgb = color_of(row * cells_x + col);
      const o = 4 * (out_row * cells_x + col);
      rgba[o] = rgb[0];
      rgba[o + 1] = rgb[1];
      rgba[o + 2] = rgb[2];
      rgba[o + 3] = 255;
    }
  }
  return rgba;
}

/**
 * Where a regression map is white and how far its ends are: 0 when the range
 * spans it (the sign of a prediction means something), else the range's middle.
 * @param {number[]} range  [lo, hi]
 * @returns {{centre: number, half: number}}
 */
export function diverging_scale(range) {
  let [lo, hi] = Array.isArray(range) && range.length === 2 ? range : [-1, 1];
  if (!(Number.isFinite(lo) && Number.isFinite(hi)) || hi <= lo)
    [lo, hi] = [Math.min(lo, hi) || -1, Math.max(lo, hi) || 1];
  if (hi <= lo) [lo, hi] = [lo - 1, lo + 1];
  const centre = lo < 0 && hi > 0 ? 0 : (lo + hi) / 2;
  return { centre, half: Math.max(hi - centre, centre - lo) || 1 };
}

/**
 * A value's place on the diverging map, -1 (blue end) .. +1 (orange end);
 * NaN stays NaN. Discretized, it snaps to the middle of one of BANDS bands a side.
 * @param {number} value
 * @param {{centre: number, half: number}} scale
 * @param {boolean} [discretize]
 */
export function diverging_position(value, scale, discretize = false) {
  if (Number.isNaN(value)) return NaN;
  const t = Math.max(-1, Math.min(1, (value - scale.centre) / scale.half));
  if (!discretize) return t;
  const band = Math.min(BANDS - 1, Math.floor(Math.abs(t) * BANDS));
  return (Math.sign(t) * (band + 0.5)) / BANDS;
}

/**
 * @param {number} t  -1..+1 (NaN: grey)
 * @param {number} [strength]
 * @returns {RGB}
 */
export function diverging_color(t, strength = FIELD_STRENGTH) {
  if (Number.isNaN(t)) return /** @type {RGB} */ (MISSING.slice());
  return towards(t < 0 ? NEGATIVE : POSITIVE, Math.abs(t) * strength);
}

/**
 * Paint regression predictions on the diverging map.
 * @param {Uint8ClampedArray} rgba
 * @param {ArrayLike<number>} values  cells_x * cells_y, row 0 at the lowest y
 * @param {number} cells_x
 * @param {number} cells_y
 * @param {number[]} range  [lo, hi] of the targets
 * @param {{discretize?: boolean}} [options]
 */
export function paint_diverging(rgba, values, cells_x, cells_y, range, options = {}) {
  const scale = diverging_scale(range);
  return fill_cells(rgba, cells_x, cells_y, (cell) =>
    diverging_color(diverging_position(values[cell], scale, options.discretize)),
  );
}

/**
 * The numbers a legend prints under its bar: both ends and the white middle,
 * with their x positions as fractions of the bar.
 * @param {number[]} range
 * @returns {{value: number, at: number}[]}
 */
export function legend_ticks(range) {
  const { centre, half } = diverging_scale(range);
  return [
    { value: centre - half, at: 0 },
    { value: centre, at: 0.5 },
    { value: centre + half, at: 1 },
  ];
}

/**
 * Draw the diverging legend: a colour bar with its three ticks (its title is the page's text beside it).
 * @param {CanvasRenderingContext2D} ctx
 * @param {number[]} range
 * @param {{width: number, height: number, color: string, discretize?: boolean}} spec
 */
export function draw_legend(ctx, range, spec) {
  const { width, height } = spec;
  const scale = diverging_scale(range);
  const bar = { left: 10, top: 4, width: width - 20, height: Math.max(6, Math.round(height * 0.35)) };
  ctx.clearRect(0, 0, width, height);
  for (let x = 0; x < bar.width; x++) {
    const value = scale.centre - scale.half + ((x + 0.5) / bar.width) * 2 * scale.half;
    const rgb = diverging_color(diverging_position(value, scale, spec.discretize), 1);
    ctx.fillStyle = `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
    ctx.fillRect(bar.left + x, bar.top, 1, bar.height);
  }
  ctx.strokeStyle = spec.color;
  ctx.lineWidth = 1;
  ctx.strokeRect(bar.left + 0.5, bar.top + 0.5, bar.width - 1, bar.height - 1);
  ctx.fillStyle = spec.color;
  const font = Math.max(10, Math.round(height * 0.3));
  ctx.font = `${font}px sans-serif`;
  const baseline = bar.top + bar.height + font + 2;
  for (const { value, at } of legend_ticks(range)) {
    const text = tick_text(value);
    const w = ctx.measureText?.(text).width ?? text.length * font * 0.6;
    const x = Math.min(Math.max(bar.left + at * bar.width - w / 2, 0), width - w);
    ctx.fillText(text, x, baseline);
  }
}

/** @param {number} x */
export function tick_text(x) {
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1000 || a < 0.01 ? x.toExponential(1) : String(Number(x.toPrecision(3)));
}

/**
 * Paint one class's probability map (0..1) from white to the class's colour.
 * @param {Uint8ClampedArray} rgba
 * @param {ArrayLike<number>} values  cells x cells, row 0 at the lowest y
 * @param {number} cells
 * @param {RGB} color
 */
export function paint_probability(rgba, values, cells, color) {
  for (let row = 0; row < cells; row++) {
    const out_row = cells - 1 - row;
    for (let col = 0; col < cells; col++) {
      const p = values[row * cells + col];
      const rgb = Number.isNaN(p) ? MISSING : towards(color, Math.max(0, Math.min(1, p)) * 0.95);
      const o = 4 * (out_row * cells + col);
      rgba[o] = rgb[0];
      rgba[o + 1] = rgb[1];
      rgba[o + 2] = rgb[2];
      rgba[o + 3] = 255;
    }
  }
  return rgba;
}
