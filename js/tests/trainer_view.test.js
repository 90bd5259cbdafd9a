// The trainer view on the fake DOM, on states a real kernel sent: the DOM
// contract, the buttons and the messages they send, the figures from the
// page's numbers, the heartbeats, the point graph.
import { test } from "node:test";
import assert from "node:assert/strict";
import { figure_text, curve_table } from "../trainer/index.js";
import { mount, settle } from "./trainer_mount.js";

test("the DOM contract: root, labelled buttons, figure fields and the boundary canvas", () => {
  const { all, by } = mount("moons");
  assert.equal(all().filter((e) => e.classList.contains("mgw-trainer")).length, 1);
  for (const name of ["play", "pause", "step", "reset", "new data", "copy setup"]) {
    const found = by("aria-label", name);
    assert.equal(found.length, 1, name);
    assert.equal(found[0].tagName, "button");
    assert.ok(
      found[0].textContent.includes(name.replace("play", "play")),
      `${name}: the visible text is in the accessible name`,
    );
  }
  assert.equal(by("data-field", "epoch")[0].textContent, "2");
  assert.equal(by("data-field", "status").length, 1);
  assert.equal(all().filter((e) => e.tagName === "canvas" && e.getAttribute("data-role") === "boundary").length, 1);
});

test("the figures are the last history row the kernel sent, written like the graph widget's numbers", () => {
  const { by, engine } = mount("moons");
  const last = engine.state.history[engine.state.history.length - 1];
  assert.equal(last[0], 2);
  assert.equal(by("data-field", "loss")[0].textContent, figure_text(last[1]));
  assert.equal(by("data-field", "accuracy")[0].textContent, figure_text(last[2]));
  assert.equal(by("data-field", "test-loss")[0].textContent, figure_text(last[3]));
  assert.equal(figure_text(0.97), "0.9700");
  assert.equal(figure_text(1e-5), "1.000e-5");
});

test("reset, new data and copy setup go to the kernel, named by the page's engine", () => {
  const { by, sent, engine } = mount("moons");
  for (const name of ["reset", "new data", "copy setup"]) by("aria-label", name)[0].dispatch("click");
  assert.deepEqual(
    sent().map((m) => [m.type, m.engine]),
    [
      ["reset", engine.id],
      ["regenerate", engine.id],
      ["copy_setup", engine.id],
    ],
  );
});

test("every form control is labelled", () => {
  const { all } = mount("moons");
  const controls = all().filter((e) => ["input", "select", "button"].includes(e.tagName));
  assert.ok(controls.length >= 20);
  for (const control of controls) {
    const in_label = (() => {
      for (let p = control.parentNode; p; p = p.parentNode) if (p.tagName === "label") return true;
      return false;
    })();
    assert.ok(
      control.getAttribute("aria-label") || in_label,
      `${control.tagName} ${control.getAttribute("name")} has a label`,
    );
  }
});

test("cleanup removes the view and stops listening", () => {
  const { el, model, cleanup } = mount("moons");
  cleanup();
  assert.equal(model.listeners.change.length, 1, "only the page's engine listens: it outlives its views");
  assert.equal(el.childNodes.length, 0);
});

test("a selected point's loss graph is drawn inside the trainer, with no second play/step/reset", async () => {
  const { model, el, repaint } = mount("point");
  const all = el.all();
  assert.ok(
    all.some((e) => e.classList.contains("mgw-graph")),
    "the graph view is mounted",
  );
  assert.ok(all.some((e) => e.getAttribute("data-label") === "loss of point 3"));
  for (const name of ["play", "pause", "step", "reset"]) {
    const shown = all.filter((e) => e.getAttribute("aria-label") === name && !e.hidden);
    assert.equal(shown.length, 1, name);
  }
  model.state.point = {};
  await repaint();
  assert.ok(!el.all().some((e) => e.classList.contains("mgw-graph")), "unselecting removes it");
});

test("arrow keys on the plane walk through the points; Escape hides the graph; Ctrl+Z takes a point back", () => {
  const { all, sent } = mount("moons", { selected: 1 });
  const canvas = all().find((e) => e.getAttribute("data-role") === "boundary");
  canvas.dispatch("keydown", { key: "ArrowRight" });
  canvas.dispatch("keydown", { key: "ArrowLeft" });
  canvas.dispatch("keydown", { key: "Escape" });
  canvas.dispatch("keydown", { key: "z", ctrlKey: true });
  assert.deepEqual(
    sent().map((m) => [m.type, m.index]),
    [
      ["select", 2],
      ["select", 0],
      ["select", -1],
      ["undo_point", undefined],
    ],
  );
});

test("a repaint does not snap back a control whose setting did not change", async () => {
  const { model, named, repaint } = mount("moons");
  const noise = named("noise");
  noise.value = "0.3"; // the user is dragging: no change event yet
  model.state.epoch = 13;
  await repaint();
  assert.equal(noise.value, "0.3");
  model.state.noise = 0.2; // the kernel changed it (e.g. from Python): now it moves
  await repaint();
  assert.equal(noise.value, "0.2");
});

test("a view says open when it renders and close in its cleanup, with its own id and its page's engine", () => {
  const { model, cleanup, engine } = mount("moons");
  assert.equal(model.views.length, 1);
  assert.equal(model.views[0].event, "open");
  assert.equal(model.views[0].engine, engine.id);
  const id = model.views[0].view;
  cleanup();
  assert.deepEqual(
    model.views.map((m) => [m.event, m.view]),
    [
      ["open", id],
      ["close", id],
    ],
  );
});

test("a view beats as often as the kernel says (beat_ms) until its cleanup", (t) => {
  t.mock.timers.enable({ apis: ["setInterval"] });
  const { model, cleanup } = mount("moons");
  const beat = model.state.beat_ms;
  assert.equal(beat, 3000, "training/views.py's BEAT_SECONDS");
  const beats = () => model.views.filter((m) => m.event === "beat").length;
  t.mock.timers.tick(beat * 3);
  assert.equal(beats(), 3);
  cleanup();
  t.mock.timers.tick(beat * 3);
  assert.equal(beats(), 3, "no beat after cleanup");
});

test("long histories are drawn thinned, the last row kept", () => {
  const history = Array.from({ length: 2500 }, (_, k) => [k + 1, 1 / (k + 1), 0.5, 0.4, 0.5]);
  const table = curve_table(history);
  assert.ok(table.length / 5 <= 1001);
  assert.equal(table[table.length - 5], 2500);
  assert.equal(table[0], 1);
});

test("a kernel state that arrives repaints the figures on the next frame", async () => {
  const { model, by } = mount("moons");
  const fresh = mount("regression");
  model.update({ train_state: fresh.model.state.train_state, dataset: fresh.model.state.dataset, task: "regression" });
  await settle();
  assert.equal(by("data-field", "epoch")[0].textContent, "0");
  assert.equal(by("aria-label", "play").length, 1);
});
