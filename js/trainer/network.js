// The network picture: a small heatmap of every neuron of the first two hidden
// layers (its output over the plane), the input features before them (each with
// its own map, named) and the outputs after (one per class for K classes),
// joined by lines whose colour is the weight's sign and whose width is its size. Geometry is a pure function (tested); drawing is a thin loop.
import { paint_field, max_abs, css, NEGATIVE, POSITIVE } from "./colormap.js";
import { scratch_canvas } from "./boundary.js";

const GAP = 3;

/**
 * Where each column's boxes go. Columns: the inputs, up to two hidden layers
 * (the ones with heatmaps), the outputs. Each column's boxes are as big as
 * its count lets them (up to a sixth of the height): two inputs or three
 * outputs get maps big enough to read, 16 neurons smaller ones.
 * @param {number[]} sizes  [inputs, hidden..., outputs]
 * @param {number} width
 * @param {number} height
 * @returns {{columns: {x: number, y: number, size: number}[][], box: number, shown: number}}
 */
export function network_layout(sizes, width, height) {
  const shown = Math.min(2, Math.max(0, sizes.length - 2)); // hidden layers with heatmaps
  const counts = [sizes[0] ?? 2, ...sizes.slice(1, 1 + shown), sizes.length > 1 ? sizes[sizes.length - 1] : 1];
  const biggest = Math.max(4, Math.round(height / 6));
  const boxes = counts.map((count) => Math.max(4, Math.min(biggest, Math.floor((height - GAP) / count) - GAP)));
  // column centres spread from the first box's middle to the last one's
  const first = boxes[0] / 2,
    last = width - boxes[boxes.length - 1] / 2;
  const step_x = counts.length > 1 ? (last - first) / (counts.length - 1) : 0;
  const columns = counts.map((count, c) => {
    const box = boxes[c];
    const top = (height - count * (box + GAP) + GAP) / 2;
    return Array.from({ length: count }, (_, k) => ({
      x: first + c * step_x - box / 2,
      y: top + k * (box + GAP),
      size: box,
    }));
  });
  return { columns, box: Math.max(...boxes), shown };
}

/**
 * Offsets of each layer's weight matrix (nout x nin, row-major) in the packed weights.
 * @param {number[]} sizes
 * @returns {number[]}
 */
export function weight_offsets(sizes) {
  const offsets = [0];
  for (let l = 1; l < sizes.length; l++) offsets.push(offsets[l - 1] + sizes[l] * sizes[l - 1]);
  return offsets;
}

/**
 * Where everything of the network picture is, in canvas pixels: the boxes of each
 * drawn column (inputs, up to two hidden layers, outputs), room on the left for
 * the inputs' names, and how many hidden layers are not drawn. draw_network draws
 * it; network_touch.js finds what the pointer is over from it.
 * @param {number[]} sizes
 * @param {string[]} names  the inputs' names
 * @param {number} width
 * @param {number} height
 */
export function network_geometry(sizes, names, width, height) {
  const label_width = names.length
    ? Math.min(width * 0.22, (8 + 7 * Math.max(...names.map((n) => n.length))) * (height / 320))
    : 0;
  const { columns, box, shown } = network_layout(sizes, width - label_width, height);
  for (const column of columns) for (const place of column) place.x += label_width;
  const skipped = sizes.length - 2 - shown; // hidden layers beyond the second: no lines
  return { columns, box, shown, skipped, label_width };
}

/**
 * The layer of `sizes` that column `c` shows (0: the inputs; the last column: the outputs).
 * @param {number[]} sizes
 * @param {number} columns  how many are drawn
 * @param {number} c
 */
export function layer_of_column(sizes, columns, c) {
  return c === columns - 1 ? sizes.length - 1 : c;
}

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{sizes: number[], weights: Float32Array, maps: Float32Array, cells: number, input_maps: Float32Array[], input_names?: string[], output_maps: Float32Array[], output_cells: number, output_paint?: (rgba: Uint8ClampedArray, values: Float32Array, cells: number) => void, marked?: {column: number, k: number, from?: number}|null}} net
 * @param {string} muted  colour for "more layers not drawn"
 */
