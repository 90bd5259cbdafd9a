// The controls for the tasks beyond binary: task, classes, input features,
// optimizer and schedule (with the learning rate in use now), the discretize
// and show-test switches, and draw mode (toggle, class picker or value, clear).
// Like trainer_controls.js, each writes a setting into the model and is only
// rewritten when its setting changed in the model.
import { html, set_text } from "../core/dom.js";
import { class_choices } from "./draw_mode.js";
import { format_number } from "../core/format.js";

export const TASKS = ["binary", "multiclass", "regression"];
export const FEATURES = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"];
export const OPTIMIZERS = ["sgd", "momentum", "adam"];
export const SCHEDULES = ["constant", "step", "cosine"];
const CLASS_COUNTS = [2, 3, 4, 5, 6, 7, 8];

/**
 * The task the view draws, from the model: a missing or unknown one is binary
 * (a kernel without the newer traits still gets a working view).
 * @param {(name: string) => any} get
 * @returns {"binary"|"multiclass"|"regression"}
 */
export function task_of(get) {
  const task = get("task");
  return task === "multiclass" || task === "regression" ? task : "binary";
}

/**
 * The number of classes the view draws: 2 for binary, K for multiclass, 0 for regression.
 * @param {(name: string) => any} get
 */
export function classes_of(get) {
  const task = task_of(get);
  if (task === "regression") return 0;
  if (task === "binary") return 2;
  const k = Number(get("classes"));
  return Number.isInteger(k) && k >= 3 ? k : 3;
}

/**
 * The features after toggling one (order kept as in FEATURES; never empty).
 * @param {string[]} chosen
 * @param {string} feature
 * @param {boolean} on
 */
export function toggle_feature(chosen, feature, on) {
  const next = FEATURES.filter((f) => (f === feature ? on : chosen.includes(f)));
  return next.length ? next : chosen.slice();
}

/**
 * @param {Document} doc
 * @param {string} text
 * @param {HTMLElement} control
 */
function labelled(doc, text, control) {
  return html(doc, "label", { class: "mgw-control" }, html(doc, "span", { class: "mgw-control-name" }, text), control);
}

/**
 * @param {Document} doc
 * @param {string} name
 * @param {any[]} values
 */
function select(doc, name, values) {
  const element = html(doc, "select", { name, "data-setting": name });
  for (const v of values) element.append(html(doc, "option", { value: JSON.stringify(v) }, String(v)));
  return element;
}

/** @param {HTMLSelectElement} element @param {any} value */
function set_select(element, value) {
  const key = JSON.stringify(value);
  const known = Array.from(element.childNodes).some((o) => /** @type {Element} */ (o).getAttribute?.("value") === key);
  if (!known) element.append(html(element.ownerDocument, "option", { value: key }, String(value)));
  element.value = key;
}

/**
 * Show or hide a control for the task at hand (separate from the instructor's
 * `hide`, which uses the hidden attribute: the two must not undo each other).
 * @param {HTMLElement} element
 * @param {boolean} shown
 */
function show(element, shown) {
  element.style.display = shown ? "" : "none";
}

/**
 * @typedef {object} DrawChoice  what a draw-mode click adds
 * @property {boolean} on
 * @property {number} label
 * @property {number} value
 */

/**
 * Build the task panel.
 * @param {Document} doc
 * @param {{get: (name: string) => any, set: (changes: Record<string, any>) => void, send: (type: string, extra?: object) => void}} io
 * @returns {{element: HTMLElement, update: () => void, draw: DrawChoice, lr_now: HTMLElement}}
 */
