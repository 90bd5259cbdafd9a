import { test } from "node:test";
import assert from "node:assert/strict";
import { layout } from "../graph/layout.js";
import { visible_graph } from "../graph/groups.js";
import { scope_prefixes } from "../graph/folding.js";
import { normalize_structure } from "../core/codecs.js";

/** A seeded random DAG like an MLP loss: many reused nodes, fan-in up to 4. */
function random_dag(count, seed = 1) {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const links = [];
  for (let v = 1; v < count; v++) {
    const fan_in = 1 + Math.floor(random() * 4);
    for (let k = 0; k < fan_in; k++) {
      const u = Math.max(0, v - 1 - Math.floor(random() * Math.min(v, random() < 0.8 ? 10 : v)));
      if (u < v) links.push({ from: u, to: v });
    }
  }
  const widths = Float64Array.from({ length: count }, () => 90 + Math.floor(random() * 80));
  const heights = new Float64Array(count).fill(56);
  return { links, widths, heights };
}

function overlaps(result, widths, heights) {
  const found = [];
  const count = widths.length;
  for (let p = 0; p < count; p++) {
    for (let q = p + 1; q < count; q++) {
      const apart =
        result.x[p] + widths[p] <= result.x[q] ||
        result.x[q] + widths[q] <= result.x[p] ||
        result.y[p] + heights[p] <= result.y[q] ||
        result.y[q] + heights[q] <= result.y[p];
      if (!apart) found.push([p, q]);
    }
  }
  return found;
}

test("layout boxes never overlap", () => {
  const { links, widths, heights } = random_dag(400, 7);
  const result = layout(400, links, widths, heights);
  assert.deepEqual(overlaps(result, widths, heights), []);
});

test("every edge points left to right", () => {
  const { links, widths, heights } = random_dag(400, 3);
  const result = layout(400, links, widths, heights);
  for (const { from, to } of links) assert.ok(result.x[from] + widths[from] < result.x[to], `${from} -> ${to}`);
});

test("leaves sit just before their first consumer", () => {
  // 0 -> 1 -> 2 -> 3, and leaf 4 feeds only 3 (ids in topological order: 4 is drawn late)
  const links = [
    { from: 0, to: 1 },
    { from: 1, to: 2 },
    { from: 2, to: 3 },
    { from: 3, to: 5 },
    { from: 4, to: 5 },
  ];
  const result = layout(6, links, new Float64Array(6).fill(100), new Float64Array(6).fill(50));
  assert.equal(result.layer[4], result.layer[5] - 1);
});

test("the drawing's size covers every box", () => {
  const { links, widths, heights } = random_dag(200, 11);
  const result = layout(200, links, widths, heights);
  for (let v = 0; v < 200; v++) {
    assert.ok(result.x[v] >= 0 && result.x[v] + widths[v] <= result.width + 1e-9);
    assert.ok(result.y[v] >= -1e-9 && result.y[v] + heights[v] <= result.height + 1e-9);
  }
});

test("a 1,000-node graph lays out with no overlap and every edge left to right", () => {
  // how fast is a question for a benchmark: no test asserts a time
  const { links, widths, heights } = random_dag(1000, 5);
  const result = layout(1000, links, widths, heights);
  assert.deepEqual(overlaps(result, widths, heights), []);
  const backwards = links.filter(({ from, to }) => !(result.x[from] + widths[from] < result.x[to]));
  assert.deepEqual(backwards, []);
});

test("scopes split into levels of name and index", () => {
  assert.deepEqual(scope_prefixes("sample.3.layers.0.neurons.2"), [
    "sample.3",
    "sample.3.layers.0",
    "sample.3.layers.0.neurons.2",
  ]);
  assert.deepEqual(scope_prefixes(""), []);
  assert.deepEqual(scope_prefixes("loss"), ["loss"]);
});

