// The teaching modes (teaching/index.js, stepper.js) on the fake DOM: step-through
// backward, exercise mode, presenter mode, the hide switches, the keyboard.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fake_document } from "./fake_dom.js";
import { log_graph, view_numbers } from "./fixtures.js";
import { mount_graph_view } from "../graph/graph_view.js";
import { replay } from "../core/replay.js";
import { normalize_structure } from "../core/codecs.js";
import { partial_backward, check_answer, parse_answer, score_answers } from "../teaching/stepper.js";
import { bind_teaching } from "../teaching/index.js";

// log_graph: a(0), b(1), p = a*b (2), l = log(p) (3), out = l + a (4)
const A = 2,
  B = 3;
const FULL = { 0: 1 / A + 1, 1: 1 / B, 2: 1 / (A * B), 3: 1, 4: 1 };

function fake_timers() {
  const live = new Map();
  let next = 0;
  return {
    set_interval: (fn) => {
      live.set(++next, fn);
      return next;
    },
    clear_interval: (id) => {
      live.delete(id);
    },
    tick() {
      for (const fn of [...live.values()]) fn();
    },
    running: () => live.size,
  };
}

function mount(teaching = {}) {
  const doc = fake_document();
  const el = doc.createElement("div");
  doc.body.appendChild(el);
  const graph = log_graph();
  const changes = [];
  const timers = fake_timers();
  const view = mount_graph_view(el, {
    ...view_numbers(graph),
    sliders: [{ id: 0, label: "a", min: -5, max: 5, step: 0.01, value: A }],
    teaching: { timers, on_change: (name, value) => changes.push([name, value]), ...teaching },
  });
  const by_label = (label) => view.root.find((e) => e.getAttribute("aria-label") === label)[0];
  const node = (id) => view.root.find((e) => e.getAttribute("data-node-id") === String(id))[0];
  const field = (id, name) => node(id).find((e) => e.getAttribute("data-field") === name)[0];
  const grads = () => [0, 1, 2, 3, 4].map((i) => field(i, "grad").textContent);
  const chain = () => view.root.find((e) => e.classList.contains("mgw-chain"))[0].textContent;
  const key = (target, k) => target.dispatch("keydown", { key: k });
  return { doc, view, by_label, node, field, grads, chain, key, changes, timers };
}

test("step backward processes the output first and blanks every grad not yet computed", () => {
  const { by_label, node, grads } = mount();
  assert.deepEqual(grads(), FULL_TEXT());
  by_label("step backward").dispatch("click");
  assert.equal(node(4).getAttribute("data-step"), "current");
  assert.deepEqual(grads(), ["", "", "", "", "1.0000"]);
  by_label("step backward").dispatch("click");
  assert.equal(node(3).getAttribute("data-step"), "current");
  assert.equal(node(4).getAttribute("data-step"), "done");
  assert.equal(node(0).getAttribute("data-step"), "pending");
  assert.deepEqual(grads(), ["", "", "", "1.0000", "1.0000"]);
});

test("the steps follow reverse topological order and end with the grads of backward()", () => {
  const { by_label, node, grads, view } = mount();
  const order = [];
  for (let k = 0; k < 5; k++) {
    by_label("step backward").dispatch("click");
    order.push(
      view.root.find((e) => e.getAttribute("data-step") === "current").map((e) => e.getAttribute("data-node-id"))[0],
    );
  }
  assert.deepEqual(order, ["4", "3", "2", "1", "0"]);
  assert.deepEqual(grads(), FULL_TEXT());
  by_label("step backward").dispatch("click"); // past the end: nothing more to do
  assert.equal(node(0).getAttribute("data-step"), "current");
});

test("a leaf's grad appears only when its step is reached, already summed over its uses", () => {
  const { by_label, field } = mount({ step_index: 0 });
  for (let k = 1; k <= 4; k++) {
    by_label("step backward").dispatch("click");
    assert.equal(field(0, "grad").textContent, "", `a after step ${k}`);
  }
  by_label("step backward").dispatch("click");
  assert.equal(field(0, "grad").textContent, (1 / A + 1).toFixed(4));
});

