// The page's epoch on big own data sets, timed in node (V8, the JS the page
// runs): the node half of benchmarks/bench_big_data.py, which starts it.
//
//   node benchmarks/bench_big_data.mjs CASES.json
//
// CASES.json holds {"cases": [{"name", "train", "dataset", "program", "knobs"}]}:
// what the kernel sends a page (its traits, bytes as base64), as the "epochs"
// request of js/tests/trainer_cli.mjs. On start it loads every case (the
// program inflated and decoded, as a page does when the data arrives; the
// first case once before, untimed: node's first inflate is slow), times each
// case's first epoch (the JIT is cold at the first) and writes one JSON line.
// Then each line on stdin, {"order": [names], "min_ms": M}, is one round: each
// case in that order runs epochs until M ms have passed (at least one), and one
// JSON line answers {name: {"epochs", "ms", "cpu_ms", "diverged"}} (cpu_ms:
// the process's, every thread). The training goes on from round to round, as a
// playing page's does. It asserts nothing: no test depends on a time.
import readline from "node:readline";
import { readFileSync } from "node:fs";
import { decode_train, decode_points } from "../js/trainer/state.js";
import { load_program } from "../js/trainer/program.js";
import { run_epoch } from "../js/trainer/epoch.js";

const b64 = (text) => Uint8Array.from(Buffer.from(text, "base64"));

/** Every string under `keys` of a trait, as the bytes it encodes (what a kernel sends as a buffer). */
function bytes(trait, keys) {
  const copy = { ...trait };
  for (const key of keys) if (typeof copy[key] === "string") copy[key] = b64(copy[key]);
  return copy;
}

async function load({ name, train, dataset, program, knobs }) {
  const t0 = performance.now();
  const state = decode_train({
    ...bytes(train, ["weights", "grads", "shuffle", "history"]),
    optimizer: bytes(train.optimizer, ["m", "v", "velocity"]),
  });
  const points = decode_points(bytes(dataset, ["rows", "loss_targets", "targets", "split"]));
  const graphs = await load_program({ graphs: program.graphs.map((g) => ({ length: g.length, blob: b64(g.blob) })) });
  const load_ms = performance.now() - t0;
  let nodes = 0;
  for (const g of graphs.values()) nodes = Math.max(nodes, g.s.n);
  return { name, state, graphs, points, knobs, info: { load_ms, first_ms: 0, nodes } };
}

/** Epochs of one case until `min_ms` have passed (at least one). */
function measure(c, min_ms) {
  let epochs = 0;
  const t0 = performance.now(),
    cpu0 = process.cpuUsage();
  let ms = 0;
  do {
    run_epoch(c.state, c.graphs, c.points, c.knobs);
    epochs++;
    ms = performance.now() - t0;
  } while (ms < min_ms);
  const cpu = process.cpuUsage(cpu0);
  return { epochs, ms, cpu_ms: (cpu.user + cpu.system) / 1000, diverged: c.state.diverged };
}

const request = JSON.parse(readFileSync(process.argv[2], "utf8"));
await load(request.cases[0]);
const cases = new Map();
for (const spec of request.cases) cases.set(spec.name, await load(spec));
for (const c of cases.values()) {
  const t0 = performance.now();
  run_epoch(c.state, c.graphs, c.points, c.knobs);
  c.info.first_ms = performance.now() - t0;
}
process.stdout.write(`${JSON.stringify(Object.fromEntries([...cases].map(([k, c]) => [k, c.info])))}\n`);

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { order, min_ms } = JSON.parse(line);
  const answer = {};
  for (const name of order) answer[name] = measure(cases.get(name), min_ms);
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
