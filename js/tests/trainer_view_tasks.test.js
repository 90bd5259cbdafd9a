// The trainer view for the tasks beyond binary, mounted on the fake DOM:
// task controls, hide/lock, draw mode, copy setup and the R² naming.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fake_document } from "./fake_dom.js";
import trainer, { named_axes, plane_description, class_entries } from "../trainer/index.js";

const f64 = (values) => new DataView(Float64Array.from(values).buffer);
const f32 = (values) => new DataView(Float32Array.from(values).buffer);

function fake_model(overrides = {}) {
  const state = {
    data: "spiral", n: 100, noise: 0.1, test_fraction: 0.2, hidden: [16, 16], activation: "relu", loss: "cross_entropy",
    lr: 0.01, batch_size: null, l2: 1e-4, zero_grad: true, speed: 0, epoch: 3, status: "", running: false,
    task: "multiclass", classes: 3, features: ["x1", "x2"], optimizer: "adam", lr_schedule: "constant", lr_now: 0.01,
    discretize: false, show_test: true, dims: 2, metric: "accuracy", hide: [], lock: [], class_names: ["0", "1", "2"],
    figures: f64([0.25, 0.9, 0.3, 0.85]), curves: f64([1, 0.5, 0.6, 0.55, 0.5]),
    points: f64([0, 0, 1, 1]), labels: new DataView(Int8Array.from([0, 2]).buffer), split: new DataView(Uint8Array.from([0, 1]).buffer),
    extent: [-1, 1, -1, 1], cells: 2, boundary: f32(new Array(12).fill(1 / 3)), boundary_range: [-1, 1],
    sizes: [2, 4, 3], hidden_cells: 2, hidden_maps: f32(new Array(16).fill(0)), feature_maps: f32(new Array(8).fill(0)),
    weights: f32(new Array(20).fill(0.1)), selected: -1, point_structure: {}, point_data: null, point_grad: null,
    ...overrides,
  };
  const listeners = { change: [], "msg:custom": [] };
  return {
    state, sent: [], listeners,
    get(name) { return state[name]; },
    set(name, value) { state[name] = value; },
    save_changes() {},
    send(content) { this.sent.push(content); },
    on(event, fn) { (listeners[event] ||= []).push(fn); },
    off(event, fn) { const list = listeners[event] || []; const k = list.indexOf(fn); if (k >= 0) list.splice(k, 1); },
  };
}

function mount(overrides, doc = fake_document()) {
  const el = doc.createElement("div");
  const model = fake_model(overrides);
  const cleanup = trainer.render({ model, el });
  const all = () => el.all();
  const setting = (name) => all().filter((e) => e.getAttribute("data-setting") === name);
  const named = (name) => all().find((e) => e.getAttribute("name") === name);
  const repaint = async () => {
    model.listeners.change.forEach((fn) => fn());
    await new Promise((resolve) => setTimeout(resolve, 5));
  };
  const sent = () => model.sent.filter((m) => m.type !== "view");
  return { el, model, cleanup, all, setting, named, repaint, sent };
}

const visible = (element) => {
  for (let e = element; e; e = e.parentNode) if (e.hidden || e.style?.display === "none") return false;
  return true;
};

test("every control the issue names is there and carries data-setting", () => {
  const { setting } = mount();
  for (const name of ["play", "pause", "step", "reset", "new_data", "copy_setup", "task", "classes", "features", "optimizer",
    "lr_schedule", "discretize", "show_test", "data", "loss", "l2", "lr", "noise", "draw", "clear_points", "hidden", "point"]) {
    assert.ok(setting(name).length >= 1, name);
  }
  assert.equal(setting("features").length, 7, "one toggle per feature");
});

test("hide hides the named controls and lock disables them, live from the model", async () => {
  const view = mount({ hide: ["loss", "l2"], lock: ["data", "reset"] });
  assert.ok(!visible(view.setting("loss")[0]) && !visible(view.setting("l2")[0]));
  assert.ok(visible(view.setting("data")[0]) && view.setting("data")[0].disabled);
  assert.ok(view.setting("reset")[0].disabled);
  assert.ok(visible(view.setting("lr")[0]) && !view.setting("lr")[0].disabled);
  view.model.state.hide = [];
  view.model.state.lock = [];
  await view.repaint();
  assert.ok(visible(view.setting("loss")[0]) && !view.setting("data")[0].disabled);
});