test("the chain panel shows the product the current node adds to each input", () => {
  const { by_label, chain } = mount({ step_index: 2 }); // l = log(p) was just processed
  assert.match(chain(), /step 2 of 5: l, grad = 1\.0000/);
  assert.match(chain(), /1\.0000 × 0\.1667 = 0\.1667/); // upstream 1 × d log(p)/dp = 1/6
  by_label("step backward").dispatch("click"); // p = a * b sends 1/6 × b to a and 1/6 × a to b
  assert.match(chain(), /0\.1667 × 3\.0000 = 0\.5000/);
  assert.match(chain(), /0\.1667 × 2\.0000 = 0\.3333/);
});

test("moving a slider while stepping recomputes the grads of the nodes done, at the same step", () => {
  const { view, grads } = mount({ step_index: 3 }); // out, l, p done: p's grad is 1 / (a b)
  const range = view.root.find((e) => e.getAttribute("type") === "range")[0];
  range.value = "4";
  range.dispatch("input");
  assert.deepEqual(grads(), ["", "", (1 / 12).toFixed(4), "1.0000", "1.0000"]);
});

test("Escape and Shift+Enter still reach JupyterLab from inside the widget", () => {
  const { view } = mount();
  assert.notEqual(view.root.dispatch("keydown", { key: "Escape" }).stopped, true);
  assert.notEqual(view.root.dispatch("keydown", { key: "Enter", shiftKey: true }).stopped, true);
  assert.equal(view.root.dispatch("keydown", { key: "j" }).stopped, true);
});

test("clear grads clears every grad and keeps the slider reset distinct", () => {
  const { by_label, grads, changes } = mount({ step_index: 5 });
  by_label("clear grads").dispatch("click");
  assert.deepEqual(grads(), ["", "", "", "", ""]);
  assert.deepEqual(changes.at(-1), ["step_index", 0]);
  assert.notEqual(by_label("reset"), by_label("clear grads"));
});

test("play steps on each beat and stops at the end; while it plays the button says pause, in its name too", () => {
  const { by_label, grads, timers, view } = mount();
  const play = by_label("play backward");
  play.dispatch("click");
  assert.equal(play.getAttribute("aria-label"), "pause backward");
  assert.equal(play.textContent, "⏸ pause");
  assert.deepEqual(grads(), ["", "", "", "", ""]); // play starts from a cleared graph
  for (let k = 0; k < 5; k++) timers.tick();
  assert.deepEqual(grads(), FULL_TEXT());
  assert.equal(timers.running(), 0);
  assert.equal(view.teaching.playing(), false);
  assert.equal(play.getAttribute("aria-label"), "play backward");
  assert.equal(play.textContent, "▶ play");
});

test("every button's name holds the words it shows, in every state (WCAG 2.5.3)", () => {
  const { view, by_label } = mount();
  const buttons = () => view.root.find((e) => e.tagName === "button");
  const words = (text) =>
    text
      .replace(/[^\p{L}\p{N}\s.]/gu, " ")
      .trim()
      .split(/\s+/)
      .filter(Boolean);
  const check = (when) => {
    for (const b of buttons()) {
      const name = b.getAttribute("aria-label") || b.textContent;
      for (const word of words(b.textContent))
        assert.ok(name.includes(word), `${when}: "${b.textContent}" is named "${name}"`);
    }
  };
  check("at rest");
  by_label("play backward").dispatch("click");
  check("playing");
  assert.ok(buttons().length >= 8);
});

test("a node box's name says its numbers as shown, follows them, and never says a blank one", () => {
  const { view, node, by_label } = mount();
  assert.equal(node(0).getAttribute("aria-label"), `a: data 2.0000, grad ${FULL[0].toFixed(4)}`);
  const range = view.root.find((e) => e.getAttribute("type") === "range")[0];
  range.value = "4";
  range.dispatch("input");
  assert.equal(node(0).getAttribute("aria-label"), `a: data 4.0000, grad ${(1 / 4 + 1).toFixed(4)}`);
  by_label("step backward").dispatch("click"); // only the output's grad is computed yet
  assert.equal(node(0).getAttribute("aria-label"), "a: data 4.0000");
  assert.equal(node(4).getAttribute("aria-label"), `out: data ${(Math.log(12) + 4).toFixed(4)}, grad 1.0000`);
});

test("in exercise mode a node box that holds an answer box is a group, not a button that holds a control", () => {
  const { node } = mount({ exercise: true });
  assert.equal(node(0).getAttribute("role"), "group");
  assert.ok(node(0).find((e) => e.getAttribute("aria-label") === "a grad answer").length === 1);
  assert.equal(node(4).getAttribute("role"), "button"); // the output is not asked: no answer box
  assert.equal(node(0).getAttribute("aria-label"), "a: data 2.0000"); // the grad asked is not said
});

