// Forward and backward replay of a graph on typed arrays, the browser's copy of
// engine.Value.replay(): the view repaints from it on every slider input
// without waiting for the kernel, and an exported page stays live with no
// kernel at all. Node ids are topological (inputs before outputs, root last).
import { OPS, DOT } from "./ops.js";

/**
 * @typedef {object} Structure  the columnar graph of wire.structure(), typed
 * @property {number} n
 * @property {Uint8Array} code
 * @property {Int32Array} inputs   flattened input ids
 * @property {Int32Array} offsets  node i's inputs are inputs[offsets[i]:offsets[i+1]]
 * @property {Float64Array} const
 * @property {string[]} label
 * @property {string[]} name  the name each node shows (label, else the notebook's name); "" when unnamed
 * @property {string[]} op
 * @property {string[]} kind
 * @property {string[]} scope
 */

// NOTE [the dot node skips the table]
// Every op goes through its row of OPS, with one exception in forward() and
// backward(), the same one the engine's backpropagate makes (NOTE [one call
// per node] in engine.py): a dot node, one per neuron and most of a network's
// inputs, is computed straight from data[] here, without copying its 2n + 1
// inputs into the scratch array and calling its row. The row gives the same
// numbers (tests/test_cross_check.py runs both against the engine); this path
// only saves the copies and the call, which made replay 1.4-2x slower on an
// MLP's graph (benchmarks/bench_replay.mjs). node_contributions() (edge widths,
// the chain panel) uses the row. The grads are added back w_k, x_k pair by pair, then
// the bias: the engine's order (it matters when a node is an input twice).

// The input values of the node being computed, handed to the op rows. Grown
// when a node has more inputs than it holds (dot, sum, logsumexp).
let x = new Float64Array(64);
let d = new Float64Array(64);

/** @param {number} n */
function room(n) {
  if (n > x.length) {
    x = new Float64Array(2 * n);
    d = new Float64Array(2 * n);
  }
}

/**
 * Recompute data[i] for every op node from its inputs (leaves keep their data).
 * A domain error sets errors[i] to the engine's text and data[i] to NaN; pass
 * errors = null to skip recording (finite differences).
 * @param {Structure} s
 * @param {Float64Array} data
 * @param {(string|null)[] | null} errors
 */
export function forward(s, data, errors) {
  const { n, code, inputs, offsets } = s;
  const c = s.const;
  for (let i = 0; i < n; i++) {
    const start = offsets[i],
      end = offsets[i + 1];
    if (start === end) continue;
    const m = end - start;
    if (code[i] === DOT) {
      // NOTE [the dot node skips the table]
      const half = m >> 1;
      let total = m & 1 ? data[inputs[end - 1]] : 0;
      for (let k = 0; k < half; k++) total += data[inputs[start + k]] * data[inputs[start + half + k]];
      data[i] = total;
      continue;
    }
    room(m);
    for (let k = 0; k < m; k++) x[k] = data[inputs[start + k]];
    const op = OPS[code[i]];
    if (op.domain !== null) {
      const problem = op.domain(x, m, c[i]);
      if (errors) errors[i] = problem;
      if (problem !== null) {
        data[i] = NaN;
        continue;
      }
    }
    data[i] = op.forward(x, m, c[i]);
  }
}

/**
 * contribution[e] = grad[consumer] * (d consumer / d input) for every edge e
 * (edges are indexes into s.inputs): the chain rule's product, drawn as edge width.
 * @param {Structure} s
 * @param {Float64Array} data
 * @param {Float64Array} grad  grads of the consumers (read only)
 * @param {Float64Array} contribution  length s.inputs.length, written
 * @param {number} i  node id
 */
export function node_contributions(s, data, grad, contribution, i) {
  const { code, inputs, offsets } = s;
  const start = offsets[i],
    end = offsets[i + 1];
  if (start === end) return;
  const m = end - start;
  room(m);
  for (let k = 0; k < m; k++) x[k] = data[inputs[start + k]];
  OPS[code[i]].local(x, m, data[i], s.const[i], d);
  const g = grad[i];
  for (let k = 0; k < m; k++) contribution[start + k] = g * d[k];
}

