// The 1-D fit: the points (x, target) and the model's curve over x, redrawn
// every epoch on the same canvas the 2-D tasks paint their field on. Geometry
// is pure (tested); drawing is a thin loop.
import { css, NEGATIVE, POSITIVE } from "./colormap.js";
import { BANDS, diverging_scale } from "./palette.js";

/**
 * @typedef {object} Fit
 * @property {Float32Array} curve  M x values, then M predictions
 * @property {Float64Array} xs  one x per point
 * @property {Float64Array} ys  one target per point
 * @property {Uint8Array} split  1 = test point
 * @property {number[]} extent  [x_min, x_max, ...] (only the x part is used when given)
 * @property {boolean} show_test
 * @property {boolean} discretize
 * @property {number} selected
 */

/**
 * The x values of the points: `points` holds one x per point or (x, y) pairs.
 * @param {Float64Array} points
 * @param {number} count
 */
export function point_xs(points, count) {
  if (points.length === count) return points;
  const xs = new Float64Array(count);
  for (let i = 0; i < count && 2 * i < points.length; i++) xs[i] = points[2 * i];
  return xs;
}

/**
 * The frame [x0, x1, y0, y1] the fit is drawn in: x from the extent (else the
 * points and curve), y around the targets and the curve's finite values, padded.
 * @param {Float32Array} curve
 * @param {Float64Array} xs
 * @param {Float64Array} ys
 * @param {number[]} extent
 * @returns {[number, number, number, number]}
 */
export function fit_frame(curve, xs, ys, extent) {
  const m = Math.floor(curve.length / 2);
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  const take_x = (v) => {
    if (Number.isFinite(v)) [x0, x1] = [Math.min(x0, v), Math.max(x1, v)];
  };
  const take_y = (v) => {
    if (Number.isFinite(v)) [y0, y1] = [Math.min(y0, v), Math.max(y1, v)];
  };
  xs.forEach(take_x);
  ys.forEach(take_y);
  for (let i = 0; i < m; i++) take_x(curve[i]);
  // the targets set the frame; a wild curve is clipped, not allowed to squash the points flat
  const span_y = Number.isFinite(y1 - y0) ? y1 - y0 : 0;
  for (let i = m; i < 2 * m; i++) {
    const v = curve[i];
    if (Number.isFinite(v) && (span_y === 0 || (v > y0 - span_y && v < y1 + span_y))) take_y(v);
  }
  if (extent?.length >= 2 && Number.isFinite(extent[0]) && extent[1] > extent[0]) [x0, x1] = [extent[0], extent[1]];
  if (!(x1 > x0)) [x0, x1] = Number.isFinite(x0) ? [x0 - 1, x0 + 1] : [-1, 1];
  if (!(y1 > y0)) [y0, y1] = Number.isFinite(y0) ? [y0 - 1, y0 + 1] : [-1, 1];
  const pad = (y1 - y0) * 0.08;
  return [x0, x1, y0 - pad, y1 + pad];
}

/**
 * The curve's polyline pieces in canvas pixels; a non-finite prediction breaks
 * it. Discretized, each prediction snaps to the middle of its band (the
 * regression map's bands), drawn as steps.
 * @param {Float32Array} curve
 * @param {number[]} frame
 * @param {number} size  the canvas is size x size
 * @param {{discretize?: boolean, range?: number[]}} [options]
 * @returns {[number, number][][]}
 */
export function curve_pixels(curve, frame, size, options = {}) {
  const m = Math.floor(curve.length / 2);
  const [x0, x1, y0, y1] = frame;
  const scale = diverging_scale(options.range ?? [frame[2], frame[3]]);
  const snap = (v) => {
    if (!options.discretize) return v;
    const t = Math.max(-1, Math.min(1, (v - scale.centre) / scale.half));
    const band = Math.min(BANDS - 1, Math.floor(Math.abs(t) * BANDS));
    return scale.centre + Math.sign(t) * ((band + 0.5) / BANDS) * scale.half;
  };
  const pieces = [];
  let piece = null;
  for (let i = 0; i < m; i++) {
    const x = curve[i],
      v = curve[m + i];
    if (!Number.isFinite(x) || !Number.isFinite(v)) {
      piece = null;
      continue;
    }
    const px = ((x - x0) / (x1 - x0)) * size;
    const py = size - ((Math.min(Math.max(snap(v), y0 - (y1 - y0)), y1 + (y1 - y0)) - y0) / (y1 - y0)) * size;
    if (!piece) {
      piece = [];
      pieces.push(piece);
    }
    if (options.discretize && piece.length) piece.push([px, piece[piece.length - 1][1]]);
    piece.push([px, py]);
  }
  return pieces;
}

