// The trainer view's words and small tables: pure (tested), no DOM.
import { format_number } from "../core/format.js";
import { css, NEGATIVE, POSITIVE } from "./colormap.js";
import { class_color } from "./palette.js";

const MAX_CURVE_ROWS = 1000; // the curves draw at most this many rows (thinned evenly, the last kept)

/**
 * The figure shown in a [data-field]: the number as the graph widget writes numbers;
 * "–" where there is none (no test set, no training points yet).
 * @param {number|undefined} x
 */
export function figure_text(x) {
  return x === undefined || Number.isNaN(x) ? "–" : format_number(x);
}

/**
 * History rows as the curves draw them: flat, thinned to MAX_CURVE_ROWS.
 * @param {number[][]} history
 * @returns {Float64Array}
 */
export function curve_table(history) {
  const step = Math.max(1, Math.ceil(history.length / MAX_CURVE_ROWS));
  const rows = history.filter((_, k) => k % step === 0 || k === history.length - 1);
  const out = new Float64Array(rows.length * 5);
  for (const [k, row] of rows.entries()) out.set(row, k * 5);
  return out;
}

/**
 * The class legend's entries: K classes always (the colours are new); two
 * classes only when they have names of their own (-1/+1 say nothing).
 * @param {string} task
 * @param {number} K
 * @param {string[]} names
 * @returns {{name: string, color: string}[]}
 */
export function class_entries(task, K, names) {
  if (task === "multiclass") {
    const name = (/** @type {number} */ k) => (names[k] && names[k] !== String(k) ? names[k] : `class ${k}`);
    return Array.from({ length: K }, (_, k) => ({ name: name(k), color: css(class_color(k)) }));
  }
  const named = task === "binary" && names.length === 2 && !names.every((n) => /^[-+]?[01]$|^-?1(\.0)?$/.test(n));
  return named
    ? [
        { name: names[0], color: css(NEGATIVE) },
        { name: names[1], color: css(POSITIVE) },
      ]
    : [];
}

/**
 * The axes' names when they are the lecturer's (a table's columns); the default x1, x2 go unwritten.
 * @param {any} labels
 * @returns {string[]|undefined}
 */
export function named_axes(labels) {
  if (!Array.isArray(labels) || labels.length !== 2 || (labels[0] === "x1" && labels[1] === "x2")) return undefined;
  return labels.map(String);
}

/**
 * What the plane shows, for screen readers (and a lecturer's tooltip).
 * @param {string} task
 * @param {number} K
 * @param {number} dims
 * @param {boolean} drawing
 */
export function plane_description(task, K, dims, drawing) {
  const what =
    dims === 1
      ? "the fit: the points (target over x) and the model's curve"
      : task === "multiclass"
        ? `the classes: each of the ${K} classes in its colour, paler where the model is less sure`
        : task === "regression"
          ? "the model's prediction over the plane, on the colour scale below"
          : "decision boundary: the model's score over the plane";
  const click = drawing ? "click to add a point" : "click a point (or use the arrow keys) to see its loss graph";
  return `${what}; filled dots are training points, rings are test points; ${click}`;
}

/**
 * The network's inputs as the picture names them: the features of x1, x2, or of the lecturer's columns.
 * @param {string[]} features  x1, x2, x1^2, sin(x2) ...
 * @param {string[]} axes  the plane's axis names
 */
export function input_names(features, axes) {
  const named = named_axes(axes);
  if (!named) return features;
  return features.map((f) => f.replace(/x([12])/g, (_, k) => named[Number(k) - 1]));
}
