// A small layered layout, left to right like draw_dot's rankdir=LR, written
// for this widget because the general ones are far too slow for a live page
// (measured on a 985-node graph: dagre 48 s, elkjs 4.4 s, wasm graphviz 1.6 s).
// Steps: layers by longest path, then every box pulled next to its first consumer,
// barycentre ordering sweeps, then y positions pulled toward neighbours.

/**
 * @typedef {object} Layout
 * @property {Float64Array} x  left edge of each box
 * @property {Float64Array} y  top edge of each box
 * @property {Int32Array} layer
 * @property {number} width   of the whole drawing
 * @property {number} height
 * @property {Int32Array} [band]  wrapped layouts: each box's band (row of columns), 0 first
 * @property {number[]} [band_top]  wrapped layouts: each band's top edge
 */

const GAP_X = 44;
export const BAND_GAP = 56; // between the bands of a wrapped layout: room for the links that go down to the next
export const BAND_TURN = 18; // how far such a link runs beside its boxes before it turns (inside GAP_X)
const GAP_Y = 14;
const SWEEPS = 4;

/**
 * @param {number} count  boxes, numbered so that most links go from lower to higher numbers
 * @param {{from: number, to: number}[]} links
 * @param {Float64Array|number[]} widths
 * @param {Float64Array|number[]} heights
 * @returns {Layout}
 */
export function layout(count, links, widths, heights) {
  const preds = Array.from({ length: count }, () => []);
  const succs = Array.from({ length: count }, () => []);
  for (const { from, to } of links) {
    // a link against the order (possible between collapsed groups) is drawn but not ranked
    if (from < to) {
      preds[to].push(from);
      succs[from].push(to);
    }
  }
  const layer = new Int32Array(count);
  for (let v = 0; v < count; v++) {
    let best = -1;
    for (const u of preds[v]) if (layer[u] > best) best = layer[u];
    layer[v] = best + 1;
  }
  // then as late as possible: every box goes just before its first consumer, so that a
  // branch that joins near the output (an L2 term, a leaf) is drawn beside it, not in column 0
  for (let v = count - 1; v >= 0; v--) {
    if (!succs[v].length) continue;
    let first = Infinity;
    for (const w of succs[v]) if (layer[w] < first) first = layer[w];
    layer[v] = first - 1;
  }
  let layers_count = 0;
  for (let v = 0; v < count; v++) if (layer[v] + 1 > layers_count) layers_count = layer[v] + 1;
  const columns = Array.from({ length: layers_count }, () => []);
  for (let v = 0; v < count; v++) columns[layer[v]].push(v);

  // barycentre sweeps: order each column by the mean position of its neighbours
  const position = new Float64Array(count);
  const number_column = (column) =>
    column.forEach((v, k) => {
      position[v] = k / Math.max(1, column.length - 1);
    });
  columns.forEach(number_column);
  const key = new Float64Array(count);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    const range = down ? columns : columns.slice().reverse();
    for (const column of range) {
      for (const v of column) {
        const around = down ? preds[v] : succs[v];
        if (!around.length) {
          key[v] = position[v];
          continue;
        }
        let total = 0;
        for (const u of around) total += position[u];
        key[v] = total / around.length;
      }
      column.sort((p, q) => key[p] - key[q] || p - q);
      number_column(column);
    }
  }

  // x: columns as wide as their widest box
  const x = new Float64Array(count);
  let left = 0;
  for (const column of columns) {
    let widest = 0;
    for (const v of column) {
      x[v] = left;
      if (widths[v] > widest) widest = widths[v];
    }
    left += widest + GAP_X;
  }
  const { y, height } = place_rows(count, columns, preds, succs, heights);
  return { x, y, layer, width: Math.max(0, left - GAP_X), height };
}

/**
 * y of every box: each column stacked in its order, then pulled toward its
 * neighbours' centres without overlaps; the topmost box at 0.
 * @param {number} count
 * @param {number[][]} columns  box ids, each column in its order from the top
 * @param {number[][]} preds
 * @param {number[][]} succs
 * @param {Float64Array|number[]} heights
 */
