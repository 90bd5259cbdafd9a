// The model as a function of floats in the page, as training/figures.py and
// the engine compute it: what the network sees of a point (its coordinates,
// standardised for your own data, then the chosen input features) and the
// MLP's forward pass from the flat weights (micrograd's parameter order: per
// layer, per neuron, its weights then its bias). A dot node adds the bias
// first, then w_i * x_i left to right: the same order here, so a relu network
// gives the engine's numbers to the bit (tests/test_cross_check_trainer.py).
import { sigmoid } from "../core/ops.js";

/** @type {Record<string, (p: ArrayLike<number>) => number>} one function of a point per feature (data.py's table) */
export const FEATURE_FUNCTIONS = {
  x1: (p) => p[0],
  x2: (p) => p[1],
  "x1^2": (p) => p[0] * p[0],
  "x2^2": (p) => p[1] * p[1],
  "x1*x2": (p) => p[0] * p[1],
  "sin(x1)": (p) => Math.sin(p[0]),
  "sin(x2)": (p) => Math.sin(p[1]),
};

/** @type {Record<string, (z: number) => number>} */
const ACTIVATIONS = {
  relu: (z) => (z <= 0 ? 0 : z),
  tanh: Math.tanh,
  sigmoid,
  linear: (z) => z,
};

/**
 * @typedef {object} Layer
 * @property {number} nin
 * @property {number} nout
 * @property {Float64Array} w  nout x nin, row-major
 * @property {Float64Array} b
 * @property {(z: number) => number} act
 */

/**
 * The layers of an MLP of `sizes` ([inputs, hidden..., outputs]) from its flat parameters.
 * @param {Float64Array} params
 * @param {number[]} sizes
 * @param {string} activation  the hidden layers' (the last layer is linear)
 * @returns {Layer[]}
 */
export function layers_of(params, sizes, activation) {
  const layers = [];
  let k = 0;
  for (let l = 1; l < sizes.length; l++) {
    const nin = sizes[l - 1],
      nout = sizes[l];
    const w = new Float64Array(nout * nin),
      b = new Float64Array(nout);
    for (let j = 0; j < nout; j++) {
      for (let i = 0; i < nin; i++) w[j * nin + i] = params[k++];
      b[j] = params[k++];
    }
    const act = ACTIVATIONS[l < sizes.length - 1 ? activation : "linear"] || ACTIVATIONS.relu;
    layers.push({ nin, nout, w, b, act });
  }
  return layers;
}

/** How many parameters an MLP of `sizes` has. */
export function parameter_count(sizes) {
  let count = 0;
  for (let l = 1; l < sizes.length; l++) count += sizes[l] * (sizes[l - 1] + 1);
  return count;
}

/**
 * The outputs for one input row; `hidden` (if given) receives each hidden layer's outputs.
 * @param {Layer[]} layers
 * @param {ArrayLike<number>} x
 * @param {Float64Array[]} [hidden]
 * @returns {Float64Array}
 */
export function forward(layers, x, hidden) {
  let a = x;
  for (let l = 0; l < layers.length; l++) {
    const { nin, nout, w, b, act } = layers[l];
    const out = new Float64Array(nout);
    for (let j = 0; j < nout; j++) {
      let total = b[j];
      for (let i = 0; i < nin; i++) total += w[j * nin + i] * a[i];
      out[j] = act(total);
    }
    if (hidden && l < layers.length - 1) hidden.push(out);
    a = out;
  }
  return /** @type {Float64Array} */ (a);
}

/**
 * What the network sees of a point: its coordinates standardised (when `scale` is given), then the features.
 * @param {ArrayLike<number>} point  [x1, x2] or [x]
 * @param {number[][]|null} scale  [mean, spread] per coordinate
 * @param {string[]} features
 * @returns {Float64Array}
 */
export function network_input(point, scale, features) {
  const p = scale ? Array.from(point, (x, k) => (x - scale[k][0]) / scale[k][1]) : point;
  return Float64Array.from(features, (f) => FEATURE_FUNCTIONS[f](p));
}

/**
 * The model at many points with no allocation per point (the plane has
 * 10,000): ``at(point)`` standardises, computes the features and runs the
 * layers into buffers it reuses; with ``features`` null, a point is already
 * the network's input (a dataset's rows). ``outputs`` and ``hidden`` (each layer's
 * outputs) hold the last point's values until the next call.
 * @param {Float64Array} params
 * @param {number[]} sizes
 * @param {string} activation
 * @param {string[]|null} features
 * @param {number[][]|null} scale
 */
export function evaluator(params, sizes, activation, features, scale) {
  const layers = layers_of(params, sizes, activation);
  const functions = (features || []).map((f) => FEATURE_FUNCTIONS[f]);
  const input = new Float64Array(features ? features.length : sizes[0]);
  const point = [0, 0];
  const buffers = layers.map((l) => new Float64Array(l.nout));
  return {
    input,
    hidden: buffers.slice(0, -1),
    outputs: buffers[buffers.length - 1],
    /** @param {ArrayLike<number>} p  [x1, x2] or [x] */
    at(p) {
      let a = input;
      if (!features) {
        for (let k = 0; k < input.length; k++) input[k] = p[k];
      } else {
        for (let k = 0; k < p.length; k++) point[k] = scale ? (p[k] - scale[k][0]) / scale[k][1] : p[k];
        for (let f = 0; f < functions.length; f++) input[f] = functions[f](point);
      }
      for (let l = 0; l < layers.length; l++) {
        const { nin, nout, w, b, act } = layers[l],
          out = buffers[l];
        for (let j = 0; j < nout; j++) {
          let total = b[j];
          for (let i = 0, row = j * nin; i < nin; i++) total += w[row + i] * a[i];
          out[j] = act(total);
        }
        a = out;
      }
      return a;
    },
  };
}