export function draw_network(canvas, net, muted) {
  const ctx = canvas.getContext?.("2d");
  if (!ctx || net.sizes.length < 2) return;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const names = net.input_names || [];
  const { columns, box, skipped } = network_geometry(net.sizes, names, width, height);
  // where the boxes are, for tests that point at them (canvas pixels)
  if (canvas.dataset) {
    canvas.dataset.geometry = JSON.stringify(columns.map((c) => c.map((p) => ({ x: p.x, y: p.y, size: p.size }))));
  }
  const offsets = weight_offsets(net.sizes);
  let biggest = 0;
  for (let i = 0; i < net.weights.length; i++) biggest = Math.max(biggest, Math.abs(net.weights[i]) || 0);
  // lines first, boxes on top
  for (let c = 0; c + 1 < columns.length; c++) {
    const layer = c + 1; // weights into column c+1 belong to layer c+1 of `sizes`
    const into_output = c + 1 === columns.length - 1;
    if (into_output && skipped > 0) continue;
    const nin = net.sizes[layer - 1 + (into_output ? skipped : 0)];
    const w0 = offsets[layer - 1 + (into_output ? skipped : 0)];
    for (let j = 0; j < columns[c + 1].length; j++) {
      for (let i = 0; i < columns[c].length; i++) {
        const w = net.weights[w0 + j * nin + i];
        if (!Number.isFinite(w) || biggest === 0) continue;
        const from = columns[c][i],
          to = columns[c + 1][j];
        ctx.strokeStyle = css(w > 0 ? POSITIVE : NEGATIVE);
        ctx.globalAlpha = 0.25 + (0.6 * Math.abs(w)) / biggest;
        ctx.lineWidth = 0.3 + (2.7 * Math.abs(w)) / biggest;
        ctx.beginPath();
        ctx.moveTo(from.x + from.size, from.y + from.size / 2);
        ctx.lineTo(to.x, to.y + to.size / 2);
        ctx.stroke();
      }
    }
  }
  ctx.globalAlpha = 1;
  const per_map = net.cells * net.cells;
  let map_index = 0;
  columns.forEach((column, c) => {
    column.forEach((place, k) => {
      let values = null,
        cells = net.cells;
      if (c === 0) values = net.input_maps[k] || null;
      else if (c === columns.length - 1) [values, cells] = [net.output_maps[k] || null, net.output_cells];
      else values = net.maps.subarray(map_index * per_map, ++map_index * per_map);
      if (values && values.length === cells * cells)
        blit(ctx, values, cells, place, c === columns.length - 1 ? net.output_paint : undefined);
      ctx.strokeStyle = muted;
      ctx.lineWidth = 1;
      ctx.strokeRect(place.x + 0.5, place.y + 0.5, place.size - 1, place.size - 1);
    });
  });
  if (names.length) {
    ctx.fillStyle = muted;
    ctx.font = `${Math.round(Math.max(10, Math.min(14, columns[0][0].size * 0.4)) * (height / 320))}px sans-serif`;
    ctx.textBaseline = "middle";
    columns[0].forEach((place, k) => {
      const name = names[k] ?? "";
      const w = ctx.measureText?.(name).width ?? 0;
      ctx.fillText(name, Math.max(0, place.x - 4 - w), place.y + place.size / 2);
    });
    ctx.textBaseline = "alphabetic";
  }
  if (net.marked) mark(ctx, net.marked, columns);
  if (skipped > 0) {
    const last = columns[columns.length - 1][0];
    ctx.fillStyle = muted;
    ctx.font = "11px sans-serif";
    ctx.fillText(`+${skipped} layer${skipped > 1 ? "s" : ""}`, last.x - 48, last.y + box / 2 + 4);
  }
}

/**
 * The neuron or link the pointer (or the keyboard) is on, drawn thicker.
 * @param {CanvasRenderingContext2D} ctx
 * @param {{column: number, k: number, from?: number}} marked  a neuron, or (from set) the link into it
 * @param {{x: number, y: number, size: number}[][]} columns
 */
function mark(ctx, marked, columns) {
  const to = columns[marked.column]?.[marked.k];
  if (!to) return;
  ctx.strokeStyle = "#1976d2";
  ctx.lineWidth = 3;
  if (marked.from === undefined) {
    ctx.strokeRect(to.x - 1.5, to.y - 1.5, to.size + 3, to.size + 3);
    return;
  }
  const from = columns[marked.column - 1]?.[marked.from];
  if (!from) return;
  ctx.beginPath();
  ctx.moveTo(from.x + from.size, from.y + from.size / 2);
  ctx.lineTo(to.x, to.y + to.size / 2);
  ctx.stroke();
}

function blit(ctx, values, cells, place, output_paint) {
  const image = ctx.createImageData(cells, cells);
  // a hidden neuron's range is its own (relu: 0 to anything): scale each map to its largest value
  if (output_paint) output_paint(image.data, values, cells);
  else paint_field(image.data, values, cells, cells, { scale: max_abs(values) / 2, strength: 0.9 });
  const scratch = scratch_canvas(ctx.canvas.ownerDocument, cells);
  scratch.getContext("2d").putImageData(image, 0, 0);
  ctx.drawImage(scratch, place.x, place.y, place.size, place.size);
}

/**
 * The inputs' own "heatmaps": x1 and x2 over the grid, centred on 0 (what the first layer sees).
 * @param {number} cells
 * @param {number[]} extent
 * @returns {Float32Array[]}
 */
export function input_maps(cells, extent) {
  const [x0, x1, y0, y1] = extent;
  const a = new Float32Array(cells * cells),
    b = new Float32Array(cells * cells);
  for (let r = 0; r < cells; r++) {
    for (let c = 0; c < cells; c++) {
      a[r * cells + c] = x0 + ((x1 - x0) * c) / (cells - 1);
      b[r * cells + c] = y0 + ((y1 - y0) * r) / (cells - 1);
    }
  }
  return [a, b];
}

/**
 * The maps the output column shows: one per output neuron. K classes: each
 * class's probability (taken out of the point-major field); else the field itself.
 * @param {Float32Array} field
 * @param {number} cells
 * @param {number} K  outputs (1 for binary and regression)
 * @returns {Float32Array[]}
 */
export function output_maps(field, cells, K) {
  const n = cells * cells;
  if (K <= 1) return field.length === n ? [field] : [];
  if (field.length !== n * K) return [];
  return Array.from({ length: K }, (_, k) => {
    const map = new Float32Array(n);
    for (let i = 0; i < n; i++) map[i] = field[i * K + k];
    return map;
  });
}

/**
 * The maps the input column shows: the kernel's feature maps when they fit
 * (one cells x cells map per feature), else x1 and x2 computed here.
 * @param {Float32Array} feature_maps
 * @param {number} count  input features
 * @param {number} cells
 * @param {number[]} extent
 * @returns {Float32Array[]}
 */
export function feature_input_maps(feature_maps, count, cells, extent) {
  const n = cells * cells;
  if (count > 0 && feature_maps.length === count * n) {
    return Array.from({ length: count }, (_, k) => feature_maps.subarray(k * n, (k + 1) * n));
  }
  return extent.length === 4 && count === 2 ? input_maps(cells, extent) : [];
}
