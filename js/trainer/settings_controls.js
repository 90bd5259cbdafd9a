// The trainer's settings panel, built from the specs the kernel sends (the
// settings table, training/settings.py): one control per setting, grouped in
// fieldsets, each a native select, range, checkbox, number box or (the
// architecture) buttons, with a <label> and data-setting="<name>". The page
// keeps no list of data sets, losses, activations, sizes or limits of its own.
// A control is rewritten only when its setting changed in the model: the view
// repaints every frame while training, and rewriting a range being dragged
// would snap it back.
import { html, set_text } from "../core/dom.js";
import { format_number } from "../core/format.js";

const GROUP_NAMES = {
  data: "data",
  task: "task",
  training: "training",
  optimizer: "optimizer",
  network: "network",
  view: "view",
};

/**
 * @typedef {object} Spec  one row of the settings table (Setting.spec() in settings.py)
 * @property {string} name
 * @property {string} label
 * @property {string} doc
 * @property {string} control
 * @property {string} group
 * @property {boolean} page  the page applies a change itself (no new graph, model or data)
 * @property {string[]} tasks
 * @property {string} data  "any" | "builtin" | "custom"
 * @property {{value: any, text: string}[]} [options]
 * @property {Record<string, {value: any, text: string}[]>} [options_by_task]
 * @property {number[]} [bounds]
 * @property {Record<string, number>} [limits]
 */

/**
 * The new hidden sizes after an architecture button (pure; tested).
 * @param {number[]} hidden
 * @param {"add-layer"|"remove-layer"|"add-neuron"|"remove-neuron"} action
 * @param {{layers: number, neurons: number}} limits
 * @param {number} [layer]
 * @returns {number[]}
 */
export function edit_architecture(hidden, action, limits, layer = 0) {
  const next = hidden.slice();
  if (action === "add-layer" && next.length < limits.layers) next.push(next.length ? next[next.length - 1] : 4);
  if (action === "remove-layer" && next.length > 1) next.pop();
  if (action === "add-neuron" && next[layer] < limits.neurons) next[layer] += 1;
  if (action === "remove-neuron" && next[layer] > 1) next[layer] -= 1;
  return next;
}

/**
 * The features after toggling one (in the order offered; never empty).
 * @param {string[]} offered
 * @param {string[]} chosen
 * @param {string} feature
 * @param {boolean} on
 */
export function toggle_feature(offered, chosen, feature, on) {
  const next = offered.filter((f) => (f === feature ? on : chosen.includes(f)));
  return next.length ? next : chosen.slice();
}

/** A log-range's value at slider position x: 10 ** x to two significant digits. */
export function log_value(x) {
  return Number((10 ** Number(x)).toPrecision(2));
}

/**
 * @param {Document} doc
 * @param {Spec} spec
 * @param {HTMLElement} control
 */
function labelled(doc, spec, control) {
  return html(
    doc,
    "label",
    { class: "mgw-control", title: spec.doc },
    html(doc, "span", { class: "mgw-control-name" }, spec.label),
    control,
  );
}

/** @param {HTMLSelectElement} element @param {{value: any, text: string}[]} options */
function fill_options(element, options) {
  while (element.firstChild) element.removeChild(element.firstChild);
  for (const o of options)
    element.append(html(element.ownerDocument, "option", { value: JSON.stringify(o.value) }, o.text));
}

/** @param {HTMLSelectElement} element @param {any} value */
function set_select(element, value) {
  const key = JSON.stringify(value ?? null);
  const known = Array.from(element.childNodes).some((o) => /** @type {Element} */ (o).getAttribute?.("value") === key);
  if (!known) element.append(html(element.ownerDocument, "option", { value: key }, String(value)));
  element.value = key;
}

/**
 * Show or hide a control for the task at hand (apart from the instructor's `hide`,
 * which uses the hidden attribute: the two must not undo each other).
 * @param {HTMLElement} element
 * @param {boolean} shown
 */
function show(element, shown) {
  element.style.display = shown ? "" : "none";
}

/**
 * Build the settings panel.
 * @param {Document} doc
 * @param {Spec[]} specs
 * @param {{get: (name: string) => any, change: (changes: Record<string, any>) => void}} io
 * @returns {{element: HTMLElement, update: () => void, groups: Record<string, HTMLElement>, lr_now: HTMLElement}}
 */
