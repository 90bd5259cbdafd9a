// Every picture of the trainer, computed in the page from the weights: the
// plane (the binary score, each class's probability, the regression map), the
// 1-D fit's curve, each hidden neuron's map and each input feature's map. They
// are the engine's function of the point: the same standardising, features and
// forward pass (forward.js; tests/test_cross_check_trainer.py holds them to
// the engine's numbers at every grid point).
import { evaluator } from "./forward.js";

export const CELLS = 100; // the plane: CELLS x CELLS values
export const HIDDEN_CELLS = 20; // each neuron's and feature's map
export const CURVE_POINTS = 200; // the 1-D fit's curve
export const MAP_LAYERS = 2; // hidden layers with maps in the network picture

/**
 * The grid's coordinates along one axis: lo + (hi - lo) * i / (cells - 1).
 * @param {number} lo
 * @param {number} hi
 * @param {number} cells
 */
export function axis(lo, hi, cells) {
  return Float64Array.from({ length: cells }, (_, i) => lo + ((hi - lo) * i) / (cells - 1));
}

/**
 * Softmax of the logits, shifted by their max (what the plane paints in K classes).
 * @param {Float64Array} z
 * @param {Float64Array} out  written
 * @param {number} at  where in `out`
 */
function softmax_into(z, out, at) {
  let top = -Infinity;
  for (const v of z) if (v > top) top = v;
  let total = 0;
  for (let k = 0; k < z.length; k++) total += out[at + k] = Math.exp(z[k] - top);
  for (let k = 0; k < z.length; k++) out[at + k] /= total;
}

/**
 * @typedef {object} Model  what the pictures need of the trainer's state
 * @property {Float64Array} weights
 * @property {number[]} sizes
 * @property {string} activation
 * @property {string[]} features
 * @property {number[][]|null} scale
 * @property {string} task
 * @property {number} dims
 * @property {number[]} extent  [x0, x1, y0, y1]; y is the target on a 1-D fit
 */

/**
 * The plane's field, row 0 at y_min: one score (binary), K probabilities per
 * cell (multi-class, point-major) or one prediction (regression); empty on a 1-D fit.
 * @param {Model} m
 * @param {number} [cells]
 * @returns {Float64Array}
 */
export function plane_field(m, cells = CELLS) {
  if (m.dims === 1 || m.extent.length !== 4) return new Float64Array(0);
  const model = evaluator(m.weights, m.sizes, m.activation, m.features, m.scale);
  const K = m.task === "multiclass" ? m.sizes[m.sizes.length - 1] : 1;
  const xs = axis(m.extent[0], m.extent[1], cells),
    ys = axis(m.extent[2], m.extent[3], cells);
  const field = new Float64Array(cells * cells * K);
  const point = [0, 0];
  for (let r = 0; r < cells; r++) {
    point[1] = ys[r];
    for (let c = 0; c < cells; c++) {
      point[0] = xs[c];
      const out = model.at(point);
      if (K > 1) softmax_into(out, field, (r * cells + c) * K);
      else field[r * cells + c] = out[0];
    }
  }
  return field;
}

/**
 * The 1-D fit's curve: CURVE_POINTS x values across the plane, then the model's prediction at each.
 * @param {Model} m
 * @returns {Float64Array}
 */
export function fit_curve(m, points = CURVE_POINTS) {
  if (m.dims !== 1 || m.extent.length !== 4) return new Float64Array(0);
  const model = evaluator(m.weights, m.sizes, m.activation, m.features, m.scale);
  const xs = axis(m.extent[0], m.extent[1], points);
  const out = new Float64Array(2 * points);
  xs.forEach((x, i) => {
    out[i] = x;
    out[points + i] = model.at([x])[0];
  });
  return out;
}

/**
 * Each hidden neuron's output (of the first MAP_LAYERS layers) and each input
 * feature over a cells x cells grid of the plane: {hidden, features}, one map of cells² after another.
 * @param {Model} m
 * @param {number} [cells]
 */
export function neuron_maps(m, cells = HIDDEN_CELLS) {
  const model = evaluator(m.weights, m.sizes, m.activation, m.features, m.scale);
  const shown = m.sizes.slice(1, -1).slice(0, MAP_LAYERS);
  const neurons = shown.reduce((a, b) => a + b, 0);
  const n = cells * cells;
  const hidden = new Float64Array(neurons * n),
    features = new Float64Array(m.features.length * n);
  if (m.extent.length !== 4) return { hidden, features };
  const xs = axis(m.extent[0], m.extent[1], cells),
    ys = axis(m.extent[2], m.extent[3], cells);
  const point = m.dims === 1 ? [0] : [0, 0];
  for (let r = 0; r < cells; r++) {
    for (let c = 0; c < cells; c++) {
      const i = r * cells + c;
      point[0] = xs[c];
      if (m.dims !== 1) point[1] = ys[r];
      model.at(point);
      model.input.forEach((v, k) => {
        features[k * n + i] = v;
      });
      let at = 0;
      for (let l = 0; l < shown.length; l++) {
        for (let j = 0; j < shown[l]; j++) hidden[(at + j) * n + i] = model.hidden[l][j];
        at += shown[l];
      }
    }
  }
  return { hidden, features };
}

/**
 * Each layer's weight matrix (nout x nin, row-major), one after another, without
 * the biases: what the network picture draws its links from.
 * @param {Float64Array} params
 * @param {number[]} sizes
 * @returns {Float32Array}
 */
export function link_weights(params, sizes) {
  const out = [];
  let k = 0;
  for (let l = 1; l < sizes.length; l++) {
    for (let j = 0; j < sizes[l]; j++) {
      for (let i = 0; i < sizes[l - 1]; i++) out.push(params[k++]);
      k++; // the bias
    }
  }
  return Float32Array.from(out);
}
