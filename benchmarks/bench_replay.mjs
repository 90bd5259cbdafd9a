// The browser replay's speed (js/core/replay.js): one forward + backward pass
// per slider input, on graphs of the sizes a lecture shows.
//
//   node benchmarks/bench_replay.mjs                      # this tree's replay
//   node benchmarks/bench_replay.mjs /tmp/other/replay.js # A/B against another copy
//
// With a second module, the two run alternately (ABAB), several rounds, and the
// table gives min / median / max per module side by side and their ratio.
// It asserts nothing: no test depends on a time. Other work on the machine
// slows every column; the header shows the date and the load average.
import os from "node:os";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.ROUNDS || 9);
const ROUND_MS = Number(process.env.ROUND_MS || 300);

// op codes of micrograd_widgets/_ops.py
const ADD = 1,
  MUL = 3,
  TANH = 9,
  DOT = 14,
  SUM = 15,
  POWC = 7;

/** A columnar structure from [code, inputs, const] rows (what normalize_structure gives). */
function build(rows) {
  const n = rows.length;
  const offsets = new Int32Array(n + 1);
  const flat = [];
  rows.forEach(([, ins], i) => {
    flat.push(...ins);
    offsets[i + 1] = flat.length;
  });
  return {
    n,
    code: Uint8Array.from(rows, (r) => r[0]),
    inputs: Int32Array.from(flat),
    offsets,
    const: Float64Array.from(rows, (r) => r[2] ?? 0),
    label: new Array(n).fill(""),
    op: new Array(n).fill(""),
    kind: rows.map((r) => (r[1].length ? "op" : "input")),
    scope: new Array(n).fill(""),
  };
}

/** A chain of binary and unary ops on a few leaves: `size` nodes. */
function chain(size) {
  const rows = [
    [0, []],
    [0, []],
    [0, []],
  ];
  while (rows.length < size) {
    const last = rows.length - 1;
    const k = rows.length % 3;
    rows.push(k === 0 ? [MUL, [last, k]] : k === 1 ? [ADD, [last, 1]] : [TANH, [last]]);
  }
  return build(rows);
}

/** MLP(2, [16, 16, 1]) on `points` points with a squared-error loss: dot and tanh nodes. */
function mlp(points) {
  const rows = [];
  const leaf = () => rows.push([0, []]) - 1;
  const sizes = [2, 16, 16, 1];
  const layers = [];
  for (let l = 1; l < sizes.length; l++) {
    layers.push(Array.from({ length: sizes[l] }, () => ({ w: Array.from({ length: sizes[l - 1] }, leaf), b: leaf() })));
  }
  const losses = [];
  for (let p = 0; p < points; p++) {
    let xs = [leaf(), leaf()];
    layers.forEach((layer, l) => {
      xs = layer.map(({ w, b }) => {
        rows.push([DOT, [...w, ...xs, b]]);
        if (l === layers.length - 1) return rows.length - 1;
        rows.push([TANH, [rows.length - 1]]);
        return rows.length - 1;
      });
    });
    rows.push([POWC, [xs[0]], 2]);
    losses.push(rows.length - 1);
  }
  rows.push([SUM, losses]);
  return build(rows);
}

const GRAPHS = {
  "chain 2,000 nodes": chain(2000),
  "chain 20,000 nodes": chain(20000),
  "MLP 2-16-16-1, 16 points": mlp(16),
};

/** Replays per second of one module on one graph, for about ROUND_MS. */
function rate(replay, s) {
  const data = new Float64Array(s.n).map((_, i) => (s.offsets[i] === s.offsets[i + 1] ? 0.1 + (i % 7) * 0.05 : 0));
  const grad = new Float64Array(s.n);
  const errors = new Array(s.n).fill(null);
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ROUND_MS) {
    data[0] += 1e-9; // a slider moved
    replay(s, data, grad, errors);
    count++;
    now = performance.now();
  }
  return ((now - start) * 1000) / count; // microseconds per replay
}

const stats = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
};
const fmt = (x) => x.toFixed(1).padStart(9);

const files = [path.join(here, "..", "js", "core", "replay.js"), ...process.argv.slice(2).map((p) => path.resolve(p))];
const modules = await Promise.all(files.map((f) => import(pathToFileURL(f).href)));
console.log(
  `bench_replay ${new Date().toISOString()}  load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}  node ${process.version}`,
);
console.log(
  `${ROUNDS} rounds of ${ROUND_MS} ms per module and graph, alternating; microseconds per replay (forward + backward)`,
);
for (const [k, f] of files.entries()) console.log(`  ${"AB"[k] || k}: ${path.relative(process.cwd(), f)}`);
for (const [name, s] of Object.entries(GRAPHS)) {
  const times = modules.map(() => []);
  for (const m of modules) rate(m.replay, s); // warm up the JIT
  for (let r = 0; r < ROUNDS; r++) for (const [k, m] of modules.entries()) times[k].push(rate(m.replay, s));
  const cols = times.map((t) => stats(t));
  const line = cols.map((c, k) => `${"AB"[k] || k} min/med/max ${fmt(c.min)}${fmt(c.median)}${fmt(c.max)}`).join("   ");
  const ratio = cols.length > 1 ? `   A/B median ${(cols[0].median / cols[1].median).toFixed(3)}` : "";
  console.log(`${name.padEnd(26)} ${line}${ratio}`);
}