/**
 * Fresh gradients of the root (the last node) with respect to every node, as
 * engine.Value.backward() computes them, in the same summation order.
 * @param {Structure} s
 * @param {Float64Array} data
 * @param {Float64Array} grad  written
 * @param {Float64Array} [contribution]  per-edge products, written when given
 * @param {number} [steps]  process only the first `steps` nodes of the reverse
 *   order (the root first): step-through backward (teaching/stepper.js) stops midway
 * @param {boolean} [accumulate]  engine.Value.backward(accumulate=True): the leaves
 *   keep the grads `grad` holds and add into them (the trainer's zero_grad off)
 */
export function backward(s, data, grad, contribution, steps = Infinity, accumulate = false) {
  const { n, code, inputs, offsets } = s;
  const contrib = contribution || new Float64Array(inputs.length);
  if (accumulate) {
    for (let i = 0; i < n; i++) if (offsets[i] !== offsets[i + 1]) grad[i] = 0;
  } else {
    grad.fill(0);
  }
  if (n === 0) return;
  grad[n - 1] += 1;
  const last = Math.max(0, n - steps);
  for (let i = n - 1; i >= last; i--) {
    const start = offsets[i],
      end = offsets[i + 1];
    if (start === end) continue;
    if (code[i] === DOT) {
      // NOTE [the dot node skips the table]: d/dw_k = x_k, d/dx_k = w_k, d/dbias = 1
      const g = grad[i],
        half = (end - start) >> 1;
      for (let k = start; k < start + half; k++) {
        const w = inputs[k],
          x_id = inputs[k + half];
        contrib[k] = g * data[x_id];
        contrib[k + half] = g * data[w];
        grad[w] += contrib[k];
        grad[x_id] += contrib[k + half];
      }
      if ((end - start) & 1) grad[inputs[end - 1]] += contrib[end - 1] = g;
      continue;
    }
    node_contributions(s, data, grad, contrib, i);
    for (let k = start; k < end; k++) grad[inputs[k]] += contrib[k];
  }
}

/**
 * engine.Value.replay(): forward with error recording, then backward.
 * @param {Structure} s
 * @param {Float64Array} data
 * @param {Float64Array} grad
 * @param {(string|null)[]} errors
 * @param {Float64Array} [contribution]
 */
export function replay(s, data, grad, errors, contribution) {
  forward(s, data, errors);
  backward(s, data, grad, contribution);
}

/**
 * Per-edge contributions from data and grads that came from elsewhere (the kernel).
 * @param {Structure} s
 * @param {Float64Array} data
 * @param {Float64Array} grad
 * @returns {Float64Array}
 */
export function contributions(s, data, grad) {
  const out = new Float64Array(s.inputs.length);
  for (let i = 0; i < s.n; i++) node_contributions(s, data, grad, out, i);
  return out;
}

/**
 * d node / d input for each of node i's inputs (in input order): the chain
 * rule panel's "local derivative".
 * @param {Structure} s
 * @param {Float64Array} data
 * @param {number} i
 * @returns {Float64Array}
 */
export function local_derivatives(s, data, i) {
  const start = s.offsets[i],
    end = s.offsets[i + 1];
  const unit = new Float64Array(s.n);
  unit[i] = 1;
  const out = new Float64Array(s.inputs.length);
  node_contributions(s, data, unit, out, i);
  return out.slice(start, end);
}

/**
 * engine.gradcheck's numbers without a kernel: central finite differences of
 * the root for every input and parameter leaf (NaN elsewhere). data is restored.
 * @param {Structure} s
 * @param {Float64Array} data
 * @param {number} [eps]
 * @returns {Float64Array}
 */
export function finite_differences(s, data, eps = 1e-6) {
  const { n, offsets, kind } = s;
  const out = new Float64Array(n).fill(NaN);
  if (n === 0) return out;
  const work = Float64Array.from(data);
  for (let i = 0; i < n; i++) {
    if (offsets[i] !== offsets[i + 1] || kind[i] === "constant") continue;
    const start = work[i];
    work[i] = start + eps;
    forward(s, work, null);
    const up = work[n - 1];
    work[i] = start - eps;
    forward(s, work, null);
    const down = work[n - 1];
    work[i] = start;
    out[i] = (up - down) / (2 * eps);
  }
  return out;
}
