// Loss and accuracy curves: from the packed history rows to canvas coordinates.
// Pure functions (tested in node); trainer.js only strokes the paths.

/** Columns of a history row as the kernel packs them (float64, 5 per epoch). */
export const EPOCH = 0,
  LOSS = 1,
  ACCURACY = 2,
  TEST_LOSS = 3,
  TEST_ACCURACY = 4;
export const COLUMNS = 5;

/**
 * @typedef {object} Box  where to draw, in canvas pixels
 * @property {number} left
 * @property {number} top
 * @property {number} width
 * @property {number} height
 */

/**
 * The y range to show for some columns: accuracy is always 0..1; R² tops at 1
 * and goes below 0 as far as the curves do (down to -1: an early R² of -40
 * would flatten the rest); a loss runs from 0 to its largest finite value (a
 * diverged epoch's inf must not flatten the rest of the curve).
 * @param {Float64Array} rows
 * @param {number[]} columns
 * @param {"loss"|"accuracy"|"r2"} kind
 * @returns {[number, number]}
 */
export function y_range(rows, columns, kind) {
  if (kind === "accuracy") return [0, 1];
  if (kind === "r2") {
    let low = 0;
    for (let i = 0; i + COLUMNS <= rows.length; i += COLUMNS) {
      for (const c of columns) if (Number.isFinite(rows[i + c])) low = Math.min(low, rows[i + c]);
    }
    return [Math.max(-1, low), 1];
  }
  let top = 0;
  for (let i = 0; i + COLUMNS <= rows.length; i += COLUMNS) {
    for (const c of columns) {
      const v = rows[i + c];
      if (Number.isFinite(v) && v > top) top = v;
    }
  }
  return [0, top > 0 ? top * 1.05 : 1];
}

/**
 * One column as polyline pieces in canvas coordinates; a non-finite value
 * (no test set, a diverged epoch) breaks the line.
 * @param {Float64Array} rows
 * @param {number} column
 * @param {Box} box
 * @param {[number, number]} range
 * @returns {[number, number][][]}
 */
export function curve_points(rows, column, box, range) {
  const count = Math.floor(rows.length / COLUMNS);
  const pieces = [];
  if (count === 0) return pieces;
  const first = rows[EPOCH],
    last = rows[(count - 1) * COLUMNS + EPOCH];
  const span = last > first ? last - first : 1;
  const [lo, hi] = range;
  let piece = null;
  for (let i = 0; i < count; i++) {
    const v = rows[i * COLUMNS + column];
    if (!Number.isFinite(v)) {
      piece = null;
      continue;
    }
    const x = box.left + ((rows[i * COLUMNS + EPOCH] - first) / span) * box.width;
    const clamped = Math.min(Math.max(v, lo), hi);
    const y = box.top + box.height - ((clamped - lo) / (hi - lo)) * box.height;
    if (!piece) {
      piece = [];
      pieces.push(piece);
    }
    piece.push([x, y]);
  }
  return pieces;
}

/**
 * Stroke a train (solid) and a test (dashed) curve with an axis label.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Float64Array} rows
 * @param {{train: number, test: number, kind: "loss"|"accuracy"|"r2", title?: string, colors: {train: string, test: string, axis: string}}} spec
 * @param {number} width
 * @param {number} height
 */
export function draw_curves(ctx, rows, spec, width, height) {
  const box = { left: 34, top: 6, width: width - 40, height: height - 22 };
  const range = y_range(rows, [spec.train, spec.test], spec.kind);
  ctx.clearRect(0, 0, width, height);
  ctx.strokeStyle = spec.colors.axis;
  ctx.fillStyle = spec.colors.axis;
  ctx.lineWidth = 1;
  ctx.setLineDash([]);
  ctx.strokeRect(box.left, box.top, box.width, box.height);
  ctx.font = "10px sans-serif";
  ctx.fillText(short(range[1]), 2, box.top + 8);
  ctx.fillText(short(range[0]), 2, box.top + box.height);
  const count = Math.floor(rows.length / COLUMNS);
  if (count) ctx.fillText(`epoch ${rows[(count - 1) * COLUMNS]}`, box.left + box.width - 60, height - 3);
  if (spec.title) ctx.fillText(spec.title, box.left, height - 3);
  /** @type {[number, string, number[]][]} */
  const lines = [
    [spec.train, spec.colors.train, []],
    [spec.test, spec.colors.test, [4, 3]],
  ];
  for (const [column, color, dash] of lines) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(dash);
    for (const piece of curve_points(rows, column, box, range)) {
      ctx.beginPath();
      for (const [k, [x, y]] of piece.entries()) k ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
}

/** @param {number} x */
function short(x) {
  return Math.abs(x) >= 100 ? x.toExponential(1) : String(Math.round(x * 100) / 100);
}
