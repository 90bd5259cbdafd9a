import { test } from "node:test";
import assert from "node:assert/strict";
import { visible_graph, reveal_path, matching_open, first_view_keys } from "../graph/groups.js";
import { fold, name_prefixes } from "../graph/folding.js";
import { MAX_LEVEL } from "../graph/tidy_levels.js";
import { normalize_structure } from "../core/codecs.js";
import { lecture_mlp, tracer } from "./student_graphs.js";

const open = (s, expanded = [], picks = []) =>
  visible_graph(s, { threshold: 0, expanded: new Set(expanded), picks: new Map(picks) });

/** Every node is in exactly one box, or folded into one as a constant. */
function assert_covers(s, visible) {
  const seen = new Uint8Array(s.n);
  for (const item of visible.items)
    for (const i of item.members) {
      assert.equal(seen[i], 0, `node ${i} twice`);
      seen[i] = 1;
    }
  for (let i = 0; i < s.n; i++) {
    if (!seen[i]) assert.ok(visible.folding?.inline[i], `node ${i} in no box`);
    assert.ok(visible.item_of[i] >= 0 && visible.item_of[i] < visible.items.length);
  }
}

test("a region that reaches the rest through one node folds into one box that counts its nodes", () => {
  // x -> tanh chain of 6 -> out = chain + y: the chain reaches out only through its last tanh
  const t = tracer();
  const x = t.leaf(1, "x"),
    y = t.leaf(2, "y");
  let h = x;
  for (let k = 0; k < 6; k++) h = t.op("relu", [t.op("*", [h, y])]);
  t.op("+", [h, y]);
  const s = normalize_structure(t.done().structure);
  const visible = open(s);
  const groups = visible.items.filter((it) => it.type === "group");
  assert.equal(groups.length, 1);
  // x sits inside (only the chain reads it); y is read by the output too: it stays outside
  assert.equal(visible.folding.count[groups[0].group], 12 + 1);
  assert.ok(visible.items.some((it) => it.type === "node" && it.rep === y));
  assert_covers(s, visible);
});

test("constants fold into the node that uses them", () => {
  const t = tracer();
  const a = t.leaf(3, "a");
  const c = t.constant(2);
  t.op("*", [a, c]);
  const s = normalize_structure(t.done().structure);
  const visible = open(s);
  assert.equal(visible.items.length, 2);
  const product = visible.items[visible.item_of[2]];
  assert.deepEqual(product.consts, [c]);
  assert.equal(visible.links.length, 1); // a -> product; the constant draws no link
  assert_covers(s, visible);
});

test("100 alike per-sample branches fold into one repeat group, one instance shown at a time", () => {
  const s = normalize_structure(lecture_mlp(100).structure);
  const f = fold(s);
  const repeats = f.key.map((_, g) => g).filter((g) => f.kind[g] === "repeat" && f.instances[g].length === 100);
  assert.equal(repeats.length, 1);
  const r = repeats[0];
  assert.equal(
    f.count[r],
    f.instances[r].reduce((total, g) => total + f.count[g], 0),
  );
  // open it: one instance, and one box for the other 99
  const path = f.paths[r].map((g) => f.key[g]);
  const opened = open(s, path);
  const rest = opened.items.filter((it) => it.rest);
  assert.equal(rest.length, 1);
  assert.ok(opened.items.some((it) => it.group === f.instances[r][0]));
  const next = open(s, path, [[f.key[r], 7]]);
  assert.ok(next.items.some((it) => it.group === f.instances[r][7]));
  assert.ok(!next.items.some((it) => it.group === f.instances[r][0]));
  assert_covers(s, next);
});

test("the lecture MLP (65,818 nodes, no scopes) arrives folded and every level opens folded", () => {
  const s = normalize_structure(lecture_mlp(100).structure);
  const start = performance.now();
  const f = fold(s);
  const first = open(s);
  console.log(
    `# fold of ${s.n} nodes: ${(performance.now() - start).toFixed(0)} ms, first view ${first.items.length} boxes`,
  );
  assert.ok(first.items.length <= 10);
  assert_covers(s, first);
  // no group shows more than MAX_LEVEL boxes of its own when opened (plus the rest box of a repeat)
  for (let g = 0; g < f.key.length; g++) assert.ok(f.opens[g] <= MAX_LEVEL + 1, `${f.key[g]} opens ${f.opens[g]}`);
  // data-count: every engine node is counted once at the top level
  const top = first.items.reduce(
    (total, it) => total + (it.type === "group" ? f.count[it.group] : 1 + (it.consts?.length || 0)),
    0,
  );
  assert.equal(top, s.n);
});

test("opening the path reveal_path gives shows a deep node as its own box", () => {
  const s = normalize_structure(lecture_mlp(20).structure);
  const f = fold(s);
  const deep = 5000; // inside some sample's branch
  const way = reveal_path(f, deep);
  assert.ok(way.open.length >= 2);
  const visible = open(s, way.open, way.picks);
  assert.equal(visible.items[visible.item_of[deep]].type, "node");
  assert_covers(s, visible);
});

test("names with a hierarchy group the parameters as the model is built", () => {
  assert.deepEqual(name_prefixes("model.layers[0].neurons[3].w[1]"), [
    "model",
    "model.layers[0]",
    "model.layers[0].neurons[3]",
  ]);
  assert.deepEqual(name_prefixes("x[0]"), []);
  assert.deepEqual(name_prefixes("params['a.b']"), []);
  const s = normalize_structure(lecture_mlp(3, { names: true }).structure);
  const visible = open(s);
  const model = visible.items.find((it) => it.key === "model");
  assert.ok(model, "one box for the model's 337 parameters");
  assert.equal(visible.folding.count[model.group], 337);
  const layers = open(s, ["model"]).items.filter((it) => it.key.startsWith("model.layers["));
  assert.deepEqual(layers.map((it) => it.key).sort(), ["model.layers[0]", "model.layers[1]", "model.layers[2]"]);
});

test("the next instance of a repeat opens as far as the one it replaces", () => {
  const s = normalize_structure(lecture_mlp(10).structure);
  const f = fold(s);
  const r = f.key.map((_, g) => g).find((g) => f.kind[g] === "repeat" && f.instances[g].length === 10);
  const [a, b] = f.instances[r];
  const inner = f.key.map((_, g) => g).filter((g) => f.paths[g].includes(a) && g !== a);
  assert.ok(inner.length > 0);
  const expanded = new Set([f.key[a], f.key[inner[0]]]);
  const keys = matching_open(f, a, b, expanded);
  assert.equal(keys.length, 2);
  assert.ok(keys.includes(f.key[b]));
  assert.ok(keys.every((k) => f.paths[f.index.get(k)].includes(b)));
});

test("the first view opens the biggest groups while it stays within its box budget", () => {
  const s = normalize_structure(lecture_mlp(100).structure);
  const f = fold(s);
  const keys = first_view_keys(f, 40);
  assert.ok(keys.length >= 2);
  const visible = open(s, keys);
  assert.ok(visible.items.length <= 40, `${visible.items.length} boxes`);
  // the per-sample branches were reached: one shown, the other 99 behind one box
  assert.ok(visible.items.some((it) => it.rest && f.instances[it.group].length === 100));
  assert_covers(s, visible);
});