test("arrow keys step inside the widget; a focused range input and answer box keep their keys", () => {
  const { view, key, grads, by_label } = mount();
  key(view.root, "ArrowRight");
  key(view.root, "ArrowRight");
  assert.deepEqual(grads(), ["", "", "", "1.0000", "1.0000"]);
  key(view.root, "ArrowLeft");
  assert.deepEqual(grads(), ["", "", "", "", "1.0000"]);
  const range = view.root.find((e) => e.getAttribute("type") === "range")[0];
  const event = range.dispatch("keydown", {
    key: "ArrowRight",
    preventDefault() {
      this.prevented = true;
    },
  });
  assert.deepEqual(grads(), ["", "", "", "", "1.0000"]);
  assert.equal(event.prevented, undefined); // the slider still moves
  assert.equal(event.stopped, true); // and JupyterLab's document listener never sees the key
  key(by_label("a value"), "ArrowRight");
  assert.deepEqual(grads(), ["", "", "", "", "1.0000"]);
  view.root.dispatch("keydown", { key: "ArrowRight", ctrlKey: true });
  assert.deepEqual(grads(), ["", "", "", "", "1.0000"]);
});

test("space plays and pauses on the widget, but presses a focused button", () => {
  const { view, key, by_label, timers } = mount();
  key(by_label("fit"), " ");
  assert.equal(view.teaching.playing(), false);
  key(view.root, " ");
  assert.equal(view.teaching.playing(), true);
  assert.equal(timers.running(), 1);
  key(view.root, " ");
  assert.equal(view.teaching.playing(), false);
  assert.equal(view.root.getAttribute("data-lm-suppress-shortcuts"), "true");
});

test("exercise mode hides every grad but the output's and the edges' sizes", () => {
  const { view, grads } = mount({ exercise: true });
  assert.deepEqual(grads(), ["", "", "", "", "1.0000"]);
  const widths = new Set(
    view.root
      .find((e) => e.tagName === "path" && e.classList.contains("mgw-edge"))
      .map((p) => p.getAttribute("stroke-width")),
  );
  assert.deepEqual([...widths], ["1.00"]);
  assert.ok(view.root.classList.contains("mgw-exercise"));
});

test("an exercise answer is marked right or wrong on its node and counted", () => {
  const { view, by_label, node, field, changes } = mount({ exercise: true });
  const box = by_label("a grad answer");
  box.value = "1.5";
  box.dispatch("change");
  assert.equal(node(0).getAttribute("data-answer"), "right");
  assert.equal(field(0, "mark").textContent, "✓");
  const p = by_label("p grad answer");
  p.value = "0.5";
  p.dispatch("keydown", { key: "Enter" });
  assert.equal(node(2).getAttribute("data-answer"), "wrong");
  assert.equal(field(2, "mark").textContent, "✗");
  assert.deepEqual(changes.at(-1), ["answers", { 0: "1.5", 2: "0.5" }]);
  assert.deepEqual(view.teaching.score(), { ...view.teaching.score(), right: 1, attempted: 2, total: 4 });
  assert.equal(field(0, "grad").textContent, ""); // still hidden: the student typed it
  assert.equal(by_label("out grad answer"), undefined); // the root's grad is given
});

test("a rejected answer says why next to its box and in the bar, and counts as no attempt", () => {
  const { view, by_label, node, field } = mount({ exercise: true });
  const problem = () => view.root.find((e) => e.getAttribute("data-field") === "answer-problem")[0].textContent;
  const box = by_label("a grad answer");
  box.value = "inf";
  box.dispatch("change");
  assert.equal(node(0).getAttribute("data-answer"), "rejected");
  assert.equal(field(0, "mark").textContent, "?");
  assert.equal(box.getAttribute("aria-invalid"), "true");
  assert.match(box.getAttribute("title"), /"inf": an answer is a finite number/);
  assert.match(problem(), /^a: "inf": an answer is a finite number/);
  assert.equal(view.teaching.score().attempted, 0);
  box.value = "١٫٥";
  box.dispatch("change");
  assert.match(problem(), /digits 0-9/);
  box.value = "1.5";
  box.dispatch("change");
  assert.equal(node(0).getAttribute("data-answer"), "right");
  assert.equal(box.getAttribute("aria-invalid"), null);
  assert.equal(problem(), "");
});

