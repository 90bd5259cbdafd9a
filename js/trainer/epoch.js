// One epoch in the page, as training/session.py's step() runs it in the
// kernel: the batches (shuffled by Python's own Mersenne Twister when they are
// mini-batches), for each the recorded loss graph of its length replayed
// forward and backward with the batch's points in its data leaves, the
// optimizer's step, and after the epoch its history row. What the kernel
// would compute, the page computes: the same graph, the same op table, the
// same order of additions (tests/test_cross_check_trainer.py).
import { forward, backward } from "../core/replay.js";
import { optimizer_step, scheduled_lr } from "./optimizers.js";
import { evaluator } from "./forward.js";
import { history_row } from "./figures.js";

/**
 * @typedef {object} TrainState  what the page trains: the kernel's train_state, decoded
 * @property {number} epoch
 * @property {Float64Array} weights  every parameter, in the model's order
 * @property {Float64Array} grads  their grads (they pile up when zero_grad is off)
 * @property {import("./optimizers.js").OptimizerState} optimizer
 * @property {import("./random.js").MersenneTwister} rng  the mini-batches' shuffle
 * @property {number[][]} history  rows [epoch, loss, metric, test_loss, test_metric]
 * @property {boolean} diverged
 * @property {number[]} sizes
 * @property {Record<string, any>} settings  the structure's settings (task, loss, features, ...)
 */

/**
 * @typedef {object} Points  the dataset the kernel sent, decoded
 * @property {number} count
 * @property {Float64Array} rows  what the network sees of point i at [i * F, (i + 1) * F)
 * @property {Float64Array} targets  point i's target leaves at [i * T, (i + 1) * T)
 * @property {Float64Array} labels  point i's label (the trainer's convention)
 * @property {Uint8Array} is_test
 * @property {number} F
 * @property {number} T
 */

/**
 * @typedef {object} Knobs  the settings the page applies itself, read at each epoch
 * @property {number} lr
 * @property {string} lr_schedule
 * @property {number} lr_period
 * @property {number} l2
 * @property {boolean} zero_grad
 * @property {number|null} batch_size
 */

/**
 * The training points' indexes cut into the epoch's batches (epoch.batches in the kernel).
 * @param {number[]} train
 * @param {number|null} size
 * @param {import("./random.js").MersenneTwister} rng
 */
export function batches(train, size, rng) {
  const index = train.slice();
  if (size == null || size >= index.length) return [index];
  rng.shuffle(index);
  const out = [];
  for (let i = 0; i < index.length; i += size) out.push(index.slice(i, i + size));
  return out;
}

/**
 * The network's outputs for every point, from the state's weights.
 * @param {TrainState} state
 * @param {Points} points
 */
export function outputs(state, points) {
  const s = state.settings;
  const model = evaluator(state.weights, state.sizes, s.activation, null, null); // the rows are the network's inputs
  const out = [];
  for (let i = 0; i < points.count; i++)
    out.push(Float64Array.from(model.at(points.rows.subarray(i * points.F, (i + 1) * points.F))));
  return out;
}

/**
 * The weights' history row now.
 * @param {TrainState} state
 * @param {Points} points
 */
export function evaluate(state, points) {
  return history_row(
    state.epoch,
    state.settings.task,
    state.settings.loss,
    outputs(state, points),
    points.labels,
    points.is_test,
  );
}

/**
 * One batch: its graph replayed with the batch's points, the grads read out. False if its loss is not finite.
 * @param {import("./program.js").Graph} g
 * @param {TrainState} state
 * @param {Points} points
 * @param {number[]} batch
 * @param {Knobs} knobs
 */
function run_batch(g, state, points, batch, knobs) {
  const { data, grad } = g;
  const { F, T } = points;
  for (let k = 0; k < g.params.length; k++) data[g.params[k]] = state.weights[k];
  batch.forEach((i, j) => {
    for (let f = 0; f < F; f++) data[g.features[j * F + f]] = points.rows[i * F + f];
    for (let t = 0; t < T; t++) data[g.targets[j * T + t]] = points.targets[i * T + t];
  });
  data[g.l2] = knobs.l2;
  forward(g.s, data, null);
  if (!Number.isFinite(data[g.s.n - 1])) return false; // no step on inf/NaN gradients
  const accumulate = !knobs.zero_grad;
  if (accumulate) {
    grad.fill(0);
    for (let k = 0; k < g.params.length; k++) grad[g.params[k]] = state.grads[k];
  }
  backward(g.s, data, grad, g.contrib, Infinity, accumulate);
  for (let k = 0; k < g.params.length; k++) state.grads[k] = grad[g.params[k]];
  return true;
}

/**
 * One epoch on `state` (in place): Session.step's work. Returns its history row,
 * or null when the state has diverged or has no training points.
 * @param {TrainState} state
 * @param {Map<number, import("./program.js").Graph>} graphs
 * @param {Points} points
 * @param {Knobs} knobs
 * @returns {number[]|null}
 */
export function run_epoch(state, graphs, points, knobs) {
  if (state.diverged) return null;
  const train = [];
  for (let i = 0; i < points.count; i++) if (!points.is_test[i]) train.push(i);
  if (!train.length) return null;
  const lr = scheduled_lr(knobs.lr, state.epoch, knobs.lr_schedule, knobs.lr_period);
  let finite = true;
  for (const batch of batches(train, knobs.batch_size, state.rng)) {
    const g = graphs.get(batch.length);
    if (!g) throw new Error(`no recorded graph for a batch of ${batch.length} points`);
    if (!run_batch(g, state, points, batch, knobs)) {
      finite = false;
      break;
    }
    optimizer_step(state.optimizer, state.weights, state.grads, lr);
  }
  state.epoch += 1;
  const row = evaluate(state, points);
  if (!finite && Number.isFinite(row[1])) row[1] = Infinity;
  state.history.push(row);
  if (!Number.isFinite(row[1]) || state.weights.some((w) => !Number.isFinite(w))) state.diverged = true;
  return row;
}