export function build_settings(doc, specs, io) {
  const element = html(doc, "div", { class: "mgw-settings" });
  /** @type {Record<string, HTMLElement>} */
  const groups = {};
  const updates = [];
  const lr_now = html(doc, "output", { "data-field": "lr_now" }, "");
  const shown = new Map();
  const changed = (/** @type {string} */ key, /** @type {any} */ value) => {
    const text = JSON.stringify(value ?? null);
    if (shown.get(key) === text) return false;
    shown.set(key, text);
    return true;
  };
  const group = (/** @type {string} */ name) => {
    if (!groups[name]) {
      groups[name] = html(doc, "fieldset", { "data-group": name }, html(doc, "legend", {}, GROUP_NAMES[name] || name));
      element.append(groups[name]);
    }
    return groups[name];
  };
  for (const spec of specs) {
    if (spec.control === "none") continue;
    const made = CONTROLS[spec.control]?.(doc, spec, io, changed);
    if (!made) continue;
    group(spec.group).append(made.element);
    updates.push({ spec, ...made });
    if (spec.name === "lr_schedule") {
      group(spec.group).append(
        html(doc, "span", { class: "mgw-control" }, html(doc, "span", { class: "mgw-control-name" }, "lr now"), lr_now),
      );
    }
  }

  function update() {
    const task = io.get("task") || "binary";
    const custom = Boolean(io.get("dataset")?.custom);
    for (const { spec, element: wrapper, update: refresh } of updates) {
      const applies = spec.tasks.includes(task) && (spec.data !== "custom" || custom);
      show(wrapper, applies);
      refresh(task, custom);
    }
  }
  update();
  return { element, update, groups, lr_now };
}

/** @typedef {(doc: Document, spec: Spec, io: any, changed: (key: string, value: any) => boolean) => {element: HTMLElement, update: (task: string, custom: boolean) => void}} Maker */