test("the hint gives the chain rule at the selected node without its answer", () => {
  const { view, by_label, node, chain } = mount({ exercise: true });
  node(2).dispatch("click");
  assert.match(chain(), /press "hint"/);
  by_label("hint").dispatch("click");
  assert.match(chain(), /hint for p/);
  assert.match(chain(), /grad\(l\) = \?/); // the upstream grad is the student's to find
  assert.match(chain(), /0\.1667/); // d log(p) / dp, the local derivative
  assert.doesNotMatch(chain(), /upstream grad × local/);
  const l = by_label("l grad answer");
  l.value = "1";
  l.dispatch("change");
  assert.doesNotMatch(chain(), /grad\(l\) = \?/); // earned: now shown
  assert.ok(view.root.find((e) => e.getAttribute("data-field") === "hint").length === 1);
});

test("answers set from outside (Python's check) show in the boxes with their marks", () => {
  const { view, by_label, node } = mount({ exercise: true });
  view.teaching.set("answers", { 1: "0.3333", 3: "7" });
  assert.equal(by_label("b grad answer").value, "0.3333");
  assert.equal(node(1).getAttribute("data-answer"), "right");
  assert.equal(node(3).getAttribute("data-answer"), "wrong");
});

test("hide values and hide grads blank the numbers until unticked", () => {
  const { by_label, field, grads, chain } = mount();
  const values = by_label("hide values"),
    hide = by_label("hide grads");
  values.checked = true;
  values.dispatch("change");
  assert.equal(field(4, "data").textContent, "");
  assert.equal(field(0, "data").textContent, "2.0000"); // the leaves are the question's givens
  hide.checked = true;
  hide.dispatch("change");
  assert.deepEqual(grads(), ["", "", "", "", ""]);
  assert.match(chain(), /hidden/);
  values.checked = false;
  values.dispatch("change");
  hide.checked = false;
  hide.dispatch("change");
  assert.deepEqual(grads(), FULL_TEXT());
  assert.equal(field(4, "data").textContent, (Math.log(6) + 2).toFixed(4));
});

test("hide grads keeps the step panel's numbers back too, while the steps go on", () => {
  const { view, by_label, node, chain, grads } = mount({ step_index: 2, hide_grads: true });
  assert.deepEqual(grads(), ["", "", "", "", ""]);
  assert.doesNotMatch(chain(), /step 2 of 5/);
  by_label("step backward").dispatch("click");
  assert.equal(node(2).getAttribute("data-step"), "current");
  view.teaching.set("hide_grads", false);
  assert.match(chain(), /step 3 of 5: p, grad = 0\.1667/);
});

test("presenter mode marks the root and the secondary controls it hides", () => {
  const { view, by_label } = mount({ presenter: true });
  assert.ok(view.root.classList.contains("mgw-presenter"));
  assert.ok(by_label("fit").classList.contains("mgw-secondary"));
  assert.ok(!by_label("step backward").classList.contains("mgw-secondary"));
  view.teaching.set("presenter", false);
  assert.ok(!view.root.classList.contains("mgw-presenter"));
});

test("the model's step_index drives the view (Python's backward_step)", () => {
  const { view, grads } = mount();
  const handlers = new Map();
  const state = { step_index: -1 };
  const model = { get: (n) => state[n], on: (e, f) => handlers.set(e, f), off: (e) => handlers.delete(e) };
  const unbind = bind_teaching(model, view.teaching);
  state.step_index = 2;
  handlers.get("change:step_index")();
  assert.deepEqual(grads(), ["", "", "", "1.0000", "1.0000"]);
  unbind();
  assert.equal(handlers.size, 0);
});

test("partial_backward after k steps holds the engine's grads for the nodes done", () => {
  const graph = log_graph();
  const s = normalize_structure(graph.structure);
  const data = Float64Array.from(graph.data),
    grad = new Float64Array(s.n);
  replay(s, data, grad, new Array(s.n).fill(null));
  for (let k = 0; k <= s.n; k++) {
    const p = partial_backward(s, data, k);
    for (let i = s.n - k; i < s.n; i++) assert.equal(p.grad[i], grad[i], `node ${i} after ${k} steps`);
    assert.equal(p.current, k ? s.n - k : -1);
  }
});

