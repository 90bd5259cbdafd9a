// The decision-boundary canvas: the model's output over the plane as a colour
// field (binary scores, K class probabilities, or regression predictions), the
// training points filled by class or target, the test points hollow, the
// selected point ringed. Coordinates: `extent` = [x_min, x_max, y_min, y_max].
import { paint_field, css } from "./colormap.js";
import {
  paint_classes,
  paint_diverging,
  label_color,
  diverging_color,
  diverging_position,
  diverging_scale,
} from "./palette.js";

const scratches = new Map();

/**
 * A reusable off-screen canvas of cells x cells (putImageData cannot scale;
 * drawImage from here can). One per size, not one per paint: the network view
 * blits 30+ heatmaps a frame.
 * @param {Document} doc
 * @param {number} cells
 */
export function scratch_canvas(doc, cells) {
  let scratch = scratches.get(cells);
  if (!scratch || scratch.ownerDocument !== doc) {
    scratch = doc.createElement("canvas");
    scratch.width = scratch.height = cells;
    scratches.set(cells, scratch);
  }
  return scratch;
}

/**
 * Data coordinates -> canvas pixels.
 * @param {number[]} extent
 * @param {number} size  the canvas is size x size pixels
 * @returns {(x: number, y: number) => [number, number]}
 */
export function to_pixels(extent, size) {
  const [x0, x1, y0, y1] = extent;
  return (x, y) => [((x - x0) / (x1 - x0)) * size, size - ((y - y0) / (y1 - y0)) * size];
}

/**
 * The point nearest to a click (canvas pixels), or -1 if none is within `radius`.
 * @param {Float64Array} points  x, y per point
 * @param {number[]} extent
 * @param {number} size
 * @param {number} px
 * @param {number} py
 * @param {number} [radius]
 */
export function nearest_point(points, extent, size, px, py, radius = 8) {
  const place = to_pixels(extent, size);
  let best = -1,
    best_d = radius * radius;
  for (let i = 0; 2 * i + 1 < points.length; i++) {
    const [x, y] = place(points[2 * i], points[2 * i + 1]);
    const d = (x - px) ** 2 + (y - py) ** 2;
    if (d <= best_d) {
      best = i;
      best_d = d;
    }
  }
  return best;
}

/**
 * @typedef {object} Plane
 * @property {Float32Array} field  cells x cells scores (x K probabilities, point-major, for K classes), row 0 at y_min
 * @property {number} cells
 * @property {"binary"|"multiclass"|"regression"} [task]  missing: binary
 * @property {number} [classes]  K for multiclass
 * @property {number[]} [range]  [lo, hi] of the regression targets
 * @property {Float64Array} [targets]  one regression target per point
 * @property {boolean} [discretize]  binary: two flat colours; K classes: no confidence shading; regression: bands
 * @property {boolean} [show_test]  false: test points are not drawn (missing: drawn)
 * @property {string[]} [axis_labels]  the columns' names of the lecturer's table, written along the axes
 * @property {number[]} extent
 * @property {Float64Array} points
 * @property {Int8Array} labels
 * @property {Uint8Array} split  1 = test point
 * @property {number} selected  -1 for none
 */

/**
 * Paint the whole picture onto a canvas.
 * @param {HTMLCanvasElement} canvas
 * @param {Plane} plane
 * @param {string} outline  colour of point outlines (the theme's foreground)
 */
