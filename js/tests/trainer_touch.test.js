// The network you can touch: a weight's place in the flat parameters, a neuron's
// formula with its weights, what the pointer is on; and in the view, a hand edit
// repaints at once and tells the kernel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { param_index, neuron_formula, neuron_name, coefficient, touched } from "../trainer/network_touch.js";
import { network_geometry } from "../trainer/network.js";
import { layers_of } from "../trainer/forward.js";
import { mount, settle } from "./trainer_mount.js";

test("a weight's place in the flat parameters is micrograd's order: per layer, per neuron, weights then bias", () => {
  const sizes = [2, 3, 1];
  const params = Float64Array.from({ length: 13 }, (_, k) => k);
  const layers = layers_of(params, sizes, "relu");
  for (let j = 0; j < 3; j++) {
    for (let i = 0; i < 2; i++) assert.equal(params[param_index(sizes, 1, j, i)], layers[0].w[j * 2 + i]);
    assert.equal(params[param_index(sizes, 1, j, 2)], layers[0].b[j]);
  }
  assert.equal(param_index(sizes, 2, 0, 3), 12, "the output's bias is the last parameter");
});

test("a neuron's formula has its weights and bias filled in, in the inputs' names", () => {
  const sizes = [2, 2, 3, 1];
  const weights = new Float64Array(20);
  weights[param_index(sizes, 2, 1, 0)] = 0.53;
  weights[param_index(sizes, 2, 1, 1)] = -1.2;
  weights[param_index(sizes, 2, 1, 2)] = 0.1;
  const net = { sizes, inputs: ["height", "weight"], classes: [], task: "binary", activation: "relu", weights };
  assert.equal(neuron_formula(net, 2, 1), "h₂,₂ = relu(0.53·h₁,₁ − 1.20·h₁,₂ + 0.10)");
  weights[param_index(sizes, 1, 0, 0)] = -2;
  assert.equal(neuron_formula(net, 1, 0), "h₁,₁ = relu(−2.00·height + 0.00·weight + 0.00)");
  assert.match(neuron_formula(net, 3, 0), /^score = 0\.00·h₂,₁/, "the output: no activation");
  const many = { ...net, sizes: [5, 1], weights: new Float64Array(6) };
  assert.match(neuron_formula(many, 1, 0), /score = 0\.00·height \+ 0\.00·weight \+ … \+ 0\.00/);
  assert.equal(neuron_name({ ...net, task: "multiclass", classes: ["cat"] }, 3, 0), "score of cat");
  assert.equal(coefficient(-1.234), "−1.23");
});

test("the pointer touches a neuron in its box and a link near its line", () => {
  const g = network_geometry([2, 4, 1], ["x1", "x2"], 300, 320);
  const box = g.columns[1][2];
  assert.deepEqual(touched(g, box.x + 2, box.y + 2), { column: 1, k: 2 });
  const from = g.columns[0][1],
    to = g.columns[1][3];
  const mid = [(from.x + from.size + to.x) / 2, (from.y + from.size / 2 + to.y + to.size / 2) / 2];
  assert.deepEqual(touched(g, mid[0], mid[1] + 1), { column: 1, k: 3, from: 1 });
  assert.equal(touched(g, 1, 1), null);
});

test("a hand edit changes the weights the page paints from at once, and tells the kernel", async () => {
  const view = mount("moons");
  await view.engine.loaded;
  const before = view.engine.pictures().field.slice();
  const figures = view.engine.figures().slice();
  view.engine.edit(0, 5);
  assert.equal(view.engine.state.weights[0], 5);
  assert.notDeepEqual(Array.from(view.engine.pictures().field), Array.from(before), "the plane follows");
  assert.notDeepEqual(view.engine.figures(), figures, "so do the figures");
  await settle();
  const network = view.all().find((e) => e.getAttribute("data-role") === "network");
  assert.equal(network.getAttribute("tabindex"), "0", "the network picture takes the keyboard");
});

test("Enter on a neuron opens its editor; lock=['edit'] keeps the editor shut", async () => {
  for (const lock of [[], ["edit"]]) {
    const view = mount("moons", { lock, locked: lock });
    await view.engine.loaded;
    await settle();
    const network = view.all().find((e) => e.getAttribute("data-role") === "network");
    network.width = 300;
    network.height = 320;
    network.dispatch("keydown", { key: "ArrowRight", preventDefault() {} }); // the first hidden layer
    network.dispatch("keydown", { key: "Enter", preventDefault() {} });
    const editor = view.all().find((e) => e.getAttribute("aria-label") === "edit a weight");
    assert.equal(editor.hidden, lock.length > 0, `lock ${JSON.stringify(lock)}`);
    view.cleanup();
  }
});
