// The leaves' sliders: a range input and a number box per slider spec, kept in
// step with the numbers the view shows, and a note on what they leave out
// (leaves without a slider, names told apart). The view owns the numbers;
// this module owns only the slider elements.
import { html } from "../core/dom.js";
import { format_number } from "../core/format.js";

/**
 * A slider as the kernel describes it. `value` (where reset returns) may
 * arrive as the text "NaN", "Infinity" or "-Infinity": JSON has no such numbers.
 * @typedef {{id: number, label: string, min: number|string, max: number|string, step: number|string, value: number|string}} SliderSpec
 */

/**
 * Build one row per spec in ``panel``, and the note under them.
 * @param {Document} doc
 * @param {HTMLElement} panel
 * @param {SliderSpec[]} specs
 * @param {{value: (id: number) => number, move: (values: Record<string, number>, source: HTMLElement|null) => void}} hooks
 * @param {string} [note]  what the sliders leave out; shown in [data-role="slider-note"]
 */
export function create_sliders(doc, panel, specs, hooks, note = "") {
  /** @type {HTMLInputElement|null} */
  let dragging = null;
  const rows = specs.map((spec) => {
    const range = html(doc, "input", {
      type: "range", min: Number(spec.min), max: Number(spec.max), step: Number(spec.step), "aria-label": spec.label,
    });
    // text, not type=number: a number input cannot show "nan" or "inf", and hides the exponent of 1.03e12
    const number = html(doc, "input", {
      type: "text", inputmode: "decimal", class: "mgw-slider-box", spellcheck: "false", "aria-label": `${spec.label} value`,
    });
    range.value = String(hooks.value(spec.id));
    number.value = format_number(hooks.value(spec.id));
    const name = html(doc, "span", { class: "mgw-slider-label", title: spec.label }, spec.label);
    const row = html(doc, "div", { class: "mgw-slider", "data-slider-id": spec.id }, name, range, number);
    range.addEventListener("input", () => hooks.move({ [spec.id]: Number(range.value) }, range));
    range.addEventListener("pointerdown", () => { dragging = range; });
    range.addEventListener("change", () => { dragging = null; });
    number.addEventListener("input", () => {
      const value = parse_box(number.value);
      if (value !== null) hooks.move({ [spec.id]: value }, number);
    });
    // leaving the box shows the value in the widget's format again
    number.addEventListener("change", () => { number.value = format_number(hooks.value(spec.id)); });
    panel.appendChild(row);
    return { spec, range, number };
  });
  if (note) panel.appendChild(html(doc, "p", { class: "mgw-slider-note", "data-role": "slider-note" }, note));
  if (!rows.length && !note) panel.hidden = true;

  return {
    /**
     * Move every slider but ``source`` (the one the user is using) to the numbers shown.
     * @param {HTMLElement|null} source
     */
    show(source) {
      for (const { spec, range, number } of rows) {
        const value = hooks.value(spec.id);
        if (range !== source && range !== dragging && Number(range.value) !== value) range.value = String(value);
        const text = format_number(value);
        if (number !== source && number.value !== text && parse_box(number.value) !== value) number.value = text;
      }
    },
    /** {id: value} where reset puts the sliders back. */
    start_values() {
      /** @type {Record<string, number>} */
      const values = {};
      for (const { spec } of rows) values[spec.id] = Number(spec.value);
      return values;
    },
  };
}

/**
 * What a number box's text means: a finite number, or null while it is not one (half typed, empty).
 * @param {string} text
 * @returns {number|null}
 */
export function parse_box(text) {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}