/**
 * Draw the fit.
 * @param {HTMLCanvasElement} canvas
 * @param {Fit} fit
 * @param {{fg: string, muted: string, range?: number[], labels?: string[]}} style
 */
export function draw_fit(canvas, fit, style) {
  const ctx = canvas.getContext?.("2d");
  if (!ctx) return;
  const size = canvas.width;
  const frame = fit_frame(fit.curve, fit.xs, fit.ys, fit.extent);
  const [x0, x1, y0, y1] = frame;
  const place = (x, y) => [((x - x0) / (x1 - x0)) * size, size - ((y - y0) / (y1 - y0)) * size];
  ctx.clearRect(0, 0, size, size);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, size, size);
  const font = Math.round(size / 28);
  ctx.font = `${font}px sans-serif`;
  // axes through 0 where 0 is in view, else along the edges
  ctx.strokeStyle = style.muted;
  ctx.fillStyle = style.muted;
  ctx.lineWidth = 1;
  const [zx, zy] = place(x0 < 0 && x1 > 0 ? 0 : x0, y0 < 0 && y1 > 0 ? 0 : y0);
  ctx.beginPath();
  ctx.moveTo(0, zy);
  ctx.lineTo(size, zy);
  ctx.moveTo(zx, 0);
  ctx.lineTo(zx, size);
  ctx.stroke();
  const [xl, yl] = style.labels ?? ["x", "y"];
  ctx.fillText(`${xl}: ${short(x0)} … ${short(x1)}`, 4, size - 4);
  ctx.fillText(`${yl}: ${short(y0)} … ${short(y1)}`, 4, font + 2);
  // points under the curve: the curve is what changes every epoch
  const radius = Math.max(3, size / 100);
  for (let i = 0; i < fit.xs.length; i++) {
    const test = Boolean(fit.split[i]);
    if (test && !fit.show_test) continue;
    const [x, y] = place(fit.xs[i], fit.ys[i]);
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    if (test) {
      ctx.lineWidth = 2;
      ctx.strokeStyle = css(NEGATIVE);
      ctx.stroke();
    } else {
      ctx.fillStyle = css(NEGATIVE);
      ctx.fill();
    }
    if (i === fit.selected) {
      ctx.beginPath();
      ctx.arc(x, y, radius + 4, 0, 2 * Math.PI);
      ctx.lineWidth = 2;
      ctx.strokeStyle = style.fg;
      ctx.stroke();
    }
  }
  ctx.strokeStyle = css(POSITIVE);
  ctx.lineWidth = Math.max(2, size / 150);
  for (const piece of curve_pixels(fit.curve, frame, size, { discretize: fit.discretize, range: style.range })) {
    ctx.beginPath();
    for (const [k, [x, y]] of piece.entries()) k ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
    ctx.stroke();
  }
}

/** @param {number} x */
function short(x) {
  return Math.abs(x) >= 1000 ? x.toExponential(1) : String(Math.round(x * 100) / 100);
}

/**
 * The curve as a cells x cells map whose every row is the prediction along x
 * (the network picture's output box for a 1-D fit).
 * @param {Float32Array} curve  M x values, then M predictions
 * @param {number} cells
 * @returns {Float32Array}
 */
export function curve_map(curve, cells) {
  const m = Math.floor(curve.length / 2);
  const map = new Float32Array(m > 0 ? cells * cells : 0);
  if (!m) return map;
  for (let c = 0; c < cells; c++) {
    const v = curve[m + Math.round((c / Math.max(1, cells - 1)) * (m - 1))];
    for (let r = 0; r < cells; r++) map[r * cells + c] = v;
  }
  return map;
}
