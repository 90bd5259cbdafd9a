// The leaves' sliders: a range input and a number box per slider spec, kept in
// step with the numbers the view shows, and a note on what they leave out
// (leaves without a slider, names told apart). The view owns the numbers;
// this module owns only the slider elements, and the names they show.
import { html, set_text } from "../core/dom.js";
import { format_number } from "../core/format.js";

/**
 * A slider as the kernel describes it. `value` (where reset returns) may
 * arrive as the text "NaN", "Infinity" or "-Infinity": JSON has no such numbers.
 * @typedef {{id: number, label: string, min: number|string, max: number|string, step: number|string, value: number|string}} SliderSpec
 */

const CUT = "…";
const LABEL_CAP = 26; // characters of the longest name the sliders' columns make room for (more are cut)

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
    // the accessible name is the whole name; the label shows as much of it as the row has room for
    const range = html(doc, "input", {
      type: "range",
      min: Number(spec.min),
      max: Number(spec.max),
      step: Number(spec.step),
      "aria-label": spec.label,
    });
    // text, not type=number: a number input cannot show "nan" or "inf", and hides the exponent of 1.03e12
    const number = html(doc, "input", {
      type: "text",
      inputmode: "decimal",
      class: "mgw-slider-box",
      spellcheck: "false",
      "aria-label": `${spec.label} value`,
    });
    range.value = String(hooks.value(spec.id));
    number.value = format_number(hooks.value(spec.id));
    // aria-hidden: the slider itself says the whole name; the cut would only repeat it in part
    const name = html(doc, "span", { class: "mgw-slider-label", title: spec.label, "aria-hidden": "true" }, spec.label);
    const row = html(doc, "div", { class: "mgw-slider", "data-slider-id": spec.id }, name, range, number);
    range.addEventListener("input", () => hooks.move({ [spec.id]: Number(range.value) }, range));
    range.addEventListener("pointerdown", () => {
      dragging = range;
    });
    range.addEventListener("change", () => {
      dragging = null;
    });
    number.addEventListener("input", () => {
      const value = parse_box(number.value);
      if (value !== null) hooks.move({ [spec.id]: value }, number);
    });
    // leaving the box shows the value in the widget's format again
    number.addEventListener("change", () => {
      number.value = format_number(hooks.value(spec.id));
    });
    panel.appendChild(row);
    return { spec, range, number, name, row };
  });
  if (note) panel.appendChild(html(doc, "p", { class: "mgw-slider-note", "data-role": "slider-note" }, note));
  if (!rows.length && !note) panel.hidden = true;
  // the columns' width: room for the longest name, up to LABEL_CAP characters (graph.css)
  const longest = Math.max(0, ...specs.map((spec) => spec.label.length));
  panel.style.setProperty("--mgw-slider-label", `${Math.min(LABEL_CAP, longest)}ch`);
  const fitting = fit_labels(doc, panel, rows);

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
    /** Stop following the panel's size. */
    destroy: () => fitting.destroy(),
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

// ---- the names the labels show ---------------------------------------------------
// NOTE [cut names]
// The 12 sliders of a lecture's network are model.layers[0].neurons[0].w[0],
// ...neurons[1].b, ...: cut at their end they all read "model.layer…". What
// tells them apart is their end and their indices, so a name is cut in the
// middle at its path's joints: "…neurons[3].w[1]", "…layers[1].neurons[0].w[0]".
// Each label shows the most of its name that fits the row (name_cuts' order);
// where two labels would then read the same, both keep more until they
// differ, wider than the room if need be: two sliders that look alike are
// worse than a shorter range. Full names differ (the kernel tells equal ones
// apart as "x (2)"), so this ends. Last, the names' heads come back
// ("model.…neurons[3].w[1]") if every cut label has room for its head: all or
// none, so that the labels keep one shape and line up as a column.

/**
 * A name's joints: "model.layers[0].w[1]" -> ["model", ".layers[0]", ".w[1]"];
 * "x[0][1]" -> ["x[0]", "[1]"]. Dots and brackets inside brackets or quotes
 * ("p['a.b']") are not joints.
 * @param {string} name
 * @returns {string[]}
 */
export function name_parts(name) {
  const parts = [];
  let depth = 0,
    quote = "",
    start = 0;
  for (let k = 0; k < name.length; k++) {
    const ch = name[k];
    if (quote) {
      if (ch === quote) quote = "";
      continue;
    }
    if ((ch === "'" || ch === '"') && depth > 0) quote = ch;
    else if (ch === "[") {
      if (depth === 0 && k > start && name[k - 1] === "]") {
        parts.push(name.slice(start, k));
        start = k;
      }
      depth++;
    } else if (ch === "]") depth = Math.max(0, depth - 1);
    else if (ch === "." && depth === 0 && k > start) {
      parts.push(name.slice(start, k));
      start = k;
    }
  }
  parts.push(name.slice(start));
  return parts;
}

/**
 * Every way a label may show ``name``, from the one that keeps least to the
 * name itself, last (NOTE [cut names]). For "a.b.c.d": "…d", "…c.d",
 * "…b.c.d", "a.b.c.d"; before them, for a last part too long for any room,
 * "…" and its last characters. A name without joints is cut in its
 * characters, a third kept from its start and the rest from its end.
 * @param {string} name
 * @returns {string[]}
 */
