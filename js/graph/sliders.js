// The leaves' sliders: a range input and a number box per slider spec, kept in
// step with the numbers the view shows. The view owns the numbers; this module
// owns only the slider elements.
import { html } from "../core/dom.js";

/**
 * @typedef {{id: number, label: string, min: number, max: number, step: number, value: number}} SliderSpec
 */

/**
 * Build one row per spec in ``panel``.
 * @param {Document} doc
 * @param {HTMLElement} panel
 * @param {SliderSpec[]} specs
 * @param {{value: (id: number) => number, move: (values: Record<string, number>, source: HTMLElement|null) => void}} hooks
 */
export function create_sliders(doc, panel, specs, hooks) {
  /** @type {HTMLInputElement|null} */
  let dragging = null;
  const rows = specs.map((spec) => {
    const range = html(doc, "input", { type: "range", min: spec.min, max: spec.max, step: spec.step, "aria-label": spec.label });
    const number = html(doc, "input", { type: "number", step: "any", "aria-label": `${spec.label} value` });
    range.value = String(hooks.value(spec.id));
    number.value = box_text(hooks.value(spec.id));
    const row = html(doc, "div", { class: "mgw-slider", "data-slider-id": spec.id }, html(doc, "span", { class: "mgw-slider-label" }, spec.label), range, number);
    range.addEventListener("input", () => hooks.move({ [spec.id]: Number(range.value) }, range));
    range.addEventListener("pointerdown", () => { dragging = range; });
    range.addEventListener("change", () => { dragging = null; });
    number.addEventListener("input", () => {
      const value = Number(number.value);
      if (number.value.trim() !== "" && Number.isFinite(value)) hooks.move({ [spec.id]: value }, number);
    });
    panel.appendChild(row);
    return { spec, range, number };
  });
  if (!rows.length) panel.hidden = true;

  return {
    /**
     * Move every slider but ``source`` (the one the user is using) to the numbers shown.
     * @param {HTMLElement|null} source
     */
    show(source) {
      for (const { spec, range, number } of rows) {
        const value = hooks.value(spec.id);
        if (range !== source && range !== dragging && Number(range.value) !== value) range.value = String(value);
        if (number !== source && number.value !== box_text(value)) number.value = box_text(value);
      }
    },
    /** {id: value} where reset puts the sliders back. */
    start_values() {
      /** @type {Record<string, number>} */
      const values = {};
      for (const { spec } of rows) values[spec.id] = spec.value;
      return values;
    },
  };
}

/**
 * A number box's text: 6 significant digits are plenty to read and retype.
 * @param {number} value
 */
function box_text(value) {
  return String(Number(value.toPrecision(6)));
}
