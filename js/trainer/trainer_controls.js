// The trainer's controls: native buttons, selects, ranges and a checkbox, each
// with a <label> or aria-label, so every one works from the keyboard. They write
// settings into the model; the kernel validates them and applies them at the
// next epoch (or rebuilds the model, for data and architecture).
import { html, set_text } from "../core/dom.js";

export const MAX_LAYERS = 4;
export const MAX_NEURONS = 32;
const DATASETS = ["moons", "circles", "blobs", "xor", "spiral", "gauss", "yinyang", "reg-plane", "reg-gauss", "sine"];
const ACTIVATIONS = ["relu", "tanh", "sigmoid"];
const LOSSES = ["hinge", "bce", "mse", "huber", "cross_entropy"];
// the losses each task accepts (the kernel refuses the others): the select offers only these
export const TASK_LOSSES = { binary: ["hinge", "mse", "bce"], multiclass: ["cross_entropy"], regression: ["mse", "huber"] };
const BATCH_SIZES = [null, 1, 4, 8, 16, 32, 64];
const L2_VALUES = [0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1];
const SPEEDS = [0, 30, 10, 5, 2, 1, 0.5];
const LR_RANGE = [-4, 1]; // log10 of the learning rate

/**
 * The new hidden sizes after an architecture button (pure; tested).
 * @param {number[]} hidden
 * @param {"add-layer"|"remove-layer"|"add-neuron"|"remove-neuron"} action
 * @param {number} [layer]
 * @returns {number[]}
 */