function scoped_structure() {
  // two samples, each with two neurons of 3 nodes, then a sum over the samples
  const scope = [],
    inputs = [],
    offsets = [0],
    code = [];
  const add = (s, ins) => {
    scope.push(s);
    inputs.push(...ins);
    offsets.push(inputs.length);
    code.push(ins.length ? 15 : 0);
    return scope.length - 1;
  };
  const outs = [];
  for (let p = 0; p < 2; p++) {
    for (let j = 0; j < 2; j++) {
      const s = `sample.${p}.layers.0.neurons.${j}`;
      const a = add(s, []),
        b = add(s, []);
      outs.push(add(s, [a, b]));
    }
  }
  add("", outs);
  const n = scope.length;
  return normalize_structure({ n, code, inputs, offsets, scope, label: scope.map(() => ""), op: [], kind: [] });
}

test("small graphs show every node", () => {
  const s = scoped_structure();
  const graph = visible_graph(s, { threshold: 300, expanded: new Set() });
  assert.equal(graph.items.length, s.n);
  assert.ok(graph.items.every((item) => item.type === "node"));
});

test("big graphs collapse by scope and a click expands one level", () => {
  const s = scoped_structure();
  const collapsed = visible_graph(s, { threshold: 5, expanded: new Set() });
  assert.deepEqual(
    collapsed.items.map((item) => item.key),
    ["sample.0", "sample.1", "n12"],
  );
  assert.deepEqual(
    collapsed.links.map((l) => [l.from, l.to, l.edges.length]),
    [
      [0, 2, 2],
      [1, 2, 2],
    ],
  );
  const opened = visible_graph(s, { threshold: 5, expanded: new Set(["sample.0", "sample.0.layers.0"]) });
  assert.deepEqual(
    opened.items.map((item) => item.key),
    ["sample.0.layers.0.neurons.0", "sample.0.layers.0.neurons.1", "sample.1", "n12"],
  );
  // every node belongs to exactly one visible box
  const seen = opened.items.flatMap((item) => item.members).sort((p, q) => p - q);
  assert.deepEqual(
    seen,
    Array.from({ length: s.n }, (_, i) => i),
  );
});

test("scopeless parameters group by the scope their uses share", async () => {
  const { grouping_scopes } = await import("../graph/folding.js");
  // w is read by the same neuron in two data points; v by two different neurons
  const s = normalize_structure({
    n: 5,
    code: [0, 0, 15, 15, 15],
    inputs: [0, 1, 0, 1, 2, 3],
    offsets: [0, 0, 0, 2, 4, 6],
    scope: ["", "", "sample.0.layers.0.neurons.2", "sample.1.layers.0.neurons.2", ""],
    kind: ["parameter", "input", "op", "op", "op"],
    label: ["w", "x", "", "", ""],
    op: [],
  });
  const scopes = grouping_scopes(s);
  assert.equal(scopes[0], "parameters.layers.0.neurons.2");
  assert.equal(scopes[1], ""); // only parameters are moved
});

test("a wrapped layout keeps each column in its band, stacks the bands and overlaps nothing", async () => {
  const { wrap, BAND_GAP } = await import("../graph/layout.js");
  const { links, widths, heights } = random_dag(80, 9);
  const base = layout(80, links, widths, heights);
  const columns = Math.max(...base.layer) + 1;
  const starts = [Math.round(columns / 3), Math.round((2 * columns) / 3)];
  const wrapped = wrap(base, widths, heights, starts);
  assert.deepEqual(overlaps(wrapped, widths, heights), []);
  for (let v = 0; v < 80; v++) {
    const b = wrapped.band[v];
    assert.equal(b, starts.filter((s) => base.layer[v] >= s).length, `box ${v}: its column's band`);
    const bottom = b + 1 < wrapped.band_top.length ? wrapped.band_top[b + 1] - BAND_GAP : wrapped.height;
    assert.ok(
      wrapped.y[v] >= wrapped.band_top[b] - 1e-9 && wrapped.y[v] + heights[v] <= bottom + 1e-9,
      `box ${v} inside band ${b}`,
    );
    assert.ok(wrapped.x[v] >= 0 && wrapped.x[v] + widths[v] <= wrapped.width + 1e-9);
  }
  // the same columns, narrower and taller: a third of the width or so
  assert.ok(wrapped.width < base.width / 2 && wrapped.height > base.height);
  // within a band, links still point left to right
  for (const { from, to } of links) {
    if (wrapped.band[from] === wrapped.band[to])
      assert.ok(wrapped.x[from] + widths[from] < wrapped.x[to], `${from} -> ${to}`);
  }
});
