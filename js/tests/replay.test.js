// The browser replay on its own (tests/test_js_replay.py compares it with the
// engine on random graphs; these pin down a few known numbers and its speed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { builder } from "./fixtures.js";
import { normalize_structure } from "../core/codecs.js";
import { replay, contributions, backward } from "../core/replay.js";
import { ADD, SUB, MUL, DIV, NEG, POWC, RELU, TANH, DOT, SUM } from "../core/ops.js";

function run(graph) {
  const s = normalize_structure(graph.structure);
  const data = Float64Array.from(graph.data), grad = new Float64Array(s.n), errors = new Array(s.n).fill(null);
  replay(s, data, grad, errors);
  return { s, data, grad, errors };
}

/** micrograd's README expression, op by op. */
function readme() {
  const g = builder();
  const k = (value) => g.leaf("", value, "constant");
  const a = g.leaf("a", -4), b = g.leaf("b", 2);
  let c = g.op(ADD, [a, b]);
  let d = g.op(ADD, [g.op(MUL, [a, b]), g.op(POWC, [b], "", 3)]);
  c = g.op(ADD, [c, g.op(ADD, [c, k(1)])]);
  c = g.op(ADD, [c, g.op(ADD, [g.op(ADD, [k(1), c]), g.op(NEG, [a])])]);
  d = g.op(ADD, [d, g.op(ADD, [g.op(MUL, [d, k(2)]), g.op(RELU, [g.op(ADD, [b, a])])])]);
  d = g.op(ADD, [d, g.op(ADD, [g.op(MUL, [k(3), d]), g.op(RELU, [g.op(SUB, [b, a])])])]);
  const e = g.op(SUB, [c, d]);
  const f = g.op(POWC, [e], "", 2);
  g.op(ADD, [g.op(DIV, [f, k(2)]), g.op(DIV, [k(10), f])], "g");
  return { graph: g.done(), a, b };
}

test("the README expression replays to micrograd's numbers", () => {
  const { graph, a, b } = readme();
  const { s, data, grad } = run(graph);
  assert.equal(data[s.n - 1].toFixed(4), "24.7041");
  assert.equal(grad[a].toFixed(4), "138.8338");
  assert.equal(grad[b].toFixed(4), "645.5773");
});

test("dot takes weights, then inputs, then an optional bias", () => {
  const g = builder();
  const w1 = g.leaf("w1", 2), w2 = g.leaf("w2", 3), x1 = g.leaf("x1", 5), x2 = g.leaf("x2", 7), bias = g.leaf("b", 1);
  g.op(DOT, [w1, w2, x1, x2, bias]);
  const { data, grad } = run(g.done());
  assert.equal(data[5], 2 * 5 + 3 * 7 + 1);
  assert.deepEqual(Array.from(grad.slice(0, 5)), [5, 7, 2, 3, 1]);
});

test("contributions recomputed from data and grads equal the ones backward used", () => {
  const { graph } = readme();
  const s = normalize_structure(graph.structure);
  const data = Float64Array.from(graph.data), grad = new Float64Array(s.n), used = new Float64Array(s.inputs.length);
  replay(s, data, grad, new Array(s.n).fill(null), used);
  assert.deepEqual(Array.from(contributions(s, data, grad)), Array.from(used));
});

test("replay speed on a 20,000-node graph (printed, not asserted)", () => {
  const g = builder();
  const leaves = Array.from({ length: 64 }, (_, k) => g.leaf(`x${k}`, Math.sin(k)));
  let last = leaves[0];
  const codes = [ADD, MUL, TANH, SUB, RELU];
  for (let k = 0; k < 20000 - 64; k++) {
    const other = leaves[k % 64];
    const code = k % 50 === 0 ? SUM : codes[k % codes.length];
    last = code === TANH || code === RELU ? g.op(code, [last]) : code === SUM ? g.op(SUM, [last, other, leaves[(k * 7) % 64]]) : g.op(code, [last, other]);
  }
  const graph = g.done();
  const s = normalize_structure(graph.structure);
  const data = Float64Array.from(graph.data), grad = new Float64Array(s.n), errors = new Array(s.n).fill(null);
  const contrib = new Float64Array(s.inputs.length);
  for (let k = 0; k < 5; k++) replay(s, data, grad, errors, contrib);
  const runs = 20;
  const start = performance.now();
  for (let k = 0; k < runs; k++) replay(s, data, grad, errors, contrib);
  const us = ((performance.now() - start) * 1000) / runs / s.n;
  console.log(`# replay (forward + backward): ${us.toFixed(3)} µs per node on ${s.n} nodes`);
  assert.ok(Number.isFinite(us));
  backward(s, data, grad);
});
