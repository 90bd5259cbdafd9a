// Draw mode's panel: the switch, the class a click adds (or the value, in
// regression), undo point, clear points and fit axes. A click on the plane in
// draw mode adds a point where it was clicked: the axes stay put while drawing
// (the kernel fits them again only for "fit axes").
import { html, set_text } from "../core/dom.js";
import { class_choices } from "./draw_mode.js";

/**
 * @typedef {object} DrawChoice  what a draw-mode click adds
 * @property {boolean} on
 * @property {number} label
 * @property {number} value
 */

/**
 * @param {Document} doc
 * @param {{get: (name: string) => any, send: (type: string, extra?: object) => void}} io
 * @returns {{element: HTMLElement, update: () => void, draw: DrawChoice}}
 */
export function build_draw_controls(doc, io) {
  const toggle = html(doc, "input", { type: "checkbox", name: "draw", "data-setting": "draw" });
  const pick = html(doc, "select", { name: "draw_class", "data-setting": "draw" });
  const value = html(doc, "input", { type: "number", name: "draw_value", step: 0.1, value: 1, "data-setting": "draw" });
  const button = (name, text) => {
    const b = html(doc, "button", { type: "button", "aria-label": text, "data-setting": name }, text);
    b.addEventListener("click", () => io.send(name));
    return b;
  };
  const pick_label = html(
    doc,
    "label",
    { class: "mgw-control" },
    html(doc, "span", { class: "mgw-control-name" }, "class"),
    pick,
  );
  const value_label = html(
    doc,
    "label",
    { class: "mgw-control" },
    html(doc, "span", { class: "mgw-control-name" }, "value"),
    value,
  );
  const hint = html(doc, "span", { class: "mgw-hint" }, "");
  const element = html(
    doc,
    "fieldset",
    { "data-group": "draw" },
    html(doc, "legend", {}, "draw points"),
    html(doc, "label", { class: "mgw-control" }, html(doc, "span", { class: "mgw-control-name" }, "draw mode"), toggle),
    pick_label,
    value_label,
    hint,
    button("undo_point", "undo point"),
    button("clear_points", "clear points"),
    button("fit_axes", "fit axes"),
  );

  /** @type {DrawChoice} */
  const draw = { on: false, label: 1, value: 1 };
  toggle.addEventListener("change", () => {
    draw.on = toggle.checked;
  });
  pick.addEventListener("change", () => {
    draw.label = Number(pick.value);
  });
  value.addEventListener("change", () => {
    const v = Number(value.value);
    if (Number.isFinite(v)) draw.value = v;
  });

  let shown = "";
  function update() {
    const task = io.get("task") || "binary",
      k = io.get("classes") || 0;
    const d = io.get("dataset") || {};
    const names = d.class_names || [];
    const key = JSON.stringify([task, k, names]);
    if (key !== shown) {
      shown = key;
      while (pick.firstChild) pick.removeChild(pick.firstChild);
      const choices = class_choices(task, k, names);
      for (const c of choices) pick.append(html(doc, "option", { value: String(c.value) }, c.text));
      if (!choices.some((c) => c.value === draw.label) && choices.length)
        draw.label = choices[task === "binary" ? 1 : 0].value;
      pick.value = String(draw.label);
    }
    const regression = task === "regression",
      dims = d.dims === 1 ? 1 : 2;
    pick_label.style.display = !regression && dims === 2 ? "" : "none";
    value_label.style.display = regression && dims === 2 ? "" : "none";
    set_text(
      hint,
      dims === 1
        ? "click: a point at (x, value)"
        : regression
          ? ""
          : task === "binary"
            ? "shift-click: the other class"
            : "",
    );
  }
  update();
  return { element, update, draw };
}
