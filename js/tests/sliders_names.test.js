import { test } from "node:test";
import assert from "node:assert/strict";
import { fake_document } from "./fake_dom.js";
import { create_sliders, parse_box } from "../graph/sliders.js";
import { node_name, shown_name } from "../core/names.js";
import { normalize_structure } from "../core/codecs.js";

function mount(specs, values, note) {
  const doc = fake_document();
  const panel = doc.createElement("div");
  const moves = [];
  const data = { ...values };
  const sliders = create_sliders(doc, panel, specs, {
    value: (id) => data[id],
    move: (change, source) => { Object.assign(data, change); moves.push(change); },
  }, note);
  const inputs = (type) => panel.find((e) => e.tagName === "input" && (type === "range") === (e.getAttribute("type") === "range"));
  return { panel, sliders, data, moves, ranges: inputs("range"), boxes: inputs("box") };
}

const spec = (id, label, value, extra = {}) => ({ id, label, min: -5, max: 5, step: 0.01, value, ...extra });

test("each slider shows its name, and its range and number box are labelled by it", () => {
  const { panel, ranges, boxes } = mount([spec(0, "a", 1), spec(3, "model.layers[0].neurons[3].w[1]", 2)], { 0: 1, 3: 2 });
  assert.deepEqual(ranges.map((r) => r.getAttribute("aria-label")), ["a", "model.layers[0].neurons[3].w[1]"]);
  assert.deepEqual(boxes.map((b) => b.getAttribute("aria-label")), ["a value", "model.layers[0].neurons[3].w[1] value"]);
  const names = panel.find((e) => e.getAttribute("class") === "mgw-slider-label").map((e) => e.textContent);
  assert.deepEqual(names, ["a", "model.layers[0].neurons[3].w[1]"]);
});

test("the note goes in [data-role=slider-note]; no sliders and no note hides the panel", () => {
  const { panel } = mount([spec(0, "x", 1), spec(1, "x (2)", 1)], { 0: 1, 1: 1 }, "2 sliders share the name 'x'");
  const [note] = panel.find((e) => e.getAttribute("data-role") === "slider-note");
  assert.equal(note.textContent, "2 sliders share the name 'x'");
  assert.equal(panel.hidden, false);
  assert.equal(mount([], {}, "").panel.hidden, true);
  const only_note = mount([], {}, "30 more input leaves have no slider");
  assert.equal(only_note.panel.hidden, false, "a note with no slider still shows");
});

test("the number box shows the whole value in the widget's format, nan and inf included", () => {
  const { boxes } = mount([spec(0, "big", 1.03e12), spec(1, "n", "NaN"), spec(2, "i", "-Infinity"), spec(3, "s", 0.5)],
    { 0: 1.03e12, 1: NaN, 2: -Infinity, 3: 0.5 });
  assert.deepEqual(boxes.map((b) => b.value), ["1.030e+12", "nan", "-inf", "0.5000"]);
  assert.deepEqual(boxes.map((b) => b.getAttribute("type")), ["text", "text", "text", "text"]);
});

test("reset values arrive as text for NaN and infinities and come back as numbers", () => {
  const { sliders } = mount([spec(4, "n", "NaN"), spec(5, "i", "Infinity"), spec(6, "v", 2.5)], { 4: 0, 5: 0, 6: 0 });
  const start = sliders.start_values();
  assert.ok(Number.isNaN(start[4]));
  assert.equal(start[5], Infinity);
  assert.equal(start[6], 2.5);
});

test("typing moves the leaf only once the box holds a finite number, and the box is not rewritten under the hand", () => {
  const { boxes, moves, sliders, data } = mount([spec(0, "a", 1)], { 0: 1 });
  const box = boxes[0];
  for (const text of ["", "-", "1e", "nan", "1.5"]) {
    box.value = text;
    box.dispatch("input");
  }
  assert.deepEqual(moves, [{ 0: 1.5 }]);
  sliders.show(null); // the kernel's answer arrives while the box still holds "1.5"
  assert.equal(box.value, "1.5");
  data[0] = 2;
  sliders.show(null);
  assert.equal(box.value, "2.0000");
  assert.equal(parse_box(" 1e-9 "), 1e-9);
  assert.equal(parse_box("inf"), null);
});

test("names: the name column wins over the label; unnamed nodes read as op or kind and a short id", () => {
  const s = normalize_structure({
    n: 4, label: ["", "lab", "", ""], name: ["x[0]", "lab", "", ""], op: ["", "", "", "tanh"],
    kind: ["input", "input", "input", "op"], code: [0, 0, 0, 9], inputs: [0], offsets: [0, 0, 0, 0, 1],
  });
  assert.deepEqual([0, 1, 2, 3].map((i) => shown_name(s, i)), ["x[0]", "lab", "", ""]);
  assert.deepEqual([0, 1, 2, 3].map((i) => node_name(s, i)), ["x[0]", "lab", "input #2", "tanh #3"]);
  const old = normalize_structure({ n: 1, label: ["a"], op: [""], kind: ["input"], code: [0], inputs: [], offsets: [0, 0] });
  assert.equal(node_name(old, 0), "a", "a structure without a name column still reads its labels");
});