test("answers are checked within 1% or 1e-3, and typed text is read leniently", () => {
  assert.equal(check_answer(139, 138.8338), true);
  assert.equal(check_answer(141, 138.8338), false);
  assert.equal(check_answer(0.0004, 0), true);
  assert.equal(check_answer(0.01, 0), false);
  assert.equal(check_answer(NaN, NaN), true);
  assert.equal(check_answer(Infinity, -Infinity), false);
  assert.deepEqual(parse_answer(" −1,5 "), { value: -1.5, problem: null });
  assert.deepEqual(parse_answer("1e-3"), { value: 0.001, problem: null });
  assert.equal(parse_answer("abc").value, null);
  assert.match(parse_answer("abc").problem, /"abc" is not a number/);
  assert.deepEqual(parse_answer(""), { value: null, problem: null }); // a cleared box: no answer, no complaint
  const s = normalize_structure(log_graph().structure);
  const scored = score_answers(s, Float64Array.from([1.5, 0.3, 0, 0, 1]), { 0: "1.5", 1: "x", 2: "inf" });
  assert.equal(scored.attempted, 1); // a rejected text is not an attempt
  assert.deepEqual(
    [...scored.marks],
    [
      [0, "right"],
      [1, "rejected"],
      [2, "rejected"],
    ],
  );
  assert.match(scored.problems.get(2), /finite number/);
});

function FULL_TEXT() {
  return [0, 1, 2, 3, 4].map((i) => FULL[i].toFixed(4));
}

test("through graph/index.js, the browser's steps and answers reach the model, and the model's reach the view", async () => {
  const { default: widget } = await import("../graph/index.js");
  const { to_bytes } = await import("../core/codecs.js");
  const graph = log_graph();
  const s = normalize_structure(graph.structure);
  const data = Float64Array.from(graph.data),
    grad = new Float64Array(s.n);
  replay(s, data, grad, new Array(s.n).fill(null));
  const state = {
    structure: graph.structure,
    data: new DataView(to_bytes(data).buffer),
    grad: new DataView(to_bytes(grad).buffer),
    errors: {},
    sliders: [],
    group_threshold: 300,
    show_gradcheck: false,
    local_replay: true,
    numeric_grad: new DataView(new ArrayBuffer(0)),
    step_index: -1,
    exercise: false,
    answers: {},
    presenter: false,
    hide_values: false,
    hide_grads: false,
  };
  const handlers = new Map();
  let saves = 0;
  const model = {
    get: (name) => state[name],
    set: (name, value) => {
      state[name] = value;
      for (const fn of handlers.get(`change:${name}`) || []) fn();
    },
    save_changes: () => {
      saves++;
    },
    on: (event, fn) => {
      if (!handlers.has(event)) handlers.set(event, []);
      handlers.get(event).push(fn);
    },
    off: (event, fn) => {
      const list = handlers.get(event) || [];
      list.splice(list.indexOf(fn), 1);
    },
    send() {},
  };
  const doc = fake_document();
  const el = doc.createElement("div");
  const cleanup = widget.render({ model, el });
  const root = el.all().find((e) => e.classList.contains("mgw-graph"));
  const by_label = (label) => root.find((e) => e.getAttribute("aria-label") === label)[0];
  by_label("step backward").dispatch("click");
  assert.equal(state.step_index, 1);
  assert.ok(saves >= 1);
  model.set("step_index", 3); // Python's backward_step
  assert.equal(root.find((e) => e.getAttribute("data-step") === "current")[0].getAttribute("data-node-id"), "2");
  model.set("exercise", true);
  const box = by_label("b grad answer");
  box.value = "0.3333";
  box.dispatch("change");
  assert.deepEqual(state.answers, { 1: "0.3333" });
  cleanup();
  assert.equal(
    [...handlers.values()].reduce((n, list) => n + list.length, 0),
    0,
  );
});

test("answer boxes exist only in exercise mode, and switching it on adds one per asked node", () => {
  const { view } = mount();
  const answers = () => view.root.find((e) => e.classList.contains("mgw-answer"));
  assert.equal(answers().length, 0, "outside exercise mode no box carries an answer input");
  view.teaching.set("exercise", true);
  // log_graph asks a, b, p and l (not the output, whose grad 1 is given)
  assert.deepEqual(
    answers()
      .map((e) => e.getAttribute("aria-label"))
      .sort(),
    ["a grad answer", "b grad answer", "l grad answer", "p grad answer"],
  );
  assert.ok(answers().every((e) => !e.hidden));
  view.teaching.set("exercise", true);
  assert.equal(answers().length, 4, "switching it on again adds no second box");
});
