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
 */

const GAP_X = 44;
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
    if (from < to) { preds[to].push(from); succs[from].push(to); }
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
  const number_column = (column) => column.forEach((v, k) => { position[v] = k / Math.max(1, column.length - 1); });
  columns.forEach(number_column);
  const key = new Float64Array(count);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    const range = down ? columns : columns.slice().reverse();
    for (const column of range) {
      for (const v of column) {
        const around = down ? preds[v] : succs[v];
        if (!around.length) { key[v] = position[v]; continue; }
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
    for (const v of column) { x[v] = left; if (widths[v] > widest) widest = widths[v]; }
    left += widest + GAP_X;
  }
  // y: stack, then pull each box toward its neighbours' centres without overlaps
  const y = new Float64Array(count);
  for (const column of columns) {
    let top = 0;
    for (const v of column) { y[v] = top; top += heights[v] + GAP_Y; }
  }
  const centre = (v) => y[v] + heights[v] / 2;
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    for (const column of down ? columns : columns.slice().reverse()) {
      for (const v of column) {
        const around = down ? preds[v] : succs[v];
        if (!around.length) { key[v] = centre(v); continue; }
        let total = 0;
        for (const u of around) total += centre(u);
        key[v] = total / around.length;
      }
      place_column(column, key, y, heights);
    }
  }
  let top = Infinity, bottom = -Infinity;
  for (let v = 0; v < count; v++) {
    if (y[v] < top) top = y[v];
    if (y[v] + heights[v] > bottom) bottom = y[v] + heights[v];
  }
  if (count) for (let v = 0; v < count; v++) y[v] -= top;
  return { x, y, layer, width: Math.max(0, left - GAP_X), height: count ? bottom - top : 0 };
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
