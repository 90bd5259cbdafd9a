// Finding nodes and moving between boxes with the keyboard. Plain functions of
// the structure and the visible graph; graph_view.js owns the elements.
import { shown_name } from "../core/names.js";

// NOTE [graph keys]
// The graph is one tab stop (roving focus: the focused box has tabindex 0,
// every other -1). Step-through owns ArrowLeft/ArrowRight and Space, the
// trainer's point plot owns the four arrows on its own element, so boxes move
// with letters (vi's h j k l, which JupyterLab never sees from inside the
// widget: the root stops them) and with Alt+arrows:
//   h / Alt+ArrowLeft   to an input of the focused box (upstream)
//   l / Alt+ArrowRight  to a box that uses it (downstream)
//   j / Alt+ArrowDown   the next box below in the same column
//   k / Alt+ArrowUp     the box above
//   Home / o            the output
//   Enter               the chain rule at a node, or open a group
//   /                   the find box
export const GRAPH_KEYS = "h j k l Home Enter /"; // NOTE [graph keys]
const MOVES = {
  h: "in",
  l: "out",
  j: "down",
  k: "up",
  ArrowLeft: "in",
  ArrowRight: "out",
  ArrowDown: "down",
  ArrowUp: "up",
};

/**
 * Which way a key moves the focus, or null when it is not a move key.
 * @param {{key: string, altKey?: boolean, ctrlKey?: boolean, metaKey?: boolean}} event
 * @returns {"in"|"out"|"up"|"down"|"home"|null}
 */
export function move_of(event) {
  if (event.ctrlKey || event.metaKey) return null;
  if (event.key === "Home" || (event.key === "o" && !event.altKey)) return "home";
  if (event.key.startsWith("Arrow")) return event.altKey ? MOVES[event.key] : null; // plain arrows: NOTE [graph keys]
  if (event.altKey) return null;
  return /** @type {any} */ (MOVES[event.key]) || null;
}

/**
 * The box a move goes to from box k (k itself when there is none).
 * @param {import('./groups.js').VisibleGraph} visible
 * @param {{x: Float64Array, y: Float64Array, layer: Int32Array}} layout
 * @param {number} k
 * @param {"in"|"out"|"up"|"down"} way
 */
export function neighbour(visible, layout, k, way) {
  const nearest = (list) => {
    let best = k,
      distance = Infinity;
    for (const j of list) {
      const d = Math.abs(layout.y[j] - layout.y[k]) + 0.001 * Math.abs(layout.x[j] - layout.x[k]);
      if (d < distance) {
        distance = d;
        best = j;
      }
    }
    return best;
  };
  if (way === "in") return nearest(visible.links.filter((l) => l.to === k).map((l) => l.from));
  if (way === "out") return nearest(visible.links.filter((l) => l.from === k).map((l) => l.to));
  const column = [];
  for (let j = 0; j < visible.items.length; j++) if (layout.layer[j] === layout.layer[k]) column.push(j);
  column.sort((p, q) => layout.y[p] - layout.y[q]);
  const at = column.indexOf(k);
  const next = way === "down" ? at + 1 : at - 1;
  return next >= 0 && next < column.length ? column[next] : k;
}

/**
 * Nodes whose shown name, label or op matches a query (case-insensitive): exact
 * matches first, then names starting with it, then names containing it; nearer
 * the output first within each.
 * @param {import('../core/replay.js').Structure} s
 * @param {string} query
 * @returns {number[]}
 */
export function find_nodes(s, query) {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const exact = [],
    starts = [],
    contains = [];
  for (let i = s.n - 1; i >= 0; i--) {
    const name = shown_name(s, i).toLowerCase();
    const label = s.label[i].toLowerCase();
    const op = s.op[i].toLowerCase();
    if (name === q || label === q || op === q) exact.push(i);
    else if (name.startsWith(q) || label.startsWith(q)) starts.push(i);
    else if (name.includes(q) || label.includes(q)) contains.push(i);
  }
  return [...exact, ...starts, ...contains];
}
