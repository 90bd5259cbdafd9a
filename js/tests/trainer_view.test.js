import { test } from "node:test";
import assert from "node:assert/strict";
import { fake_document } from "./fake_dom.js";
import trainer, { figure_text, BEAT_MS } from "../trainer/index.js";

const f64 = (values) => new DataView(Float64Array.from(values).buffer);

function fake_model(overrides = {}) {
  const state = {
    data: "moons", n: 100, noise: 0.1, test_fraction: 0.2, hidden: [16, 16], activation: "relu", loss: "hinge",
    lr: 0.5, batch_size: null, l2: 1e-4, zero_grad: true, speed: 0, epoch: 12, status: "", running: false,
    figures: f64([0.25, 0.9, 0.3, 0.85]), curves: f64([1, 0.5, 0.6, 0.55, 0.5]),
    points: f64([0, 0, 1, 1]), labels: new DataView(Int8Array.from([-1, 1]).buffer), split: new DataView(Uint8Array.from([0, 1]).buffer),
    extent: [-1, 2, -1, 2], cells: 2, boundary: new DataView(Float32Array.from([-1, 0, 0, 1]).buffer),
    sizes: [2, 16, 16, 1], hidden_cells: 2, hidden_maps: new DataView(new Float32Array(32 * 4).buffer),
    weights: new DataView(new Float32Array(32 + 256 + 16).buffer), selected: -1, point_structure: {}, point_data: null, point_grad: null,
    ...overrides,
  };
  const listeners = [];
  return {
    state, sent: [], views: [], saved: 0, listeners,
    get(name) { return state[name]; },
    set(name, value) { state[name] = value; },
    save_changes() { this.saved++; },
    send(content) { (content.type === "view" ? this.views : this.sent).push(content); }, // views: open/beat/close
    on(_, fn) { listeners.push(fn); },
    off(_, fn) { const k = listeners.indexOf(fn); if (k >= 0) listeners.splice(k, 1); },
  };
}

function mount(overrides) {
  const doc = fake_document();
  const el = doc.createElement("div");
  const model = fake_model(overrides);
  const cleanup = trainer.render({ model, el });
  const all = el.all();
  const by = (attr, value) => all.filter((e) => e.getAttribute(attr) === value);
  return { el, model, cleanup, all, by };
}

test("the DOM contract: root, labelled buttons, figure fields and the boundary canvas", () => {
  const { all, by } = mount();
  assert.equal(all.filter((e) => e.classList.contains("mgw-trainer")).length, 1);
  for (const name of ["play", "pause", "step", "reset"]) {
    const found = by("aria-label", name);
    assert.equal(found.length, 1, name);
    assert.equal(found[0].tagName, "button");
  }
  assert.equal(by("data-field", "epoch")[0].textContent, "12");
  assert.equal(by("data-field", "loss")[0].textContent, "0.2500");
  assert.equal(by("data-field", "accuracy")[0].textContent, "0.9000");
  assert.equal(by("data-field", "test-loss")[0].textContent, "0.3000");
  assert.equal(by("data-field", "test-accuracy")[0].textContent, "0.8500");
  assert.equal(by("data-field", "status").length, 1);
  const canvas = all.filter((e) => e.tagName === "canvas" && e.getAttribute("data-role") === "boundary");
  assert.equal(canvas.length, 1);
});

test("buttons send play, pause, step, reset and regenerate messages", () => {
  const { model, by } = mount();
  for (const name of ["play", "pause", "step", "reset"]) by("aria-label", name)[0].dispatch("click");
  by("aria-label", "regenerate data")[0].dispatch("click");
  assert.deepEqual(model.sent.map((m) => m.type), ["play", "pause", "step", "reset", "regenerate"]);
});

test("every form control is labelled", () => {
  const { all } = mount();
  const controls = all.filter((e) => ["input", "select", "button"].includes(e.tagName));
  assert.ok(controls.length >= 15);
  for (const control of controls) {
    const in_label = (() => { for (let p = control.parentNode; p; p = p.parentNode) if (p.tagName === "label") return true; return false; })();
    assert.ok(control.getAttribute("aria-label") || in_label, `${control.tagName} ${control.getAttribute("name")} has a label`);
  }
});

test("settings go to the model and are saved: architecture, lr on a log scale", () => {
  const { model, by, all } = mount();
  by("aria-label", "add layer")[0].dispatch("click");
  assert.deepEqual(model.state.hidden, [16, 16, 16]);
  const lr = all.find((e) => e.getAttribute("name") === "lr");
  assert.equal(Number(lr.value), Math.log10(0.5));
  lr.value = "-2";
  lr.dispatch("change");
  assert.equal(model.state.lr, 0.01);
  const loss = all.find((e) => e.getAttribute("name") === "loss");
  loss.value = JSON.stringify("bce");
  loss.dispatch("change");
  assert.equal(model.state.loss, "bce");
  assert.ok(model.saved >= 3);
});

