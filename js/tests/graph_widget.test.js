// js/graph/index.js against a stand-in anywidget model: the set/state protocol,
// data-sync, and two views of one model staying in step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fake_document } from "./fake_dom.js";
import { log_graph, replayed } from "./fixtures.js";
import widget from "../graph/index.js";
import { to_bytes } from "../core/codecs.js";

function numbers(graph, a) {
  const { data, grad, errors } = replayed(graph, { 0: a });
  const dict = {};
  errors.forEach((e, i) => {
    if (e) dict[i] = e;
  });
  return { data, grad, errors: dict };
}

function fake_model(graph) {
  const start = numbers(graph, graph.data[0]);
  const state = {
    structure: graph.structure,
    data: new DataView(to_bytes(start.data).buffer),
    grad: new DataView(to_bytes(start.grad).buffer),
    errors: {},
    sliders: [{ id: 0, label: "a", min: -5, max: 5, step: 0.01, value: graph.data[0] }],
    group_threshold: 300,
    show_gradcheck: false,
    local_replay: graph.local_replay ?? true,
    numeric_grad: new DataView(new ArrayBuffer(0)),
  };
  const handlers = new Map();
  const model = {
    sent: [],
    get: (name) => state[name],
    set: (name, value) => {
      state[name] = value;
    },
    save_changes() {},
    on: (event, fn) => {
      if (!handlers.has(event)) handlers.set(event, []);
      handlers.get(event).push(fn);
    },
    off: (event, fn) => {
      const list = handlers.get(event) || [];
      list.splice(list.indexOf(fn), 1);
    },
    send(content) {
      model.sent.push(content);
    },
    emit: (event, ...args) => {
      for (const fn of handlers.get(event) || []) fn(...args);
    },
    /** What the kernel does with a set message: replay, update the traits, answer. */
    answer(content, { a } = {}) {
      const value = a ?? content.values[0];
      const result = numbers(graph, value);
      const data = new DataView(to_bytes(result.data).buffer),
        grad = new DataView(to_bytes(result.grad).buffer);
      Object.assign(state, { data, grad, errors: result.errors });
      model.emit("change:data");
      model.emit("change:grad");
      model.emit("change:errors");
      model.emit("msg:custom", { type: "state", seq: content.seq, client: content.client, errors: result.errors }, [
        data,
        grad,
      ]);
    },
    handlers,
  };
  return model;
}

function render(model) {
  const doc = fake_document();
  const el = doc.createElement("div");
  const cleanup = widget.render({ model, el });
  const root = el.all().find((e) => e.classList.contains("mgw-graph"));
  const range = root.find((e) => e.getAttribute("type") === "range")[0];
  const out = () =>
    root.find((e) => e.getAttribute("data-node-id") === "4")[0].find((e) => e.getAttribute("data-field") === "data")[0]
      .textContent;
  const slide = (value) => {
    range.value = String(value);
    range.dispatch("input");
  };
  return { root, range, out, slide, cleanup };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test("slider values go to the kernel one request at a time, newest value wins", async () => {
  const model = fake_model(log_graph());
  const view = render(model);
  view.slide(1);
  view.slide(1.5);
  view.slide(3);
  assert.equal(model.sent.length, 1);
  assert.deepEqual(model.sent[0].values, { 0: 1 });
  assert.equal(view.root.getAttribute("data-sync"), "pending");
  assert.equal(view.out(), (Math.log(9) + 3).toFixed(4)); // the local replay shows the newest value already
  model.answer(model.sent[0]);
  await tick();
  assert.equal(model.sent.length, 2);
  assert.deepEqual(model.sent[1].values, { 0: 3 });
  assert.equal(view.out(), (Math.log(9) + 3).toFixed(4)); // the stale answer did not flash back
  assert.equal(view.root.getAttribute("data-sync"), "pending");
  model.answer(model.sent[1]);
  await tick();
  assert.equal(view.root.getAttribute("data-sync"), "ok");
  assert.equal(model.sent.length, 2);
});

test("the kernel's answer overwrites the view's own numbers", async () => {
  const model = fake_model(log_graph());
  const view = render(model);
  view.slide(1);
  model.answer(model.sent[0], { a: 4 }); // the kernel knows better (say a cell clamped a)
  await tick();
  assert.equal(view.out(), (Math.log(12) + 4).toFixed(4));
  assert.equal(view.range.value, "4");
});

test("an answer that changes nothing still confirms the view", async () => {
  const model = fake_model(log_graph());
  const view = render(model);
  view.slide(2); // the value it already had
  model.emit("msg:custom", { type: "state", seq: model.sent[0].seq, client: model.sent[0].client, errors: {} }, [
    model.get("data"),
    model.get("grad"),
  ]);
  assert.equal(view.root.getAttribute("data-sync"), "ok");
});

test("two views of one model stay in step", async () => {
  const model = fake_model(log_graph());
  const first = render(model),
    second = render(model);
  first.slide(1);
  model.answer(model.sent[0]);
  await tick();
  assert.equal(second.out(), (Math.log(3) + 1).toFixed(4));
  assert.equal(second.range.value, "1");
  assert.equal(second.root.getAttribute("data-sync"), "ok");
  assert.equal(first.root.getAttribute("data-sync"), "ok");
});

test("numbers set from Python reach an idle view", async () => {
  const model = fake_model(log_graph());
  const view = render(model);
  model.answer({ seq: 0, client: "python", values: { 0: -1 } });
  await tick();
  assert.equal(view.out(), "nan");
  assert.equal(
    view.root.find((e) => e.getAttribute("data-node-id") === "3")[0].getAttribute("data-error"),
    "log(-3): log of a number <= 0",
  );
});

test("cleanup removes the view and every model listener", () => {
  const model = fake_model(log_graph());
  const view = render(model);
  const listening = () => [...model.handlers.values()].reduce((count, list) => count + list.length, 0);
  assert.ok(listening() > 0); // else the check below would pass on a view that never listened
  view.cleanup();
  assert.equal(listening(), 0);
  assert.equal(view.root.parentNode, null);
});

test("kernel-only mode waits for the kernel before showing new numbers", async () => {
  const graph = { ...log_graph(), local_replay: false };
  const model = fake_model(graph);
  const view = render(model);
  const before = view.out();
  view.slide(1);
  assert.equal(view.out(), before);
  model.answer(model.sent[0]);
  await tick();
  assert.equal(view.out(), (Math.log(3) + 1).toFixed(4));
  assert.equal(view.root.getAttribute("data-sync"), "ok");
});

test("Python's find message reaches the view, and the slider note comes from the model", () => {
  const model = fake_model(log_graph());
  model.set("slider_note", "3 more input leaves have no slider");
  const { root, cleanup } = render(model);
  const status = root.find((e) => e.getAttribute("data-role") === "find-status")[0];
  assert.equal(status.textContent, "");
  model.emit("msg:custom", { type: "find", ids: [4] }, []);
  assert.equal(status.textContent, "1 found");
  assert.equal(model.sent.length, 0, "a find message is not a state answer: nothing goes back");
  const note = root.find((e) => e.getAttribute("data-role") === "slider-note")[0];
  assert.equal(note.textContent, "3 more input leaves have no slider");
  cleanup();
});
