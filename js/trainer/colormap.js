// The trainer's colours: a diverging blue–white–orange map (the blue/orange pair
// of graph.css, safe for the common colour-vision deficiencies), white at a
// score of 0 so the decision boundary is where the colour fades out.

/** @typedef {[number, number, number]} RGB */

/** Class -1 and negative scores. */
export const NEGATIVE = /** @type {RGB} */ ([43, 131, 186]);
/** Class +1 and positive scores. */
export const POSITIVE = /** @type {RGB} */ ([230, 97, 1]);
const WHITE = /** @type {RGB} */ ([255, 255, 255]);
const MISSING = /** @type {RGB} */ ([160, 160, 160]); // NaN: a diverged model paints grey
// The background stops short of the full colour so the points on top stay readable.
const FIELD_STRENGTH = 0.65;

/**
 * A score's colour: white at 0, towards blue below and orange above; |score| of
 * about `scale` and beyond is (nearly) full strength.
 * @param {number} score
 * @param {number} [scale]
 * @param {number} [strength]  how far towards the full colour the ends go (0..1)
 * @returns {RGB}
 */
export function score_color(score, scale = 1, strength = FIELD_STRENGTH) {
  if (Number.isNaN(score)) return /** @type {RGB} */ (MISSING.slice());
  const t = Math.tanh(score / scale) * strength; // tanh: +-inf saturate instead of overflowing
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const a = Math.abs(t);
  return /** @type {RGB} */ ([0, 1, 2].map((k) => Math.round(WHITE[k] + (end[k] - WHITE[k]) * a)));
}

/**
 * Paint a cells_x x cells_y field of scores into an RGBA buffer of the same
 * size (an ImageData's `data`, or any Uint8ClampedArray). Row 0 of `values` is
 * the lowest y; images count rows from the top, so rows are flipped.
 * @param {Uint8ClampedArray} rgba  length 4 * cells_x * cells_y
 * @param {ArrayLike<number>} values  length cells_x * cells_y, row-major
 * @param {number} cells_x
 * @param {number} cells_y
 * @param {{scale?: number, strength?: number}} [options]
 */
export function paint_field(rgba, values, cells_x, cells_y, options = {}) {
  const scale = options.scale ?? 1;
  const table = color_table(options.strength ?? FIELD_STRENGTH);
  const top = LEVELS - 1;
  for (let row = 0; row < cells_y; row++) {
    const out_row = cells_y - 1 - row;
    for (let col = 0; col < cells_x; col++) {
      const value = values[row * cells_x + col];
      // a table lookup instead of score_color: this runs for 20,000+ cells a frame
      const level =
        !Number.isNaN(value) && value !== undefined
          ? Math.round(((Math.tanh(value / scale) + 1) / 2) * (top - 1))
          : top; // the last entry is the NaN grey
      const k = 4 * (out_row * cells_x + col);
      rgba[k] = table[3 * level];
      rgba[k + 1] = table[3 * level + 1];
      rgba[k + 2] = table[3 * level + 2];
      rgba[k + 3] = 255;
    }
  }
  return rgba;
}

const LEVELS = 1026; // 1025 steps from -1 to +1 (0 lands exactly on white), then NaN
const tables = new Map();

/** score_color sampled at LEVELS - 1 evenly spaced tanh values, plus grey for NaN, flat RGB. */
function color_table(strength) {
  let table = tables.get(strength);
  if (!table) {
    table = new Uint8ClampedArray(3 * LEVELS);
    for (let i = 0; i < LEVELS - 1; i++) {
      const u = (2 * i) / (LEVELS - 2) - 1; // tanh(score / scale) in [-1, 1]
      table.set(score_color(Math.atanh(Math.max(-1 + 1e-12, Math.min(1 - 1e-12, u))), 1, strength), 3 * i);
    }
    table.set(MISSING, 3 * (LEVELS - 1));
    tables.set(strength, table);
  }
  return table;
}

/**
 * The largest finite |value|, for scaling a heatmap whose range is unknown
 * (a relu neuron's output); 1 when there is none.
 * @param {ArrayLike<number>} values
 * @param {number} [start]
 * @param {number} [end]
 */
export function max_abs(values, start = 0, end = values.length) {
  let m = 0;
  for (let i = start; i < end; i++) {
    const v = Math.abs(values[i]);
    if (v > m && Number.isFinite(v)) m = v;
  }
  return m > 0 ? m : 1;
}

/** @param {RGB} rgb */
export function css(rgb) {
  return `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
}