export function build_task_controls(doc, io) {
  const element = html(doc, "div", { class: "mgw-settings mgw-task-settings" });
  const task = select(doc, "task", TASKS);
  const classes = select(doc, "classes", CLASS_COUNTS);
  const features = FEATURES.map((f) => html(doc, "input", { type: "checkbox", name: "features", value: f, "data-setting": "features" }));
  const optimizer = select(doc, "optimizer", OPTIMIZERS);
  const schedule = select(doc, "lr_schedule", SCHEDULES);
  const lr_now = html(doc, "output", { "data-field": "lr_now" }, "");
  const discretize = html(doc, "input", { type: "checkbox", name: "discretize", "data-setting": "discretize" });
  const show_test = html(doc, "input", { type: "checkbox", name: "show_test", "data-setting": "show_test" });
  const draw_toggle = html(doc, "input", { type: "checkbox", name: "draw", "data-setting": "draw" });
  const draw_class = html(doc, "select", { name: "draw_class", "data-setting": "draw" });
  const draw_value = html(doc, "input", { type: "number", name: "draw_value", step: 0.1, value: 1, "data-setting": "draw" });
  const clear = html(doc, "button", { type: "button", "aria-label": "clear points", "data-setting": "clear_points" }, "clear points");
  const draw_class_label = labelled(doc, "class", draw_class);
  const draw_value_label = labelled(doc, "value", draw_value);
  const classes_label = labelled(doc, "classes", classes);
  const draw_hint = html(doc, "span", { class: "mgw-hint" }, "");

  element.append(
    html(doc, "fieldset", {}, html(doc, "legend", {}, "task"),
      labelled(doc, "task", task), classes_label,
      html(doc, "div", { class: "mgw-features", role: "group", "aria-label": "input features" },
        ...features.map((box, k) => html(doc, "label", { class: "mgw-feature" }, box, FEATURES[k])))),
    html(doc, "fieldset", {}, html(doc, "legend", {}, "optimizer"),
      labelled(doc, "optimizer", optimizer),
      labelled(doc, "lr schedule", schedule),
      html(doc, "span", { class: "mgw-control" }, html(doc, "span", { class: "mgw-control-name" }, "lr now"), lr_now),
      labelled(doc, "discretize output", discretize),
      labelled(doc, "show test data", show_test)),
    html(doc, "fieldset", {}, html(doc, "legend", {}, "draw points"),
      labelled(doc, "draw mode", draw_toggle), draw_class_label, draw_value_label, draw_hint, clear),
  );

  /** @type {DrawChoice} */
  const draw = { on: false, label: 1, value: 1 };
  const parse = (/** @type {Event} */ e) => JSON.parse(/** @type {HTMLSelectElement} */ (e.target).value);
  task.addEventListener("change", (e) => io.set({ task: parse(e) }));
  classes.addEventListener("change", (e) => io.set({ classes: parse(e) }));
  optimizer.addEventListener("change", (e) => io.set({ optimizer: parse(e) }));
  schedule.addEventListener("change", (e) => io.set({ lr_schedule: parse(e) }));
  discretize.addEventListener("change", () => io.set({ discretize: discretize.checked }));
  show_test.addEventListener("change", () => io.set({ show_test: show_test.checked }));
  features.forEach((box, k) => box.addEventListener("change", () => {
    const next = toggle_feature(io.get("features") || ["x1", "x2"], FEATURES[k], box.checked);
    box.checked = next.includes(FEATURES[k]); // the last feature cannot be switched off
    io.set({ features: next });
  }));
  draw_toggle.addEventListener("change", () => { draw.on = draw_toggle.checked; });
  draw_class.addEventListener("change", () => { draw.label = Number(draw_class.value); });
  draw_value.addEventListener("change", () => {
    const v = Number(draw_value.value);
    if (Number.isFinite(v)) draw.value = v;
  });
  clear.addEventListener("click", () => io.send("clear_points"));

  const shown = new Map();
  const changed = (/** @type {string} */ name, /** @type {any} */ value) => {
    const key = JSON.stringify(value ?? null);
    if (shown.get(name) === key) return false;
    shown.set(name, key);
    return true;
  };
  function update() {
    const get = io.get;
    const now_task = task_of(get), k = classes_of(get);
    if (changed("task", now_task)) set_select(task, now_task);
    if (changed("classes", get("classes"))) set_select(classes, get("classes") ?? 2);
    show(classes_label, now_task === "multiclass");
    const chosen = get("features") || ["x1", "x2"];
    if (changed("features", chosen)) features.forEach((box, i) => { box.checked = chosen.includes(FEATURES[i]); });
    const dims = get("dims") === 1 ? 1 : 2;
    // a 1-D input has no x2: its features are x1's
    features.forEach((box, i) => show(/** @type {HTMLElement} */ (box.parentNode), dims === 2 || !FEATURES[i].includes("x2")));
    if (changed("optimizer", get("optimizer"))) set_select(optimizer, get("optimizer") ?? "sgd");
    if (changed("lr_schedule", get("lr_schedule"))) set_select(schedule, get("lr_schedule") ?? "constant");
    const lr = get("lr_now") ?? get("lr");
    set_text(lr_now, typeof lr === "number" ? format_number(lr) : "");
    if (changed("discretize", get("discretize"))) discretize.checked = Boolean(get("discretize"));
    if (changed("show_test", get("show_test"))) show_test.checked = get("show_test") ?? true;
    const names = get("class_names") || [];
    if (changed("draw_classes", [now_task, k, names])) {
      while (draw_class.firstChild) draw_class.removeChild(draw_class.firstChild);
      const choices = class_choices(now_task, k, names);
      for (const c of choices) draw_class.append(html(doc, "option", { value: String(c.value) }, c.text));
      if (!choices.some((c) => c.value === draw.label) && choices.length) draw.label = choices[now_task === "binary" ? 1 : 0].value;
      draw_class.value = String(draw.label);
    }
    const regression = now_task === "regression";
    show(draw_class_label, !regression && dims === 2);
    show(draw_value_label, regression && dims === 2);
    set_text(draw_hint, dims === 1 ? "click: a point at (x, value)" : regression ? "" : now_task === "binary" ? "shift-click: the other class" : "");
  }
  update();
  return { element, update, draw, lr_now };
}
