import { test } from "node:test";
import assert from "node:assert/strict";
import { fake_document } from "./fake_dom.js";
import { create_sliders, fit_names, name_cuts, name_parts, parse_box, with_head } from "../graph/sliders.js";
import { node_name, shown_name } from "../core/names.js";
import { normalize_structure } from "../core/codecs.js";
import { chain_rows, consumer_lists } from "../graph/chain_panel.js";
import { op_text } from "../graph/view_draw.js";
import { replay } from "../core/replay.js";
import { builder } from "./fixtures.js";

function mount(specs, values, note) {
  const doc = fake_document();
  const panel = doc.createElement("div");
  const moves = [];
  const data = { ...values };
  const sliders = create_sliders(
    doc,
    panel,
    specs,
    {
      value: (id) => data[id],
      move: (change, source) => {
        Object.assign(data, change);
        moves.push(change);
      },
    },
    note,
  );
  const inputs = (type) =>
    panel.find((e) => e.tagName === "input" && (type === "range") === (e.getAttribute("type") === "range"));
  return { panel, sliders, data, moves, ranges: inputs("range"), boxes: inputs("box") };
}

const spec = (id, label, value, extra = {}) => ({ id, label, min: -5, max: 5, step: 0.01, value, ...extra });

test("each slider shows its name, and its range and number box are labelled by it", () => {
  const { panel, ranges, boxes } = mount([spec(0, "a", 1), spec(3, "model.layers[0].neurons[3].w[1]", 2)], {
    0: 1,
    3: 2,
  });
  assert.deepEqual(
    ranges.map((r) => r.getAttribute("aria-label")),
    ["a", "model.layers[0].neurons[3].w[1]"],
  );
  assert.deepEqual(
    boxes.map((b) => b.getAttribute("aria-label")),
    ["a value", "model.layers[0].neurons[3].w[1] value"],
  );
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
  const { boxes } = mount(
    [spec(0, "big", 1.03e12), spec(1, "n", "NaN"), spec(2, "i", "-Infinity"), spec(3, "s", 0.5)],
    { 0: 1.03e12, 1: NaN, 2: -Infinity, 3: 0.5 },
  );
  assert.deepEqual(
    boxes.map((b) => b.value),
    ["1.030e+12", "nan", "-inf", "0.5000"],
  );
  assert.deepEqual(
    boxes.map((b) => b.getAttribute("type")),
    ["text", "text", "text", "text"],
  );
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
    n: 4,
    label: ["", "lab", "", ""],
    name: ["x[0]", "lab", "", ""],
    op: ["", "", "", "tanh"],
    kind: ["input", "input", "input", "op"],
    code: [0, 0, 0, 9],
    inputs: [0],
    offsets: [0, 0, 0, 0, 1],
  });
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => shown_name(s, i)),
    ["x[0]", "lab", "", ""],
  );
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => node_name(s, i)),
    ["x[0]", "lab", "input", "tanh"],
  );
  const old = normalize_structure({
    n: 1,
    label: ["a"],
    op: [""],
    kind: ["input"],
    code: [0],
    inputs: [],
    offsets: [0, 0],
  });
  assert.equal(node_name(old, 0), "a", "a structure without a name column still reads its labels");
});

// ---- the words the chain-rule panel uses -------------------------------------------

