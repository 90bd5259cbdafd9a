// The kernel's state for the page (widgets/_trainer_state.py) read into what
// the page trains and paints with, and the page's report back to the kernel
// (training/page.py reads it).
import { to_float64 } from "../core/codecs.js";
import { MersenneTwister } from "./random.js";
import { fresh_optimizer } from "./optimizers.js";

/** @param {any} value */
function bytes_of(value) {
  if (value == null) return new Uint8Array(0);
  return ArrayBuffer.isView(value)
    ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    : new Uint8Array(value);
}

/** uint32 words (little-endian) from a binary trait. @param {any} value */
export function to_words(value) {
  const bytes = bytes_of(value);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: bytes.byteLength >> 2 }, (_, k) => view.getUint32(4 * k, true));
}

/**
 * The train_state trait as a TrainState.
 * @param {Record<string, any>} t
 * @returns {import("./epoch.js").TrainState & {revision: number}}
 */
export function decode_train(t) {
  const weights = to_float64(t.weights);
  const o = t.optimizer || {};
  const optimizer = fresh_optimizer(o.kind || "sgd", weights.length, o.hyper || {});
  optimizer.steps = o.steps || 0;
  if (optimizer.kind === "adam") {
    optimizer.m = to_float64(o.m);
    optimizer.v = to_float64(o.v);
  } else {
    optimizer.velocity = to_float64(o.velocity);
  }
  const flat = to_float64(t.history);
  const history = [];
  for (let k = 0; k + 5 <= flat.length; k += 5) history.push(Array.from(flat.subarray(k, k + 5)));
  return {
    revision: t.revision ?? 0,
    epoch: t.epoch ?? 0,
    weights,
    grads: to_float64(t.grads),
    optimizer,
    rng: new MersenneTwister(to_words(t.shuffle)),
    history,
    diverged: Boolean(t.diverged),
    sizes: t.sizes || [],
    settings: t.settings || {},
  };
}

/**
 * The dataset trait as Points (F and T from the settings' features and the targets' length).
 * @param {Record<string, any>} d
 * @returns {import("./epoch.js").Points}
 */
export function decode_points(d) {
  const count = d.count ?? 0;
  const rows = to_float64(d.rows),
    targets = to_float64(d.loss_targets);
  return {
    count,
    rows,
    targets,
    labels: to_float64(d.targets),
    is_test: bytes_of(d.split).slice(),
    F: count ? rows.length / count : 0,
    T: count ? targets.length / count : 0,
  };
}

// NOTE [rows a report carries]
// A page trains 1,000-2,000 epochs a second; a row for each (40 bytes) made the
// reports 70 KB/s and grew the kernel's history by 40 MB a minute. A report
// carries at most REPORT_ROWS of its new rows, evenly spaced, the last always:
// 50 a second at the 2 s rhythm, more than a curve can show. The page keeps
// every row (its curves); the kernel's t.history is thinned (training/page.py).
export const REPORT_ROWS = 100;

/**
 * At most REPORT_ROWS of ``rows``, evenly spaced, the last always (NOTE [rows a report carries]).
 * @param {number[][]} rows
 */
export function report_rows(rows) {
  if (rows.length <= REPORT_ROWS) return rows;
  const step = (rows.length - 1) / (REPORT_ROWS - 1);
  return Array.from({ length: REPORT_ROWS }, (_, k) => rows[Math.round(k * step)]);
}

/**
 * The report a page sends: {content, buffers} for model.send (training/page.py's apply_report).
 * @param {import("./epoch.js").TrainState} state
 * @param {number} revision
 * @param {number} since  how many of state.history's rows the kernel has
 * @param {boolean} with_grads  zero_grad is off: the grads pile up and travel too
 */
export function report(state, revision, since, with_grads) {
  const rows = report_rows(state.history.slice(since));
  const o = state.optimizer;
  const parts = [
    state.weights,
    ...(with_grads ? [state.grads] : []),
    ...(o.kind === "adam" ? [o.m, o.v] : [o.velocity]),
  ];
  const total = parts.reduce((n, p) => n + p.length, 0) + 5 * rows.length;
  const numbers = new Float64Array(total);
  let at = 0;
  for (const part of parts) {
    numbers.set(part, at);
    at += part.length;
  }
  for (const row of rows) {
    numbers.set(row, at);
    at += 5;
  }
  const words = state.rng.state();
  const content = {
    revision,
    epoch: state.epoch,
    rows: rows.length,
    grads: with_grads,
    optimizer: { kind: o.kind, steps: o.steps },
    diverged: state.diverged,
  };
  return { content, buffers: [new Uint8Array(numbers.buffer), new Uint8Array(words.buffer)] };
}