export function name_cuts(name) {
  const parts = name_parts(name);
  const n = parts.length;
  const out = [];
  if (n === 1) {
    for (let m = 2; m < name.length - 1; m++) {
      const head = Math.ceil(m / 3);
      out.push(name.slice(0, head) + CUT + name.slice(name.length - (m - head)));
    }
  } else {
    const last = parts[n - 1].replace(/^\./, "");
    for (let m = 1; m < last.length; m++) out.push(CUT + last.slice(last.length - m));
    for (let k = 1; k < n; k++)
      out.push(
        CUT +
          parts
            .slice(n - k)
            .join("")
            .replace(/^\./, ""),
      );
  }
  out.push(name);
  return out;
}

/**
 * A cut with its name's head put back: "…neurons[3].w[1]" -> "model.…neurons[3].w[1]";
 * null where that would say no less than the name itself, or the cut is not at a joint.
 * @param {string} cut
 * @param {string} name
 * @returns {string|null}
 */
export function with_head(cut, name) {
  const parts = name_parts(name);
  if (parts.length < 3 || !cut.startsWith(CUT)) return null;
  const tail = cut.slice(CUT.length);
  const k = parts.findIndex((_, j) => j > 1 && parts.slice(j).join("").replace(/^\./, "") === tail);
  if (k < 0) return null;
  return parts[0] + (parts[k].startsWith(".") ? "." : "") + cut;
}

/**
 * The text each label shows: NOTE [cut names].
 * @param {string[]} names  distinct names
 * @param {(text: string) => boolean} fits
 * @returns {string[]}
 */
export function fit_names(names, fits) {
  const lists = names.map(name_cuts);
  const pick = lists.map((list) => {
    let best = 0;
    list.forEach((text, j) => {
      if (fits(text)) best = j;
    });
    return best;
  });
  for (let moved = true; moved; ) {
    moved = false;
    for (const same of readers(lists.map((list, i) => list[pick[i]]))) {
      for (const i of same) {
        if (pick[i] < lists[i].length - 1) {
          pick[i]++;
          moved = true;
        }
      }
    }
  }
  const texts = lists.map((list, i) => list[pick[i]]);
  const cut = texts.map((text, i) => text !== names[i]);
  const headed = texts.map((text, i) => (cut[i] ? with_head(text, names[i]) : text));
  if (!cut.some(Boolean) || !headed.every((text) => text !== null && fits(text))) return texts;
  const final = /** @type {string[]} */ (headed);
  return readers(final).length ? texts : final;
}

/** The groups of positions that hold the same text (two or more). */
function readers(texts) {
  /** @type {Map<string, number[]>} */
  const at = new Map();
  for (const [i, text] of texts.entries()) at.set(text, [...(at.get(text) || []), i]);
  return [...at.values()].filter((same) => same.length > 1);
}

/**
 * Keep the labels cut to their rows' room: now, and whenever the panel or the
 * type size (presenter mode) changes. Where the page cannot measure text (no
 * layout, no canvas), the labels keep their whole names.
 * @param {Document} doc
 * @param {HTMLElement} panel
 * @param {{spec: SliderSpec, range: HTMLInputElement, number: HTMLInputElement, name: HTMLElement, row: HTMLElement}[]} rows
 */
function fit_labels(doc, panel, rows) {
  const win = doc.defaultView;
  const Observer = win?.ResizeObserver;
  if (!rows.length || !Observer || typeof win.getComputedStyle !== "function") return { destroy() {} };
  const measure = text_measurer(doc);
  if (!measure) return { destroy() {} };
  let last = "";
  const fit = () => {
    const { row, name, number } = rows[0];
    const width = row.getBoundingClientRect().width;
    if (!(width > 0)) return; // not laid out (a hidden tab): keep what shows until it is
    const style = win.getComputedStyle(name);
    const row_style = win.getComputedStyle(row);
    const range_min = parseFloat(win.getComputedStyle(rows[0].range).flexBasis) || 0;
    const gaps = 2 * (parseFloat(row_style.columnGap) || 0);
    const room = width - number.getBoundingClientRect().width - range_min - gaps;
    const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const key = `${room}|${font}`;
    if (key === last) return;
    last = key;
    measure.font = font;
    const texts = fit_names(
      rows.map((r) => r.spec.label),
      (text) => measure.measureText(text).width <= room,
    );
    for (const [i, r] of rows.entries()) set_text(r.name, texts[i]);
    // one width for the labels, so that the ranges line up as a table's column would; a label
    // kept wider than the room to tell it apart (NOTE [cut names]) takes its own range's room only
    const widest = Math.max(...texts.map((text) => Math.min(room, measure.measureText(text).width)));
    panel.style.setProperty("--mgw-slider-label-width", `${Math.ceil(widest) + 1}px`);
  };
  // the panel's width, and the number box's (its width is in characters: the type size)
  const observer = new Observer(fit);
  observer.observe(panel);
  observer.observe(rows[0].number);
  return { destroy: () => observer.disconnect() };
}

/** @type {WeakMap<Document, CanvasRenderingContext2D|null>} */
const MEASURERS = new WeakMap();

/**
 * One canvas per page measures every label's text (a canvas per widget would cost each its memory).
 * @param {Document} doc
 */
function text_measurer(doc) {
  if (!MEASURERS.has(doc)) {
    const canvas = doc.createElement("canvas");
    canvas.width = canvas.height = 1;
    MEASURERS.set(doc, canvas.getContext?.("2d") ?? null);
  }
  return MEASURERS.get(doc) ?? null;
}