test("task, classes, optimizer, schedule and the switches write their settings", () => {
  const { named, model } = mount();
  const choose = (name, value) => {
    const e = named(name);
    e.value = JSON.stringify(value);
    e.dispatch("change");
  };
  choose("task", "regression");
  choose("optimizer", "momentum");
  choose("lr_schedule", "cosine");
  assert.deepEqual([model.state.task, model.state.optimizer, model.state.lr_schedule], ["regression", "momentum", "cosine"]);
  const discretize = named("discretize");
  discretize.checked = true;
  discretize.dispatch("change");
  assert.equal(model.state.discretize, true);
});

test("a feature toggle adds that feature to the model's list", () => {
  const { all, model } = mount();
  const box = all().find((e) => e.getAttribute("value") === "sin(x1)");
  box.checked = true;
  box.dispatch("change");
  assert.deepEqual(model.state.features, ["x1", "x2", "sin(x1)"]);
});

test("the current learning rate is shown", () => {
  const { all } = mount({ lr_now: 0.0025 });
  assert.equal(all().find((e) => e.getAttribute("data-field") === "lr_now").textContent, "0.0025");
});

test("in draw mode a click on the plane sends add_point with the picked class; outside it, select", () => {
  const { all, named, sent } = mount();
  const canvas = all().find((e) => e.getAttribute("data-role") === "boundary");
  canvas.width = 200; // the fake DOM has no canvas properties
  canvas.dispatch("click", { clientX: 150, clientY: 50 });
  assert.equal(sent().at(-1).type, "select");
  const toggle = named("draw");
  toggle.checked = true;
  toggle.dispatch("change");
  const picker = named("draw_class");
  picker.value = "2";
  picker.dispatch("change");
  canvas.dispatch("click", { clientX: 150, clientY: 50 });
  assert.deepEqual(sent().at(-1), { type: "add_point", x: 0.5, y: 0.5, label: 2 });
});

test("draw mode in regression sends the value set in the value box; clear points sends clear_points", () => {
  const { all, named, sent } = mount({ task: "regression", classes: 0, labels: new DataView(new Int8Array(2).buffer), targets: f64([0.3, -0.2]), boundary: f32([0, 0, 0, 0]), sizes: [2, 4, 1] });
  const canvas = all().find((e) => e.getAttribute("data-role") === "boundary");
  canvas.width = 200;
  named("draw").checked = true;
  named("draw").dispatch("change");
  named("draw_value").value = "-0.75";
  named("draw_value").dispatch("change");
  canvas.dispatch("click", { clientX: 0, clientY: 200 });
  assert.deepEqual(sent().at(-1), { type: "add_point", x: -1, y: -1, label: -0.75 });
  all().find((e) => e.getAttribute("data-setting") === "clear_points").dispatch("click");
  assert.deepEqual(sent().at(-1), { type: "clear_points" });
});

test("regression names its figures R² and shows the legend; classification does not", async () => {
  const view = mount({ task: "regression", metric: "r2", classes: 0, boundary: f32([0, 0, 0, 0]), sizes: [2, 4, 1] });
  const names = view.all().filter((e) => e.tagName === "dt").map((e) => e.textContent);
  assert.ok(names.includes("train R²") && names.includes("test R²"), names.join(", "));
  const legend = view.all().find((e) => e.classList.contains("mgw-legend"));
  assert.ok(!legend.hidden);
  view.model.state.task = "multiclass";
  view.model.state.metric = "accuracy";
  await view.repaint();
  assert.ok(legend.hidden);
  assert.ok(view.all().some((e) => e.tagName === "dt" && e.textContent === "train accuracy"));
});

test("copy setup asks the kernel; its answer goes to the clipboard", async () => {
  const doc = fake_document();
  const written = [];
  doc.defaultView = { navigator: { clipboard: { writeText: async (text) => { written.push(text); } } } };
  const { setting, model, all } = mount({}, doc);
  setting("copy_setup")[0].dispatch("click");
  assert.deepEqual(model.sent.at(-1), { type: "copy_setup" });
  model.listeners["msg:custom"].forEach((fn) => fn({ type: "setup", text: "Trainer.from_state({'epoch': 3})" }));
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(written, ["Trainer.from_state({'epoch': 3})"]);
  assert.ok(all().find((e) => e.tagName === "textarea").hidden, "no box when the clipboard took it");
});