export function edit_architecture(hidden, action, layer = 0) {
  const next = hidden.slice();
  if (action === "add-layer" && next.length < MAX_LAYERS) next.push(next.length ? next[next.length - 1] : 4);
  if (action === "remove-layer" && next.length > 1) next.pop();
  if (action === "add-neuron" && next[layer] < MAX_NEURONS) next[layer] += 1;
  if (action === "remove-neuron" && next[layer] > 1) next[layer] -= 1;
  return next;
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
 * @param {(v: any) => string} show
 */
function select(doc, name, values, show) {
  const element = html(doc, "select", { name, "data-setting": name });
  for (const v of values) element.append(html(doc, "option", { value: JSON.stringify(v) }, show(v)));
  return element;
}

function set_select(element, value, show) {
  const key = JSON.stringify(value);
  const known = Array.from(element.childNodes).some((o) => o.getAttribute?.("value") === key);
  if (!known) element.append(html(element.ownerDocument, "option", { value: key }, show(value)));
  element.value = key;
}

/**
 * Build the settings panel.
 * @param {Document} doc
 * @param {{get: (name: string) => any, set: (changes: Record<string, any>) => void}} io
 * @returns {{element: HTMLElement, update: () => void}}
 */
export function build_controls(doc, io) {
  const element = html(doc, "div", { class: "mgw-settings" });
  const show_batch = (v) => (v === null ? "full" : String(v));
  const show_l2 = (v) => (v === 0 ? "0" : Number(v).toExponential(0));
  const show_speed = (v) => (v === 0 ? "max" : `${v}/s`);

  const data = select(doc, "data", DATASETS, String);
  const noise = html(doc, "input", { type: "range", name: "noise", "data-setting": "noise", min: 0, max: 0.5, step: 0.01 });
  const noise_out = html(doc, "output", { "data-setting": "noise" }); // hidden with its range
  const split = html(doc, "input", { type: "range", name: "test_fraction", "data-setting": "test_fraction", min: 0, max: 0.8, step: 0.05 });
  const split_out = html(doc, "output", { "data-setting": "test_fraction" }); // hidden with its range
  const lr = html(doc, "input", { type: "range", name: "lr", "data-setting": "lr", min: LR_RANGE[0], max: LR_RANGE[1], step: 0.05 });
  const lr_out = html(doc, "output", { "data-setting": "lr" }); // hidden with its range
  const batch = select(doc, "batch_size", BATCH_SIZES, show_batch);
  const activation = select(doc, "activation", ACTIVATIONS, String);
  const loss = select(doc, "loss", LOSSES, String);
  const l2 = select(doc, "l2", L2_VALUES, show_l2);
  const speed = select(doc, "speed", SPEEDS, show_speed);
  const zero_grad = html(doc, "input", { type: "checkbox", name: "zero_grad", "data-setting": "zero_grad" });
  const layers = html(doc, "div", { class: "mgw-layers", role: "group", "aria-label": "architecture" });

  element.append(
    html(doc, "fieldset", {}, html(doc, "legend", {}, "data"),
      labelled(doc, "data set", data),
      labelled(doc, "noise", noise), noise_out,
      labelled(doc, "test fraction", split), split_out),
    html(doc, "fieldset", {}, html(doc, "legend", {}, "training"),
      labelled(doc, "learning rate", lr), lr_out,
      labelled(doc, "batch size", batch),
      labelled(doc, "loss", loss),
      labelled(doc, "L2 strength", l2),
      labelled(doc, "zero_grad every step", zero_grad),
      labelled(doc, "speed (epochs/s)", speed)),
    html(doc, "fieldset", {}, html(doc, "legend", {}, "network"),
      labelled(doc, "activation", activation), layers),
  );

  const parse = (e) => JSON.parse(e.target.value);
  data.addEventListener("change", (e) => io.set({ data: parse(e) }));
  batch.addEventListener("change", (e) => io.set({ batch_size: parse(e) }));
  activation.addEventListener("change", (e) => io.set({ activation: parse(e) }));
  loss.addEventListener("change", (e) => io.set({ loss: parse(e) }));
  l2.addEventListener("change", (e) => io.set({ l2: parse(e) }));
  speed.addEventListener("change", (e) => io.set({ speed: parse(e) }));
  zero_grad.addEventListener("change", (e) => io.set({ zero_grad: zero_grad.checked }));
  // ranges: show the number while dragging, send it when released (or per arrow key)
  noise.addEventListener("input", () => set_text(noise_out, Number(noise.value).toFixed(2)));
  noise.addEventListener("change", () => io.set({ noise: Number(noise.value) }));
  split.addEventListener("input", () => set_text(split_out, Number(split.value).toFixed(2)));
  split.addEventListener("change", () => io.set({ test_fraction: Number(split.value) }));
  const lr_value = (e) => Number((10 ** Number(e.target.value)).toPrecision(2));
  lr.addEventListener("input", (e) => set_text(lr_out, String(lr_value(e))));
  lr.addEventListener("change", (e) => io.set({ lr: lr_value(e) }));

  let shown_hidden = "";
  function update_layers() {
    const hidden = io.get("hidden") || [];
    const key = JSON.stringify(hidden);
    if (key === shown_hidden) return;
    shown_hidden = key;
    while (layers.firstChild) layers.removeChild(layers.firstChild);
    const button = (text, label, action, layer, disabled) => {
      const b = html(doc, "button", { type: "button", "aria-label": label, disabled, "data-setting": "hidden" }, text);
      b.addEventListener("click", () => io.set({ hidden: edit_architecture(io.get("hidden") || [], action, layer) }));
      return b;
    };
    hidden.forEach((count, k) => {
      layers.append(html(doc, "div", { class: "mgw-layer" },
        html(doc, "span", {}, `layer ${k + 1}: `),
        button("−", `remove a neuron from layer ${k + 1}`, "remove-neuron", k, count <= 1),
        html(doc, "span", { "data-field": `layer-${k + 1}` }, String(count)),
        button("+", `add a neuron to layer ${k + 1}`, "add-neuron", k, count >= MAX_NEURONS)));
    });
    layers.append(html(doc, "div", { class: "mgw-layer" },
      button("+ layer", "add layer", "add-layer", 0, hidden.length >= MAX_LAYERS),
      button("− layer", "remove layer", "remove-layer", 0, hidden.length <= 1)));
  }

  // A control is rewritten only when its setting changed in the model: the view
  // repaints up to 30 times a second while training, and rewriting a range the
  // user is dragging would snap it back.
  const shown = new Map();
  const changed = (name) => {
    const value = JSON.stringify(io.get(name) ?? null);
    if (shown.get(name) === value) return false;
    shown.set(name, value);
    return true;
  };
  function update() {
    if (changed("data")) {
      set_select(data, io.get("data"), String);
      noise.disabled = io.get("data") === "custom"; // the user's own points have no generator
    }
    if (changed("batch_size")) set_select(batch, io.get("batch_size") ?? null, show_batch);
    if (changed("activation")) set_select(activation, io.get("activation"), String);
    const task_changed = changed("task");
    if (task_changed) {
      const task = io.get("task");
      while (loss.firstChild) loss.removeChild(loss.firstChild);
      for (const v of TASK_LOSSES[task] || LOSSES) loss.append(html(doc, "option", { value: JSON.stringify(v) }, v));
    }
    if (changed("loss") || task_changed) set_select(loss, io.get("loss"), String);
    if (changed("l2")) set_select(l2, io.get("l2"), show_l2);
    if (changed("speed")) set_select(speed, io.get("speed"), show_speed);
    if (changed("zero_grad")) zero_grad.checked = Boolean(io.get("zero_grad"));
    if (changed("noise")) {
      noise.value = String(io.get("noise"));
      set_text(noise_out, Number(io.get("noise")).toFixed(2));
    }
    if (changed("test_fraction")) {
      split.value = String(io.get("test_fraction"));
      set_text(split_out, Number(io.get("test_fraction")).toFixed(2));
    }
    if (changed("lr")) {
      lr.value = String(Math.log10(io.get("lr")));
      set_text(lr_out, String(io.get("lr")));
    }
    update_layers();
  }
  update();
  return { element, update };
}
