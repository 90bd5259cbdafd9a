// The trainer view's controls, built from the kernel's settings table, and the
// tasks beyond binary: hide/lock, draw mode, copy setup and the R² naming,
// each on a state a real kernel sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fake_document } from "./fake_dom.js";
import { named_axes, plane_description, class_entries } from "../trainer/index.js";
import { mount, settle, visible } from "./trainer_mount.js";

const setting_of = (view, name) => view.all().filter((e) => e.getAttribute("data-setting") === name);

test("every setting the kernel's table shows has a control with data-setting, and so has every button", () => {
  const view = mount("spiral3");
  const specs = view.model.state.setting_specs.filter((s) => s.control !== "none");
  assert.ok(specs.length >= 20);
  for (const spec of specs) assert.ok(setting_of(view, spec.name).length >= 1, spec.name);
  for (const name of [
    "play",
    "pause",
    "step",
    "reset",
    "new_data",
    "copy_setup",
    "draw",
    "undo_point",
    "clear_points",
    "fit_axes",
    "point",
  ]) {
    assert.ok(setting_of(view, name).length >= 1, name);
  }
  const features = view.model.state.setting_specs.find((s) => s.name === "features");
  assert.equal(
    setting_of(view, "features").length,
    features.options.length,
    "one toggle per feature the kernel offers",
  );
});

test("a select offers the kernel's choices, in the kernel's words", () => {
  const view = mount("moons");
  const texts = (name) => view.named(name).childNodes.map((o) => o.textContent);
  const spec = (name) => view.model.state.setting_specs.find((s) => s.name === name);
  for (const name of ["data", "activation", "batch_size", "l2", "speed", "optimizer"]) {
    assert.deepEqual(
      texts(name),
      spec(name).options.map((o) => o.text),
      name,
    );
  }
  assert.deepEqual(texts("batch_size").slice(0, 2), ["full", "1"]);
});

test("hide hides the named controls and lock disables them, live from the model", async () => {
  const view = mount("locked");
  assert.ok(!visible(setting_of(view, "loss")[0]) && !visible(setting_of(view, "l2")[0]));
  assert.ok(visible(setting_of(view, "data")[0]) && setting_of(view, "data")[0].disabled);
  assert.ok(setting_of(view, "lr")[0].disabled);
  assert.ok(
    setting_of(view, "noise")[0].disabled && setting_of(view, "draw")[0].disabled,
    "the data's knobs lock with it",
  );
  assert.ok(visible(setting_of(view, "batch_size")[0]) && !setting_of(view, "batch_size")[0].disabled);
  view.model.state.hide = [];
  view.model.state.lock = [];
  view.model.state.locked = [];
  await view.repaint();
  assert.ok(visible(setting_of(view, "loss")[0]) && !setting_of(view, "data")[0].disabled);
});

test("settings go to the model and are saved: the page's own at once, a rebuild waits for the kernel", () => {
  const view = mount("moons");
  const { named, model, engine } = view;
  const choose = (name, value) => {
    const e = named(name);
    e.value = JSON.stringify(value);
    e.dispatch("change");
  };
  choose("optimizer", "momentum");
  choose("lr_schedule", "cosine");
  assert.deepEqual([model.state.optimizer, model.state.lr_schedule], ["momentum", "cosine"]);
  assert.ok(!engine.pending, "an optimizer change is the page's own");
  named("lr").value = "-2";
  named("lr").dispatch("change");
  assert.equal(model.state.lr, 0.01);
  choose("task", "regression");
  assert.equal(model.state.task, "regression");
  assert.ok(engine.pending, "a new task needs new data: the page waits for the kernel's revision");
  assert.ok(model.saved >= 4);
});

test("a feature toggle adds that feature to the model's list, in the offered order", () => {
  const { all, model } = mount("moons");
  const box = all().find((e) => e.getAttribute("value") === "sin(x1)");
  box.checked = true;
  box.dispatch("change");
  assert.deepEqual(model.state.features, ["x1", "x2", "sin(x1)"]);
});