test("when the clipboard refuses, the setup text waits in a box to copy by hand", async () => {
  const doc = fake_document();
  doc.defaultView = { navigator: { clipboard: { writeText: async () => { throw new Error("denied"); } } } };
  const { model, all } = mount({}, doc);
  model.listeners["msg:custom"].forEach((fn) => fn({ type: "setup", text: "Trainer.from_state({})" }));
  await new Promise((resolve) => setTimeout(resolve, 5));
  const box = all().find((e) => e.tagName === "textarea");
  assert.ok(!box.hidden);
  assert.equal(box.value, "Trainer.from_state({})");
});

test("a kernel without the task traits still gets a working binary view", () => {
  const { all } = mount({ task: undefined, classes: undefined, features: undefined, dims: undefined, metric: undefined,
    hide: undefined, lock: undefined, labels: new DataView(Int8Array.from([-1, 1]).buffer), boundary: f32([-1, 0, 0, 1]), sizes: [2, 4, 1] });
  assert.ok(all().some((e) => e.getAttribute("data-setting") === "task"));
  assert.equal(all().find((e) => e.getAttribute("name") === "task").value, JSON.stringify("binary"));
});

test("a 1-D fit: a draw-mode click adds (x, the clicked height)", () => {
  const { all, named, sent } = mount({ task: "regression", dims: 1, classes: 0, points: f64([-1, 1]),
    labels: new DataView(new Int8Array(2).buffer), targets: f64([-1, 1]), curve: f32([-1, 1, -1, 1]), extent: [-1, 1, -1, 1], sizes: [1, 4, 1] });
  const canvas = all().find((e) => e.getAttribute("data-role") === "boundary");
  canvas.width = 200;
  named("draw").checked = true;
  named("draw").dispatch("change");
  canvas.dispatch("click", { clientX: 100, clientY: 100 });
  const message = sent().at(-1);
  assert.equal(message.type, "add_point");
  assert.ok(Math.abs(message.x) < 1e-12 && Math.abs(message.label) < 1e-12, JSON.stringify(message));
});

test("the plane names its axes only when they are the lecturer's columns", () => {
  assert.equal(named_axes(["x1", "x2"]), undefined);
  assert.equal(named_axes(undefined), undefined);
  assert.deepEqual(named_axes(["sepal length", "petal width"]), ["sepal length", "petal width"]);
});

test("the plane's description follows the task and the click's meaning", () => {
  assert.match(plane_description("multiclass", 3, 2, false), /3 classes/);
  assert.match(plane_description("regression", 0, 2, true), /colour scale.*click to add a point/);
  assert.match(plane_description("regression", 0, 1, false), /curve.*loss graph/);
});

test("the class legend names each of K classes in its colour; two classes only when they have names", () => {
  assert.deepEqual(class_entries("multiclass", 3, ["cat", "dog"]).map((e) => e.name), ["cat", "dog", "class 2"]);
  assert.deepEqual(class_entries("multiclass", 2 + 1, ["0", "1", "2"]).map((e) => e.name), ["class 0", "class 1", "class 2"]);
  assert.equal(new Set(class_entries("multiclass", 3, []).map((e) => e.color)).size, 3);
  assert.deepEqual(class_entries("binary", 2, ["-1", "1"]), []);
  assert.deepEqual(class_entries("binary", 2, ["spam", "ham"]).map((e) => e.name), ["spam", "ham"]);
  assert.deepEqual(class_entries("regression", 0, []), []);
});

test("a lecturer's class names are text in the legend, never HTML", () => {
  const { all } = mount({ class_names: ["<b>a</b>", "b", "c"] });
  const legend = all().find((e) => e.getAttribute("data-role") === "class-legend");
  assert.equal(legend.childNodes.length, 3);
  assert.equal(legend.childNodes[0].textContent, "<b>a</b>");
});

test("the loss select offers the losses of the task at hand", async () => {
  const view = mount();
  const options = () => view.named("loss").childNodes.map((o) => JSON.parse(o.getAttribute("value")));
  assert.deepEqual(options(), ["cross_entropy"]);
  view.model.state.task = "regression";
  view.model.state.loss = "mse";
  await view.repaint();
  assert.deepEqual(options(), ["mse", "huber"]);
  assert.equal(view.named("loss").value, JSON.stringify("mse"));
});

test("draw mode marks the plane (its cursor) and says a click adds a point", async () => {
  const view = mount();
  const canvas = view.all().find((e) => e.getAttribute("data-role") === "boundary");
  view.named("draw").checked = true;
  view.named("draw").dispatch("change");
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(canvas.getAttribute("data-drawing"), "true");
  assert.match(canvas.getAttribute("aria-label"), /click to add a point/);
});
