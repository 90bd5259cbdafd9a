// The browser replay on its own (tests/test_cross_check.py compares it with the
// engine on random graphs; these pin down known numbers).
import { test } from "node:test";
import assert from "node:assert/strict";
import { builder, replayed } from "./fixtures.js";
import { normalize_structure } from "../core/codecs.js";
import { replay, contributions } from "../core/replay.js";
import { ADD, SUB, MUL, DIV, NEG, POWC, RELU, TANH, DOT, SUM } from "../core/ops.js";

const run = (graph) => replayed(graph);

/** micrograd's README expression, op by op. */
function readme() {
  const g = builder();
  const k = (value) => g.leaf("", value, "constant");
  const a = g.leaf("a", -4),
    b = g.leaf("b", 2);
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
  const w1 = g.leaf("w1", 2),
    w2 = g.leaf("w2", 3),
    x1 = g.leaf("x1", 5),
    x2 = g.leaf("x2", 7),
    bias = g.leaf("b", 1);
  g.op(DOT, [w1, w2, x1, x2, bias]);
  const { data, grad } = run(g.done());
  assert.equal(data[5], 2 * 5 + 3 * 7 + 1);
  assert.deepEqual(Array.from(grad.slice(0, 5)), [5, 7, 2, 3, 1]);
});

test("contributions recomputed from data and grads equal the ones backward used", () => {
  const { graph } = readme();
  const s = normalize_structure(graph.structure);
  const data = Float64Array.from(graph.data),
    grad = new Float64Array(s.n),
    used = new Float64Array(s.inputs.length);
  replay(s, data, grad, new Array(s.n).fill(null), used);
  assert.deepEqual(Array.from(contributions(s, data, grad)), Array.from(used));
});

test("a 20,000-node chain replays to a plain loop's values and grads (no recursion, no drift)", () => {
  // its speed is measured by benchmarks/bench_replay.mjs; here the numbers must be right
  const g = builder();
  const start = Array.from({ length: 64 }, (_, k) => 1.5 + 0.5 * Math.sin(k)); // in [1, 2]
  const leaves = start.map((value, k) => g.leaf(`x${k}`, value));
  // with inputs in [1, 2] the relu always sees tanh(..) + x > 0, so the grads reach far back
  const codes = [SUB, TANH, ADD, RELU, MUL];
  const steps = []; // [code, the leaves it also reads]
  const ids = [leaves[0]];
  for (let k = 0; k < 20000 - 64; k++) {
    const code = k % 50 === 0 ? SUM : codes[k % codes.length];
    const others = code === TANH || code === RELU ? [] : code === SUM ? [k % 64, (k * 7) % 64] : [k % 64];
    ids.push(g.op(code, [ids[ids.length - 1], ...others.map((j) => leaves[j])]));
    steps.push([code, others]);
  }
  const { s, data, grad } = run(g.done());
  assert.equal(s.n, 20000);

  // the same chain by hand: forward keeping each link's value, then backward from the end
  const chain = [start[0]];
  for (const [code, others] of steps) {
    const x = chain[chain.length - 1],
      o = others.map((j) => start[j]);
    chain.push(
      code === ADD
        ? x + o[0]
        : code === MUL
          ? x * o[0]
          : code === SUB
            ? x - o[0]
            : code === TANH
              ? Math.tanh(x)
              : code === RELU
                ? x > 0
                  ? x
                  : 0
                : x + o[0] + o[1],
    );
  }
  const chain_grad = new Float64Array(chain.length),
    leaf_grad = new Float64Array(64);
  chain_grad[chain.length - 1] = 1;
  for (let k = steps.length - 1; k >= 0; k--) {
    const [code, others] = steps[k];
    const x = chain[k],
      out = chain[k + 1],
      up = chain_grad[k + 1];
    if (code === MUL) leaf_grad[others[0]] += up * x;
    else if (code === SUB) leaf_grad[others[0]] -= up;
    else for (const j of others) leaf_grad[j] += up;
    chain_grad[k] =
      up * (code === MUL ? start[others[0]] : code === TANH ? 1 - out * out : code === RELU ? (x > 0 ? 1 : 0) : 1);
  }
  leaf_grad[0] += chain_grad[0];

  const close = (a, b) => Math.abs(a - b) <= 1e-12 * Math.max(1e-300, Math.abs(a), Math.abs(b));
  assert.deepEqual(
    ids.filter((id, k) => data[id] !== chain[k]),
    [],
  );
  // ids[0] is leaf 0, whose grad also gathers its uses as a leaf: checked with the leaves
  assert.deepEqual(
    ids.filter((id, k) => k > 0 && !close(grad[id], chain_grad[k])),
    [],
  );
  assert.deepEqual(
    leaves.filter((id, j) => !close(grad[id], leaf_grad[j])),
    [],
  );
  // the comparison must be about numbers: every leaf and a long stretch of the chain have a grad
  assert.ok(leaf_grad.every((v) => v !== 0));
  assert.ok(chain_grad.filter((v) => v !== 0).length > 500);
});
