// A history row in the page, as training/figures.py computes it in the
// kernel: the loss (without L2) and the accuracy, or R² in regression, on the
// training and the test points, from the network's outputs after an epoch.
import { logsumexp, softplus } from "../core/ops.js";

/**
 * One point's loss from its outputs and its label (the trainer's convention: -1/+1, class id, target).
 * @param {string} loss
 * @param {Float64Array} out
 * @param {number} y
 */
export function point_loss(loss, out, y) {
  if (loss === "cross_entropy") return logsumexp(out, out.length) - out[y];
  const s = out[0];
  if (loss === "hinge") {
    const z = 1 - y * s;
    return z <= 0 ? 0 : z;
  }
  if (loss === "bce") return softplus(s) - (y > 0 ? 1 : 0) * s;
  const d = s - y;
  if (loss === "mse") return d * d;
  const a = Math.abs(d); // huber, delta 1
  return a < 1 ? 0.5 * a * a : a - 0.5;
}

function argmax(out) {
  let best = 0;
  for (let k = 1; k < out.length; k++) if (out[k] > out[best]) best = k;
  return best;
}

/**
 * (loss, accuracy or R²) of the outputs at `index` against their labels; NaN for none.
 * @param {string} task
 * @param {string} loss
 * @param {Float64Array[]} outputs
 * @param {ArrayLike<number>} ys
 * @param {number[]} index
 * @returns {[number, number]}
 */
export function figures(task, loss, outputs, ys, index) {
  const n = index.length;
  if (!n) return [NaN, NaN];
  let total = 0;
  for (const k of index) total += point_loss(loss, outputs[k], ys[k]);
  const value = total / n;
  if (task !== "regression") {
    let right = 0;
    for (const k of index) {
      const ok = task === "multiclass" ? argmax(outputs[k]) === ys[k] : outputs[k][0] > 0 === ys[k] > 0;
      right += ok ? 1 : 0;
    }
    return [value, right / n];
  }
  let sum = 0;
  for (const k of index) sum += ys[k];
  const mean = sum / n;
  let spread = 0,
    error = 0;
  for (const k of index) spread += (ys[k] - mean) * (ys[k] - mean);
  for (const k of index) error += (outputs[k][0] - ys[k]) * (outputs[k][0] - ys[k]);
  return [value, spread > 0 ? 1 - error / spread : NaN];
}

/**
 * The curves' row of an epoch: [epoch, loss, metric, test_loss, test_metric].
 * @param {number} epoch
 * @param {string} task
 * @param {string} loss
 * @param {Float64Array[]} outputs
 * @param {ArrayLike<number>} ys
 * @param {Uint8Array} is_test
 * @returns {number[]}
 */
export function history_row(epoch, task, loss, outputs, ys, is_test) {
  const train = [],
    test = [];
  for (let k = 0; k < ys.length; k++) (is_test[k] ? test : train).push(k);
  const [l, m] = figures(task, loss, outputs, ys, train);
  const [tl, tm] = figures(task, loss, outputs, ys, test);
  return [epoch, l, m, tl, tm];
}
