// The decision-boundary canvas: the model's scores over the plane as a colour
// field, the training points filled by class, the test points hollow, the
// selected point ringed. Coordinates: `extent` = [x_min, x_max, y_min, y_max].
import { paint_field, css, NEGATIVE, POSITIVE } from "./colormap.js";

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
  let best = -1, best_d = radius * radius;
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
 * @property {Float32Array} field  cells x cells scores, row 0 at y_min
 * @property {number} cells
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
  if (plane.field.length === cells * cells && cells > 0) {
    const image = ctx.createImageData(cells, cells);
    paint_field(image.data, plane.field, cells, cells);
    // draw at the grid's own size, then scale up smoothly: a 100 x 100 field on a 300 px canvas
    const scratch = scratch_canvas(canvas.ownerDocument, cells);
    scratch.getContext("2d").putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(scratch, 0, 0, size, size);
  }
  if (plane.extent.length !== 4) return;
  const place = to_pixels(plane.extent, size);
  const radius = Math.max(3, size / 90);
  for (let i = 0; 2 * i + 1 < plane.points.length; i++) {
    const [x, y] = place(plane.points[2 * i], plane.points[2 * i + 1]);
    const color = css(plane.labels[i] > 0 ? POSITIVE : NEGATIVE);
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