/** @type {Record<string, Maker>} */
const CONTROLS = {
  select(doc, spec, io, changed) {
    const input = html(doc, "select", { name: spec.name, "data-setting": spec.name });
    input.addEventListener("change", () => io.change({ [spec.name]: JSON.parse(input.value) }));
    if (spec.options) fill_options(input, spec.options);
    return {
      element: labelled(doc, spec, input),
      update(task, custom) {
        const by_task = spec.options_by_task?.[task];
        const options_changed = by_task ? changed(`${spec.name} options`, task) : false;
        if (options_changed) fill_options(input, by_task || []);
        if (changed(spec.name, io.get(spec.name)) || options_changed) set_select(input, io.get(spec.name));
        input.disabled =
          spec.data === "builtin" && custom && spec.name !== "data" ? true : input.hasAttribute("data-locked");
      },
    };
  },
  range(doc, spec, io, changed) {
    const [min, max, step] = spec.bounds || [0, 1, 0.01];
    const input = html(doc, "input", { type: "range", name: spec.name, "data-setting": spec.name, min, max, step });
    const out = html(doc, "output", { "data-setting": spec.name }); // hidden with its range
    input.addEventListener("input", () => set_text(out, Number(input.value).toFixed(2)));
    input.addEventListener("change", () => io.change({ [spec.name]: Number(input.value) }));
    const wrapper = html(doc, "span", { class: "mgw-range" }, labelled(doc, spec, input), out);
    return {
      element: wrapper,
      update(task, custom) {
        if (changed(spec.name, io.get(spec.name))) {
          input.value = String(io.get(spec.name));
          set_text(out, Number(io.get(spec.name)).toFixed(2));
        }
        input.disabled = spec.data === "builtin" && custom ? true : input.hasAttribute("data-locked");
      },
    };
  },
  "log-range"(doc, spec, io, changed) {
    const [min, max, step] = spec.bounds || [-4, 1, 0.05];
    const input = html(doc, "input", { type: "range", name: spec.name, "data-setting": spec.name, min, max, step });
    const out = html(doc, "output", { "data-setting": spec.name });
    input.addEventListener("input", () => set_text(out, String(log_value(input.value))));
    input.addEventListener("change", () => io.change({ [spec.name]: log_value(input.value) }));
    return {
      element: html(doc, "span", { class: "mgw-range" }, labelled(doc, spec, input), out),
      update() {
        if (changed(spec.name, io.get(spec.name))) {
          input.value = String(Math.log10(io.get(spec.name)));
          set_text(out, String(io.get(spec.name)));
        }
      },
    };
  },
  checkbox(doc, spec, io, changed) {
    const input = html(doc, "input", { type: "checkbox", name: spec.name, "data-setting": spec.name });
    input.addEventListener("change", () => io.change({ [spec.name]: input.checked }));
    return {
      element: labelled(doc, spec, input),
      update() {
        if (changed(spec.name, io.get(spec.name))) input.checked = Boolean(io.get(spec.name));
      },
    };
  },
  number(doc, spec, io, changed) {
    const [min, max, step] = spec.bounds || [];
    const input = html(doc, "input", { type: "number", name: spec.name, "data-setting": spec.name, min, max, step });
    input.addEventListener("change", () => {
      const v = Number(input.value);
      if (Number.isFinite(v)) io.change({ [spec.name]: v });
    });
    return {
      element: labelled(doc, spec, input),
      update() {
        if (changed(spec.name, io.get(spec.name))) input.value = String(io.get(spec.name));
      },
    };
  },
  features(doc, spec, io, changed) {
    const offered = (spec.options || []).map((o) => o.value);
    const boxes = offered.map((f) =>
      html(doc, "input", { type: "checkbox", name: spec.name, value: f, "data-setting": spec.name }),
    );
    const element = html(
      doc,
      "div",
      { class: "mgw-features", role: "group", "aria-label": spec.label, title: spec.doc },
      ...boxes.map((box, k) => html(doc, "label", { class: "mgw-feature" }, box, offered[k])),
    );
    for (const [k, box] of boxes.entries()) {
      box.addEventListener("change", () => {
        const next = toggle_feature(offered, io.get(spec.name) || [], offered[k], box.checked);
        box.checked = next.includes(offered[k]); // the last feature cannot be switched off
        io.change({ [spec.name]: next });
      });
    }
    return {
      element,
      update() {
        const chosen = io.get(spec.name) || [];
        if (changed(spec.name, chosen))
          boxes.forEach((box, k) => {
            box.checked = chosen.includes(offered[k]);
          });
        const dims = io.get("dataset")?.dims === 1 ? 1 : 2;
        // a 1-D input has no x2: its features are x1's
        for (const [k, box] of boxes.entries()) {
          show(/** @type {HTMLElement} */ (box.parentNode), dims === 2 || !offered[k].includes("x2"));
        }
      },
    };
  },
  layers(doc, spec, io, changed) {
    const limits = { layers: spec.limits?.layers ?? 4, neurons: spec.limits?.neurons ?? 32 };
    const element = html(doc, "div", { class: "mgw-layers", role: "group", "aria-label": spec.label, title: spec.doc });
    const button = (text, label, action, layer, disabled) => {
      const b = html(doc, "button", { type: "button", "aria-label": label, disabled, "data-setting": spec.name }, text);
      b.addEventListener("click", () =>
        io.change({ [spec.name]: edit_architecture(io.get(spec.name) || [], action, limits, layer) }),
      );
      return b;
    };
    return {
      element,
      update() {
        const hidden = io.get(spec.name) || [];
        if (!changed(spec.name, hidden)) return;
        while (element.firstChild) element.removeChild(element.firstChild);
        hidden.forEach((count, k) => {
          element.append(
            html(
              doc,
              "div",
              { class: "mgw-layer" },
              html(doc, "span", {}, `layer ${k + 1}: `),
              button("−", `remove a neuron from layer ${k + 1}`, "remove-neuron", k, count <= 1),
              html(doc, "span", { "data-field": `layer-${k + 1}` }, String(count)),
              button("+", `add a neuron to layer ${k + 1}`, "add-neuron", k, count >= limits.neurons),
            ),
          );
        });
        element.append(
          html(
            doc,
            "div",
            { class: "mgw-layer" },
            button("+ layer", "add layer", "add-layer", 0, hidden.length >= limits.layers),
            button("− layer", "remove layer", "remove-layer", 0, hidden.length <= 1),
          ),
        );
      },
    };
  },
};

/** The rate in use, as the figures show numbers. @param {number} lr */
export function lr_text(lr) {
  return Number.isFinite(lr) ? format_number(lr) : "";
}