test("the architecture buttons stay within the kernel's limits", async () => {
  const view = mount("moons", { hidden: [32, 32, 32, 32] });
  const spec = view.model.state.setting_specs.find((s) => s.name === "hidden");
  assert.deepEqual(spec.limits, { layers: 4, neurons: 32 });
  const button = (label) => view.all().find((e) => e.getAttribute("aria-label") === label);
  const off = (e) => e.disabled || e.hasAttribute("disabled");
  assert.ok(off(button("add layer")) && off(button("add a neuron to layer 1")));
  assert.ok(!off(button("remove a neuron from layer 1")));
  button("remove layer").dispatch("click");
  assert.deepEqual(view.model.state.hidden, [32, 32, 32]);
});

test("the learning rate in use is shown, after the schedule", () => {
  const { all } = mount("moons", { lr: 0.4, lr_schedule: "step", lr_period: 1 });
  // epoch 2 with a step schedule of period 1: 0.4 halved twice
  assert.equal(all().find((e) => e.getAttribute("data-field") === "lr_now").textContent, "0.1000");
});

test("in draw mode a click on the plane sends add_point with the picked class; outside it, select", () => {
  const { all, named, sent } = mount("spiral3");
  const canvas = all().find((e) => e.getAttribute("data-role") === "boundary");
  canvas.width = 200; // the fake DOM has no canvas properties
  canvas.dispatch("click", { clientX: 150, clientY: 50 });
  assert.equal(sent().at(-1).type, "select");
  named("draw").checked = true;
  named("draw").dispatch("change");
  named("draw_class").value = "2";
  named("draw_class").dispatch("change");
  canvas.dispatch("click", { clientX: 100, clientY: 100 });
  const message = sent().at(-1);
  const [x0, x1, y0, y1] = all().length && mount("spiral3").model.state.dataset.extent;
  assert.equal(message.type, "add_point");
  assert.equal(message.label, 2);
  assert.ok(
    Math.abs(message.x - (x0 + x1) / 2) < 1e-12 && Math.abs(message.y - (y0 + y1) / 2) < 1e-12,
    JSON.stringify(message),
  );
});

test("draw mode in regression sends the value set in the value box; undo, clear and fit go to the kernel", () => {
  const { all, named, sent } = mount("regression");
  const canvas = all().find((e) => e.getAttribute("data-role") === "boundary");
  canvas.width = 200;
  named("draw").checked = true;
  named("draw").dispatch("change");
  named("draw_value").value = "-0.75";
  named("draw_value").dispatch("change");
  canvas.dispatch("click", { clientX: 0, clientY: 200 });
  assert.equal(sent().at(-1).label, -0.75);
  for (const name of ["undo_point", "clear_points", "fit_axes"])
    all()
      .find((e) => e.getAttribute("data-setting") === name)
      .dispatch("click");
  assert.deepEqual(
    sent()
      .slice(-3)
      .map((m) => m.type),
    ["undo_point", "clear_points", "fit_axes"],
  );
});

test("regression names its figures R² and shows the legend; classification does not", () => {
  const view = mount("regression");
  const names = view
    .all()
    .filter((e) => e.tagName === "dt")
    .map((e) => e.textContent);
  assert.ok(names.includes("train R²") && names.includes("test R²"), names.join(", "));
  assert.ok(!view.all().find((e) => e.classList.contains("mgw-legend")).hidden);
  const other = mount("spiral3");
  assert.ok(other.all().find((e) => e.classList.contains("mgw-legend")).hidden);
  assert.ok(other.all().some((e) => e.tagName === "dt" && e.textContent === "train accuracy"));
});

/** A document whose clipboard keeps what is written to it, or (`refuse`) throws as a denied one does. */
function with_clipboard(refuse) {
  const doc = fake_document();
  const written = [];
  doc.defaultView = {
    navigator: {
      clipboard: {
        writeText: async (text) => {
          if (refuse) throw new Error("denied");
          written.push(text);
        },
      },
    },
  };
  return { doc, written };
}

test("copy setup asks the kernel; its answer goes to the clipboard", async () => {
  const { doc, written } = with_clipboard(false);
  const { model, all } = mount("moons", {}, { doc });
  all()
    .find((e) => e.getAttribute("data-setting") === "copy_setup")
    .dispatch("click");
  assert.equal(model.sent.at(-1).type, "copy_setup");
  for (const fn of model.listeners["msg:custom"]) fn({ type: "setup", text: "Trainer.from_state('mgw2:...')" });
  await settle();
  assert.deepEqual(written, ["Trainer.from_state('mgw2:...')"]);
  assert.ok(all().find((e) => e.tagName === "textarea").hidden, "no box when the clipboard took it");
});