test("the chain-rule panel calls unnamed nodes what their boxes show, never an id no box shows", () => {
  // ((x * 2 + y) * w).tanh() with nothing named: the boxes read "input", "const", "param", "*", "+", "tanh"
  const g = builder();
  const x = g.leaf("", 1),
    c = g.leaf("", 2, "constant"),
    y = g.leaf("", 3),
    w = g.leaf("", 0.5, "parameter");
  const p = g.op(3, [x, c]);
  const q = g.op(1, [p, y]);
  const r = g.op(3, [q, w]);
  g.op(9, [r]);
  const graph = g.done();
  const s = normalize_structure(graph.structure);
  const data = Float64Array.from(graph.data),
    grad = new Float64Array(s.n);
  replay(s, data, grad, new Array(s.n).fill(null));
  const consumers = consumer_lists(s);
  const box_words = (i) => op_text(s, { type: "node", rep: i, key: `n${i}`, members: [i] }, data);
  for (let i = 0; i < s.n; i++) {
    const rows = chain_rows(s, data, grad, consumers, i);
    for (const row of [...rows.inputs, ...rows.uses]) {
      assert.equal(row.name, box_words(row.id), `node ${row.id} is named as its box reads`);
      assert.doesNotMatch(row.name, /#/);
    }
  }
  assert.deepEqual(
    chain_rows(s, data, grad, consumers, q).inputs.map((row) => row.name),
    ["*", "input"],
  );
  assert.deepEqual(
    chain_rows(s, data, grad, consumers, p).inputs.map((row) => row.name),
    ["input", "const"],
  );
  assert.deepEqual(
    chain_rows(s, data, grad, consumers, r).inputs.map((row) => row.name),
    ["+", "param"],
  );
});

// ---- slider names that can be told apart -------------------------------------------

// the 12 sliders of examples/08_lecture_mlp_by_hand.ipynb, as the kernel sends them
const LECTURE = [
  "model.layers[0].neurons[0].w[0]",
  "model.layers[0].neurons[0].b",
  "model.layers[0].neurons[0].w[1]",
  "model.layers[1].neurons[0].w[0]",
  "model.layers[1].neurons[0].b",
  "model.layers[0].neurons[1].w[0]",
  "model.layers[0].neurons[1].b",
  "model.layers[0].neurons[1].w[1]",
  "model.layers[1].neurons[0].w[1]",
  "model.layers[0].neurons[2].w[0]",
  "model.layers[0].neurons[2].b",
  "model.layers[0].neurons[2].w[1]",
];

/** A text is a cut of a name: its pieces between "…" appear in the name in order, the first at its start, the last at its end. */
function is_cut(text, name) {
  const pieces = text.split("…");
  if (pieces.length === 1) return text === name;
  if (!name.startsWith(pieces[0]) || !name.endsWith(pieces.at(-1))) return false;
  let at = pieces[0].length;
  for (const piece of pieces.slice(1, -1)) {
    at = name.indexOf(piece, at);
    if (at < 0) return false;
    at += piece.length;
  }
  return at <= name.length - pieces.at(-1).length;
}

const chars = (room) => (text) => text.length <= room; // a monospace stand-in for the page's measuring

test("a name's joints are its dots and chained brackets, outside brackets and quotes", () => {
  assert.deepEqual(name_parts("model.layers[0].neurons[3].w[1]"), ["model", ".layers[0]", ".neurons[3]", ".w[1]"]);
  assert.deepEqual(name_parts("x[0][1]"), ["x[0]", "[1]"]);
  assert.deepEqual(name_parts("p['a.b'].w"), ["p['a.b']", ".w"]);
  assert.deepEqual(name_parts("total_loss"), ["total_loss"]);
  assert.deepEqual(name_parts("x (2)"), ["x (2)"]);
});

test("cuts keep a name's end at its joints, from the least kept to the whole name; the head can come back", () => {
  const name = "model.layers[0].neurons[3].w[1]";
  assert.deepEqual(name_cuts(name), [
    "…]",
    "…1]",
    "…[1]",
    "…w[1]",
    "…neurons[3].w[1]",
    "…layers[0].neurons[3].w[1]",
    name,
  ]);
  for (const n of [name, "the loss of the second network", "x[0][1]", "p['a.b'].w"]) {
    for (const cut of name_cuts(n)) assert.ok(is_cut(cut, n), `${cut} is a cut of ${n}`);
    assert.equal(name_cuts(n).at(-1), n);
  }
  assert.equal(
    name_cuts("the loss of the second network").find((c) => c.length === 12),
    "the …network",
  );
  assert.equal(with_head("…neurons[3].w[1]", name), "model.…neurons[3].w[1]");
  assert.equal(with_head("…w[1]", name), "model.…w[1]");
  assert.equal(with_head("…layers[0].neurons[3].w[1]", name), null, "no shorter than the name itself");
  assert.equal(with_head("…1]", name), null, "not cut at a joint");
  assert.equal(with_head("…[1]", "x[0][1]"), null, "two parts: the head is all that was cut");
  assert.equal(with_head("…[2]", "x[0][1][2]"), "x[0]…[2]");
});

test("each label shows the most of its name its row has room for", () => {
  assert.deepEqual(fit_names(["a", "b"], chars(20)), ["a", "b"]);
  assert.deepEqual(fit_names(LECTURE, chars(40)), LECTURE, "room for every whole name: nothing is cut");
  assert.deepEqual(fit_names(["model.layers[0].neurons[3].w[1]"], chars(24)), ["model.…neurons[3].w[1]"]);
  assert.deepEqual(fit_names(["model.layers[0].neurons[3].w[1]"], chars(12)), ["model.…w[1]"]);
  assert.deepEqual(fit_names(["model.layers[0].neurons[3].w[1]"], chars(8)), ["…w[1]"], "no room for the head");
  assert.deepEqual(fit_names(["model.layers[0].neurons[3].w[1]"], chars(3)), ["…1]"]);
  assert.deepEqual(
    fit_names(["model.layers[0].neurons[3].w[1]"], chars(1)),
    ["…]"],
    "no room: the least, never nothing",
  );
});

test("labels keep one shape: the heads come back for all cut labels or for none", () => {
  const names = ["model.layers[0].neurons[3].w[1]", "model.layers[1].neurons[0].b", "a"];
  assert.deepEqual(fit_names(names, chars(22)), ["model.…neurons[3].w[1]", "model.…neurons[0].b", "a"]);
  // at 20 the first has no room for its head: neither has one
  assert.deepEqual(fit_names(names, chars(20)), ["…neurons[3].w[1]", "…neurons[0].b", "a"]);
});

test("two labels never read the same: both keep more of their names until they differ", () => {
  const pair = ["model.layers[0].neurons[0].w[0]", "model.layers[1].neurons[0].w[0]"];
  // 22 characters hold "model.…neurons[0].w[0]" for both: they keep the layer too, beyond the room
  assert.deepEqual(fit_names(pair, chars(22)), ["…layers[0].neurons[0].w[0]", "…layers[1].neurons[0].w[0]"]);
  assert.deepEqual(fit_names(["x", "x (2)"], chars(1)), ["x", "x…)"]);
  for (const room of [1, 4, 8, 12, 16, 20, 24, 28, 32, 40]) {
    const shown = fit_names(LECTURE, chars(room));
    assert.equal(new Set(shown).size, LECTURE.length, `distinct at ${room} characters: ${shown}`);
    for (const [i, text] of shown.entries()) assert.ok(is_cut(text, LECTURE[i]), `${text} is a cut of ${LECTURE[i]}`);
    assert.ok(
      shown.every((text) => !/^model\.layer…/.test(text)),
      "never the old 'model.layer…'",
    );
  }
  assert.ok(
    fit_names(LECTURE, chars(28)).every((text) => text.length <= 28),
    "the lecture's names fit 28 characters apart",
  );
});

test("a slider's range and number box keep the whole name as their accessible name; the label's tooltip too", () => {
  const name = "model.layers[0].neurons[3].w[1]";
  const { panel, ranges } = mount([spec(0, name, 1)], { 0: 1 });
  assert.equal(ranges[0].getAttribute("aria-label"), name);
  const [label] = panel.find((e) => e.getAttribute("class") === "mgw-slider-label");
  assert.equal(label.getAttribute("title"), name);
  assert.equal(label.getAttribute("aria-hidden"), "true", "a screen reader hears the slider's whole name once");
  assert.equal(panel.style["--mgw-slider-label"], "26ch", "the columns make room for long names, up to a cap");
});
