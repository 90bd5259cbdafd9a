// The first view (NOTE [first sight] in graph/placing.js) on the fake DOM, in a
// canvas of a projector's size: small graphs open whole, cut into bands when one
// row would be too small to read; bigger ones open with the output and the boxes
// that hold the sliders' leaves in view, as far as the room allows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fake_document } from "./fake_dom.js";
import { builder, view_numbers } from "./fixtures.js";
import { mount_graph_view } from "../graph/graph_view.js";
import { layout } from "../graph/layout.js";
import { item_size } from "../graph/view_draw.js";
import { visible_graph } from "../graph/groups.js";
import { normalize_structure } from "../core/codecs.js";

const WIDTH = 850,
  WINDOW_HEIGHT = 768; // a notebook's output at 1024x768

/** A chain of `depth` ops alternating + and * on two leaves a and b (reused at every step). */
function deep_graph(depth) {
  const g = builder();
  const a = g.leaf("a", 0.5),
    b = g.leaf("b", 1.5);
  let x = g.op(1, [a, b], "x0");
  for (let k = 1; k < depth; k++) x = g.op(k % 2 ? 3 : 1, [x, k % 3 ? a : b], `x${k}`);
  return g.done();
}

function mount(graph, sliders) {
  const doc = fake_document();
  doc.defaultView = { innerHeight: WINDOW_HEIGHT };
  const el = doc.createElement("div");
  el.clientWidth = WIDTH;
  doc.body.appendChild(el);
  const s = normalize_structure(graph.structure);
  const view = mount_graph_view(el, {
    ...view_numbers(graph),
    sliders,
  });
  const stage = view.root.find((e) => e.getAttribute("class") === "mgw-stage")[0];
  const canvas = view.root.find((e) => e.getAttribute("class") === "mgw-canvas")[0];
  /** Where each node box is on the canvas, and the scale. */
  const seen = () => {
    const [, x, y, k] = /translate\(([-\d.]+)px,([-\d.]+)px\) scale\(([-\d.]+)\)/
      .exec(stage.style.transform)
      .map(Number);
    const boxes = new Map(
      stage
        .find((e) => e.getAttribute("data-node-id") !== null)
        .map((e) => {
          const left = x + parseFloat(e.style.left) * k,
            top = y + parseFloat(e.style.top) * k;
          return [
            Number(e.getAttribute("data-node-id")),
            [left, top, left + parseFloat(e.style.width) * k, top + parseFloat(e.style.height) * k],
          ];
        }),
    );
    return { k, boxes, height: parseFloat(canvas.style.height) };
  };
  const button = (label) => view.root.find((e) => e.getAttribute("aria-label") === label)[0];
  return { view, s, seen, button };
}

const inside = (box, height) => box[0] >= -0.5 && box[1] >= -0.5 && box[2] <= WIDTH + 0.5 && box[3] <= height + 0.5;

/** The scale at which the graph, drawn in one row, would fit the same canvas. */
function one_row_scale(graph, height) {
  const s = normalize_structure(graph.structure);
  const visible = visible_graph(s, { threshold: 300, expanded: new Set() });
  const sizes = visible.items.map((item) => item_size(s, item, Float64Array.from(graph.data)));
  const drawn = layout(
    visible.items.length,
    visible.links,
    sizes.map((z) => z.w),
    sizes.map((z) => z.h),
  );
  return Math.min((WIDTH - 24) / drawn.width, (height - 24) / drawn.height);
}

test("a small deep graph opens whole, cut into bands, where one row would be too small to read", () => {
  const graph = deep_graph(13); // 15 columns, like micrograd's README example
  const { s, seen, button } = mount(graph, [{ id: 0, label: "a", min: -5, max: 5, step: 0.01, value: 0.5 }]);
  const first = seen();
  assert.ok(one_row_scale(graph, first.height) < 0.42, "in one row its text would be under 5 px");
  assert.ok(first.k >= 0.6, `text at ${(12 * first.k).toFixed(1)} px`);
  assert.equal(first.boxes.size, s.n);
  for (const [id, box] of first.boxes) assert.ok(inside(box, first.height), `node ${id} at ${box}`);
  // "readable" brings 11 px text at the output, which stays in view
  button("readable size").dispatch("click");
  const readable = seen();
  assert.ok(readable.k >= 0.92);
  assert.ok(inside(readable.boxes.get(s.n - 1), readable.height));
});

test("a graph too big to open whole shows the output and the slider leaves nearest it, as the room allows", () => {
  // a chain of 60 ops from a and b, and a leaf c that only the output reads
  const g = builder();
  const a = g.leaf("a", 0.5),
    b = g.leaf("b", 1.5);
  let x = g.op(1, [a, b], "x0");
  for (let k = 1; k < 60; k++) x = g.op(k % 2 ? 3 : 1, [x, k % 3 ? a : b], `x${k}`);
  const c = g.leaf("c", 2);
  const out = g.op(1, [x, c], "out");
  const slider = (id, label) => ({ id, label, min: -5, max: 5, step: 0.01, value: 1 });
  const { view, seen } = mount(g.done(), [slider(a, "a"), slider(b, "b"), slider(c, "c")]);
  const first = seen();
  assert.ok(first.k >= 0.6 && first.k <= 0.92, `scale ${first.k}`);
  assert.ok(inside(first.boxes.get(out), first.height), "the output is in view");
  assert.ok(inside(first.boxes.get(c), first.height), "so is c, the slider leaf beside it");
  // a and b feed the chain from its start, 60 columns away: no room for them (the minimap shows them)
  assert.ok(!inside(first.boxes.get(a), first.height) && !inside(first.boxes.get(b), first.height));
  const marked = view.root.find((e) => e.getAttribute("data-sliders") !== null);
  assert.deepEqual(marked.map((e) => e.getAttribute("data-label")).sort(), ["a", "b", "c"]);
});