test("a new state repaints the figures and the status on the next frame", async () => {
  const { model, by } = mount();
  model.state.epoch = 37;
  model.state.status = "diverged at epoch 37: lower the learning rate";
  model.state.figures = f64([Infinity, 0.5, NaN, 0.5]);
  model.listeners.forEach((fn) => fn());
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(by("data-field", "epoch")[0].textContent, "37");
  assert.equal(by("data-field", "status")[0].textContent, "diverged at epoch 37: lower the learning rate");
  assert.equal(by("data-field", "loss")[0].textContent, "inf");
  assert.equal(by("data-field", "test-loss")[0].textContent, "nan");
});

test("cleanup removes the view and stops listening", () => {
  const { el, model, cleanup } = mount();
  cleanup();
  assert.equal(model.listeners.length, 0);
  assert.equal(el.childNodes.length, 0);
});

test("figures read like the graph widget's numbers", () => {
  assert.equal(figure_text(0.97), "0.9700");
  assert.equal(figure_text(1e-5), "1.000e-5");
});

test("a selected point's loss graph is drawn inside the trainer, with no second play/step/reset", async () => {
  const structure = { n: 2, label: ["w0", "loss of point 0"], code: [0, 9], op: ["", "tanh"], kind: ["parameter", "op"],
    scope: ["", "sample.0"], inputs: [0], offsets: [0, 0, 1], const: [0, 0] };
  const { model, el } = mount({ selected: 0, point_structure: structure, point_data: f64([0.5, Math.tanh(0.5)]), point_grad: f64([0.7864, 1]) });
  const all = el.all();
  assert.ok(all.some((e) => e.classList.contains("mgw-graph")), "the graph view is mounted");
  assert.ok(all.some((e) => e.getAttribute("data-label") === "loss of point 0"));
  for (const name of ["play", "pause", "step", "reset"]) {
    const visible = all.filter((e) => e.getAttribute("aria-label") === name && !e.hidden);
    assert.equal(visible.length, 1, name);
  }
  model.state.point_structure = {};
  model.listeners.forEach((fn) => fn());
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(!el.all().some((e) => e.classList.contains("mgw-graph")), "unselecting removes it");
});

test("arrow keys on the boundary canvas walk through the points; Escape hides the graph", () => {
  const { model, all } = mount({ selected: 1 });
  const canvas = all.find((e) => e.getAttribute("data-role") === "boundary");
  canvas.dispatch("keydown", { key: "ArrowRight" });
  canvas.dispatch("keydown", { key: "ArrowLeft" });
  canvas.dispatch("keydown", { key: "Escape" });
  assert.deepEqual(model.sent, [{ type: "select", index: 0 }, { type: "select", index: 0 }, { type: "select", index: -1 }]);
});

test("a repaint does not snap back a control whose setting did not change", async () => {
  const { model, all } = mount();
  const noise = all.find((e) => e.getAttribute("name") === "noise");
  noise.value = "0.3"; // the user is dragging: no change event yet
  model.state.epoch = 13;
  model.listeners.forEach((fn) => fn());
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(noise.value, "0.3");
  model.state.noise = 0.2; // the kernel changed it (e.g. from Python): now it moves
  model.listeners.forEach((fn) => fn());
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(noise.value, "0.2");
});

test("a view says open when it renders and close in its cleanup, each view with its own id", () => {
  const { model, cleanup } = mount();
  const views = () => model.views;
  assert.equal(views().length, 1);
  assert.equal(views()[0].event, "open");
  const id = views()[0].view;
  assert.ok(typeof id === "string" && id.length > 0);
  cleanup();
  assert.deepEqual(views().map((m) => [m.event, m.view]), [["open", id], ["close", id]]);
  const again = mount();
  assert.notEqual(again.model.views[0].view, id, "each view has its own id");
  again.cleanup();
});

test("a view beats every BEAT_MS until its cleanup", async (t) => {
  t.mock.timers.enable({ apis: ["setInterval"] });
  const { model, cleanup } = mount();
  const beats = () => model.views.filter((m) => m.event === "beat").length;
  t.mock.timers.tick(BEAT_MS * 3);
  assert.equal(beats(), 3);
  cleanup();
  t.mock.timers.tick(BEAT_MS * 3);
  assert.equal(beats(), 3, "no beat after cleanup");
});
