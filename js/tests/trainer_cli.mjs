// The JS half of tests/test_cross_check_trainer.py: runs the page's training
// and pictures on what the kernel sends (its traits, binary values as base64)
// and writes what the page computes, float64 arrays as base64 (exact, NaN and
// ±inf included). Reads one JSON request on stdin, a section per rule:
//   "epochs":   [{"train", "dataset", "program", "knobs", "epochs"}] -> [{"weights", "grads", "history", "shuffle", "optimizer"}]
//   "pictures": [{"model", "cells"}]                                  -> [{"field", "curve", "hidden", "features"}]
//   "shuffles": [{"words", "n", "times"}]                             -> [[order per time]]
//   "reports":  [{"train", "since", "grads"}]                         -> [{"content", "buffers"}]
import { decode_train, decode_points, report } from "../trainer/state.js";
import { load_program } from "../trainer/program.js";
import { run_epoch } from "../trainer/epoch.js";
import { plane_field, fit_curve, neuron_maps } from "../trainer/pictures.js";
import { MersenneTwister } from "../trainer/random.js";

const b64 = (text) => Uint8Array.from(Buffer.from(text, "base64"));
const out64 = (array) =>
  Buffer.from(new Uint8Array(array.buffer, array.byteOffset, array.byteLength)).toString("base64");

/** Every string under `keys` of a trait, as the bytes it encodes (what a kernel sends as a buffer). */
function bytes(trait, keys) {
  const copy = { ...trait };
  for (const key of keys) if (typeof copy[key] === "string") copy[key] = b64(copy[key]);
  return copy;
}

async function run_epochs({ train, dataset, program, knobs, epochs }) {
  const state = decode_train({
    ...bytes(train, ["weights", "grads", "shuffle", "history"]),
    optimizer: bytes(train.optimizer, ["m", "v", "velocity"]),
  });
  const points = decode_points(bytes(dataset, ["rows", "loss_targets", "targets", "split"]));
  const graphs = await load_program({ graphs: program.graphs.map((g) => ({ length: g.length, blob: b64(g.blob) })) });
  const rows = [];
  for (let k = 0; k < epochs; k++) {
    const row = run_epoch(state, graphs, points, knobs);
    if (row) rows.push(...row);
  }
  const o = state.optimizer;
  return {
    weights: out64(state.weights),
    grads: out64(state.grads),
    history: out64(Float64Array.from(rows)),
    shuffle: Array.from(state.rng.state()),
    optimizer: { steps: o.steps, buffers: out64(Float64Array.from([...o.velocity, ...o.m, ...o.v])) },
    epoch: state.epoch,
    diverged: state.diverged,
  };
}

function run_pictures({ model, cells }) {
  const m = { ...model, weights: new Float64Array(b64(model.weights).buffer) };
  const maps = neuron_maps(m, cells.hidden);
  return {
    field: out64(plane_field(m, cells.plane)),
    curve: out64(fit_curve(m, cells.curve)),
    hidden: out64(Float64Array.from(maps.hidden)),
    features: out64(Float64Array.from(maps.features)),
  };
}

function run_shuffle({ words, n, times }) {
  const rng = new MersenneTwister(words);
  return Array.from({ length: times }, () => {
    const order = Array.from({ length: n }, (_, i) => i);
    rng.shuffle(order);
    return order;
  });
}

function run_report({ train, since, grads }) {
  const state = decode_train({
    ...bytes(train, ["weights", "grads", "shuffle", "history"]),
    optimizer: bytes(train.optimizer, ["m", "v", "velocity"]),
  });
  const { content, buffers } = report(state, train.revision, since, grads);
  return { content, buffers: buffers.map((b) => Buffer.from(b).toString("base64")) };
}

let text = "";
for await (const chunk of process.stdin) text += chunk;
const request = JSON.parse(text);
const answer = {};
if (request.epochs) answer.epochs = await Promise.all(request.epochs.map(run_epochs));
if (request.pictures) answer.pictures = request.pictures.map(run_pictures);
if (request.shuffles) answer.shuffles = request.shuffles.map(run_shuffle);
if (request.reports) answer.reports = request.reports.map(run_report);
process.stdout.write(JSON.stringify(answer));