test("when the clipboard refuses, the setup text waits in a box to copy by hand", async () => {
  const { doc } = with_clipboard(true);
  const { model, all } = mount("moons", {}, { doc });
  for (const fn of model.listeners["msg:custom"]) fn({ type: "setup", text: "Trainer.from_state({})" });
  await settle();
  const box = all().find((e) => e.tagName === "textarea");
  assert.ok(!box.hidden);
  assert.equal(box.value, "Trainer.from_state({})");
});

test("copy as PyTorch asks the kernel for the code and copies its answer; a refused clipboard shows it in a box", async () => {
  for (const refuse of [false, true]) {
    const { doc, written } = with_clipboard(refuse);
    const { model, all } = mount("moons", {}, { doc });
    all()
      .find((e) => e.getAttribute("data-setting") === "copy_torch")
      .dispatch("click");
    assert.equal(model.sent.at(-1).type, "copy_torch");
    const code = "import torch\nmodel = Model()";
    for (const fn of model.listeners["msg:custom"]) fn({ type: "torch", text: code });
    await settle();
    const box = all().find((e) => e.tagName === "textarea");
    assert.deepEqual(written, refuse ? [] : [code]);
    assert.equal(box.hidden, !refuse);
    if (refuse) assert.equal(box.value, code);
  }
});

test("a 1-D fit: a draw-mode click adds (x, the clicked height)", () => {
  const { all, named, sent, model } = mount("sine");
  const canvas = all().find((e) => e.getAttribute("data-role") === "boundary");
  canvas.width = 200;
  named("draw").checked = true;
  named("draw").dispatch("change");
  canvas.dispatch("click", { clientX: 100, clientY: 100 });
  const message = sent().at(-1);
  assert.equal(message.type, "add_point");
  const [x0, x1] = model.state.dataset.extent;
  assert.ok(Math.abs(message.x - (x0 + x1) / 2) < 1e-9, JSON.stringify(message));
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
  assert.deepEqual(
    class_entries("multiclass", 3, ["cat", "dog"]).map((e) => e.name),
    ["cat", "dog", "class 2"],
  );
  assert.deepEqual(
    class_entries("multiclass", 2 + 1, ["0", "1", "2"]).map((e) => e.name),
    ["class 0", "class 1", "class 2"],
  );
  assert.equal(new Set(class_entries("multiclass", 3, []).map((e) => e.color)).size, 3);
  assert.deepEqual(class_entries("binary", 2, ["-1", "1"]), []);
  assert.deepEqual(
    class_entries("binary", 2, ["spam", "ham"]).map((e) => e.name),
    ["spam", "ham"],
  );
  assert.deepEqual(class_entries("regression", 0, []), []);
});

test("a lecturer's class names are text in the legend, never HTML", () => {
  const { all } = mount("custom");
  const legend = all().find((e) => e.getAttribute("data-role") === "class-legend");
  assert.equal(legend.childNodes.length, 2);
  assert.equal(legend.childNodes[0].textContent, "<b>cat</b>");
});

test("the loss select offers the losses of the task at hand", async () => {
  const view = mount("spiral3");
  const options = () => view.named("loss").childNodes.map((o) => JSON.parse(o.getAttribute("value")));
  assert.deepEqual(options(), ["cross_entropy"]);
  view.model.state.task = "regression";
  view.model.state.loss = "mse";
  await view.repaint();
  assert.deepEqual(options(), ["mse", "huber"]);
  assert.equal(view.named("loss").value, JSON.stringify("mse"));
});

test("draw mode marks the plane (its cursor) and says a click adds a point", async () => {
  const view = mount("moons");
  const canvas = view.all().find((e) => e.getAttribute("data-role") === "boundary");
  view.named("draw").checked = true;
  view.named("draw").dispatch("change");
  await settle();
  assert.equal(canvas.getAttribute("data-drawing"), "true");
  assert.match(canvas.getAttribute("aria-label"), /click to add a point/);
});

test("your own data's settings: standardize is offered, noise and n are not live", () => {
  const view = mount("custom");
  assert.ok(visible(view.named("standardize")));
  assert.ok(view.named("noise").disabled && view.named("n").disabled);
  const builtin = mount("moons");
  assert.ok(!visible(builtin.named("standardize")));
});