function place_rows(count, columns, preds, succs, heights) {
  const y = new Float64Array(count);
  const key = new Float64Array(count);
  for (const column of columns) {
    let top = 0;
    for (const v of column) {
      y[v] = top;
      top += heights[v] + GAP_Y;
    }
  }
  const centre = (v) => y[v] + heights[v] / 2;
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    for (const column of down ? columns : columns.slice().reverse()) {
      for (const v of column) {
        const around = down ? preds[v] : succs[v];
        if (!around.length) {
          key[v] = centre(v);
          continue;
        }
        let total = 0;
        for (const u of around) total += centre(u);
        key[v] = total / around.length;
      }
      place_column(column, key, y, heights);
    }
  }
  let top = Infinity,
    bottom = -Infinity;
  for (const column of columns) {
    for (const v of column) {
      if (y[v] < top) top = y[v];
      if (y[v] + heights[v] > bottom) bottom = y[v] + heights[v];
    }
  }
  if (bottom < top) return { y, height: 0 };
  for (const column of columns) for (const v of column) y[v] -= top;
  return { y, height: bottom - top };
}

/**
 * Put a column's boxes (kept in order) as close as possible to their wanted
 * centres with at least GAP_Y between them: pack downward from the wanted
 * places, then shift the whole column so that the mean offset is zero.
 */
function place_column(column, wanted, y, heights) {
  if (!column.length) return;
  let previous_bottom = -Infinity;
  let offset = 0;
  for (const v of column) {
    const top = Math.max(wanted[v] - heights[v] / 2, previous_bottom + GAP_Y);
    y[v] = top;
    previous_bottom = top + heights[v];
    offset += top + heights[v] / 2 - wanted[v];
  }
  offset /= column.length;
  for (const v of column) y[v] -= offset;
}

// NOTE [bands]
// A deep graph drawn left to right is far wider than a notebook's output:
// micrograd's README example is 13 columns, 2,244 x 404 px at full size, in a
// canvas of about 850 x 460 at 1024x768 (whole, its text would be 4 px). Cut
// into bands (rows of consecutive columns, one under the other) it fills the
// canvas's shape instead: two bands of 7 and 6 columns, 1,224 x 654, show it
// whole with 8 px text. Where to cut is chosen by the scale that results
// (placing.js), since one tall column in each band makes both bands tall. A
// box keeps its column and its place in it; a band is as tall as its tallest
// column, stacked tight (the columns centred on each other).
// A link that goes on into a later band leaves its box to the right, runs
// along the gap above the target's band and enters its target from the left
// (view_draw.make_path), never across a box.

/**
 * The layout cut into bands of consecutive columns, each column stacked tight
 * and centred in its band (NOTE [bands]).
 * @param {Layout} base
 * @param {Float64Array|number[]} widths
 * @param {Float64Array|number[]} heights
 * @param {number[]} starts  the first column (layer) of each band after the first, ascending
 * @returns {Layout}
 */
export function wrap(base, widths, heights, starts) {
  const count = base.x.length;
  const bands = starts.length + 1;
  const band = new Int32Array(count);
  for (let v = 0; v < count; v++) {
    let b = 0;
    while (b < starts.length && base.layer[v] >= starts[b]) b++;
    band[v] = b;
  }
  const x = new Float64Array(count),
    y = new Float64Array(count);
  const band_top = [];
  let at = 0,
    width = 0;
  for (let b = 0; b < bands; b++) {
    band_top.push(at);
    const by_layer = new Map();
    let left = Infinity;
    for (let v = 0; v < count; v++) {
      if (band[v] !== b) continue;
      if (!by_layer.has(base.layer[v])) by_layer.set(base.layer[v], []);
      by_layer.get(base.layer[v]).push(v);
      left = Math.min(left, base.x[v]);
    }
    if (!by_layer.size) continue;
    // the columns keep their order from the top
    const columns = [...by_layer.keys()]
      .sort((p, q) => p - q)
      .map((l) => by_layer.get(l).sort((p, q) => base.y[p] - base.y[q]));
    // each column stacked tight and centred in the band: a band is as tall as its tallest column
    const tall = columns.map((column) => column.reduce((sum, v) => sum + heights[v], 0) + GAP_Y * (column.length - 1));
    const height = Math.max(...tall);
    columns.forEach((column, c) => {
      let top = at + (height - tall[c]) / 2;
      for (const v of column) {
        x[v] = base.x[v] - left + BAND_TURN; // room left of the first column for the links coming in
        y[v] = top;
        top += heights[v] + GAP_Y;
        width = Math.max(width, x[v] + widths[v] + BAND_TURN);
      }
    });
    at += height + BAND_GAP;
  }
  return { x, y, layer: base.layer, width, height: Math.max(0, at - BAND_GAP), band, band_top };
}