export function draw_plane(canvas, plane, outline) {
  const ctx = canvas.getContext?.("2d");
  if (!ctx) return;
  const size = canvas.width;
  ctx.clearRect(0, 0, size, size);
  const cells = plane.cells;
  const image = cells > 0 ? paint_plane_field(ctx.createImageData(cells, cells), plane) : null;
  if (image) {
    // draw at the grid's own size, then scale up smoothly: a 100 x 100 field on a 300 px canvas
    const scratch = scratch_canvas(canvas.ownerDocument, cells);
    scratch.getContext("2d").putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(scratch, 0, 0, size, size);
  }
  if (plane.extent.length !== 4) return;
  if (plane.axis_labels?.length === 2) draw_axis_labels(ctx, plane.axis_labels, size, outline);
  const place = to_pixels(plane.extent, size);
  const radius = Math.max(3, size / 90);
  const scale = diverging_scale(plane.range ?? [-1, 1]);
  for (let i = 0; 2 * i + 1 < plane.points.length; i++) {
    const [x, y] = place(plane.points[2 * i], plane.points[2 * i + 1]);
    if (plane.split[i] && plane.show_test === false) continue;
    const color = css(point_color(plane, i, scale));
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    if (plane.split[i]) {
      ctx.lineWidth = 2;
      ctx.strokeStyle = color;
      ctx.stroke();
    } else {
      ctx.fillStyle = color;
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = outline;
      ctx.stroke();
    }
    if (i === plane.selected) {
      ctx.beginPath();
      ctx.arc(x, y, radius + 4, 0, 2 * Math.PI);
      ctx.lineWidth = 2;
      ctx.strokeStyle = outline;
      ctx.stroke();
    }
  }
}

/**
 * Fill an ImageData with the field of whichever task; null when the field does
 * not have the size the task needs (between a task change and the new field).
 * @param {ImageData} image
 * @param {Plane} plane
 * @returns {ImageData|null}
 */
export function paint_plane_field(image, plane) {
  const { cells, field } = plane;
  const task = plane.task ?? "binary";
  if (task === "multiclass") {
    const K = plane.classes ?? 0;
    if (K < 2 || field.length !== cells * cells * K) return null;
    paint_classes(image.data, field, cells, cells, K, { discretize: plane.discretize });
  } else if (field.length !== cells * cells) {
    return null;
  } else if (task === "regression") {
    paint_diverging(image.data, field, cells, cells, plane.range ?? [-1, 1], { discretize: plane.discretize });
  } else {
    paint_field(image.data, plane.discretize ? field.map((v) => (v > 0 ? 3 : v < 0 ? -3 : v)) : field, cells, cells);
  }
  return image;
}

/**
 * A point's colour: its class's, or for regression its target's on the map (at full strength).
 * @param {Plane} plane
 * @param {number} i
 * @param {{centre: number, half: number}} scale
 */
function point_color(plane, i, scale) {
  const task = plane.task ?? "binary";
  if (task === "regression") return diverging_color(diverging_position(plane.targets?.[i] ?? NaN, scale), 1);
  return label_color(plane.labels[i], task === "multiclass" ? (plane.classes ?? 3) : 2);
}

/**
 * The axes' names, x along the bottom edge and y up the left one, on a pale
 * halo so they read over any colour (text drawn on the canvas: never HTML).
 * @param {CanvasRenderingContext2D} ctx
 * @param {string[]} labels
 * @param {number} size
 * @param {string} color
 */
function draw_axis_labels(ctx, labels, size, color) {
  const font = Math.round(size / 26);
  ctx.save();
  ctx.font = `${font}px sans-serif`;
  ctx.lineWidth = 3;
  ctx.strokeStyle = "rgba(255, 255, 255, 0.85)";
  ctx.fillStyle = color;
  const x_text = `${labels[0]} →`;
  const w = ctx.measureText?.(x_text).width ?? 0;
  ctx.strokeText(x_text, size - w - 4, size - 4);
  ctx.fillText(x_text, size - w - 4, size - 4);
  const y_text = `${labels[1]} →`;
  const h = ctx.measureText?.(y_text).width ?? 0;
  ctx.translate(font + 2, 4 + h); // reads upward, ending at the top-left corner
  ctx.rotate(-Math.PI / 2);
  ctx.strokeText(y_text, 0, 0);
  ctx.fillText(y_text, 0, 0);
  ctx.restore();
}
