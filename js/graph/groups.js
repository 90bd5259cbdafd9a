// Which boxes a graph view draws: every node of a small graph, or, above a
// threshold, the folding (folding.js) with the groups the user opened; what to
// open to show a node, and what a first view opens.

import { fold } from "./folding.js";

/** @typedef {import('./folding.js').Folding} Folding */

/**
 * @typedef {object} Item  one box on screen
 * @property {"node"|"group"} type
 * @property {number} rep      a node id standing for the box (the group's last node)
 * @property {string} key      "n<id>" for a node, the group's key for a group
 * @property {number[]} members node ids inside (one for a node; inline constants not listed)
 * @property {number} [group]  the folding's group id (groups only)
 * @property {boolean} [rest]  the other instances of an open repeat group
 * @property {number[]} [consts]  a node's inline constant inputs
 *
 * @typedef {object} VisibleGraph
 * @property {Item[]} items      in order of their rep id (inputs before outputs, mostly)
 * @property {Int32Array} item_of  node id -> index into items
 * @property {{from: number, to: number, edges: number[]}[]} links  item -> item, with the structure's edge ids
 * @property {Folding|null} folding
 */

/**
 * The groups to open for a first view of at most `budget` boxes: the biggest
 * first, then the nearest the output, never a crowded level (its parts tell a
 * reader nothing) nor a chain. Worked out on the folding alone, without
 * drawing anything.
 * @param {Folding} f
 * @param {number} budget
 * @param {number} [opens_at_most]
 * @returns {string[]}
 */
export function first_view_keys(f, budget, opens_at_most = 12) {
  const children = Array.from({ length: f.key.length }, () => []);
  const frontier = [];
  for (let g = 0; g < f.key.length; g++) {
    if (f.parent[g] >= 0) children[f.parent[g]].push(g);
    else frontier.push(g);
  }
  const skip = new Set(["leaves", "part", "chain"]);
  const out = [];
  let boxes = f.top;
  for (let round = 0; round < opens_at_most; round++) {
    let best = -1;
    for (const g of frontier) {
      if (skip.has(f.kind[g]) || f.packed[g] || boxes - 1 + f.opens[g] > budget) continue;
      if (best < 0 || f.count[g] > f.count[best] || (f.count[g] === f.count[best] && f.last[g] > f.last[best]))
        best = g;
    }
    if (best < 0) break;
    out.push(f.key[best]);
    boxes += f.opens[best] - 1;
    frontier.splice(frontier.indexOf(best), 1);
    // a repeat group shows its first instance; any other group, its child groups
    frontier.push(...(f.kind[best] === "repeat" ? [f.instances[best][0]] : children[best]));
  }
  return out;
}

/**
 * The boxes to draw and the links between them.
 * @param {import('../core/replay.js').Structure} s
 * @param {{threshold: number, expanded: Set<string>, picks?: Map<string, number>}} options
 *   picks: which instance an open repeat group shows (default the first)
 * @returns {VisibleGraph}
 */
export function visible_graph(s, { threshold, expanded, picks }) {
  const n = s.n;
  const folding = n > threshold ? fold(s) : null;
  const item_of = new Int32Array(n).fill(-1);
  /** @type {Item[]} */
  const items = [];
  const group_index = new Map();
  const group_item = (k, g, rest) => {
    let index = group_index.get(k);
    if (index === undefined) {
      index = items.length;
      group_index.set(k, index);
      items.push({ type: "group", rep: -1, key: k, members: [], group: g, rest });
    }
    return index;
  };
  for (let i = 0; i < n; i++) {
    if (folding?.inline[i]) continue;
    let index = -1;
    const g0 = folding ? folding.group_of[i] : -1;
    if (g0 >= 0) {
      const path = folding.paths[g0];
      for (let d = 0; d < path.length; d++) {
        const g = path[d],
          k = folding.key[g];
        if (!expanded.has(k)) {
          index = group_item(k, g, false);
          break;
        }
        if (folding.kind[g] === "repeat" && d + 1 < path.length) {
          const list = folding.instances[g];
          const pick = Math.min(list.length - 1, Math.max(0, picks?.get(k) ?? 0));
          if (list[pick] !== path[d + 1]) {
            index = group_item(`${k}~rest`, g, true);
            break;
          }
        }
      }
    }
    if (index < 0) {
      index = items.length;
      items.push({ type: "node", rep: i, key: `n${i}`, members: [] });
    }
    items[index].members.push(i);
    items[index].rep = i;
    item_of[i] = index;
  }
  if (folding) {
    for (let i = n - 1; i >= 0; i--) {
      if (!folding.inline[i]) continue;
      const k = item_of[folding.host[i]];
      item_of[i] = k;
      if (items[k].type !== "node") continue;
      items[k].consts ||= [];
      items[k].consts.push(i);
    }
  }
  // order boxes by their last node, so that a group sits after the nodes it reads
  const order = items.map((_, k) => k).sort((p, q) => items[p].rep - items[q].rep);
  const renumber = new Int32Array(items.length);
  order.forEach((old, k) => {
    renumber[old] = k;
  });
  const sorted = order.map((k) => items[k]);
  for (let i = 0; i < n; i++) if (item_of[i] >= 0) item_of[i] = renumber[item_of[i]];
  const link_index = new Map();
  const links = [];
  for (let v = 0; v < n; v++) {
    for (let e = s.offsets[v]; e < s.offsets[v + 1]; e++) {
      const u = s.inputs[e];
      if (folding?.inline[u]) continue;
      const from = item_of[u],
        to = item_of[v];
      if (from === to) continue;
      const key = from * items.length + to;
      let link = link_index.get(key);
      if (link === undefined) {
        link = { from, to, edges: [] };
        link_index.set(key, link);
        links.push(link);
      }
      link.edges.push(e);
    }
  }
  return { items: sorted, item_of, links, folding };
}

/**
 * What to open so that node i shows as its own box: the keys of its groups,
 * outermost first, and for each repeat group on the way the instance to pick.
 * @param {Folding} f
 * @param {number} i
 * @returns {{open: string[], picks: [string, number][]}}
 */
export function reveal_path(f, i) {
  const g0 = f.inline[i] ? f.group_of[f.host[i]] : f.group_of[i];
  if (g0 < 0) return { open: [], picks: [] };
  const path = f.paths[g0];
  const picks = [];
  path.forEach((g, d) => {
    if (f.kind[g] === "repeat" && d + 1 < path.length) picks.push([f.key[g], f.instances[g].indexOf(path[d + 1])]);
  });
  return { open: path.map((g) => f.key[g]), picks };
}

/**
 * The keys to open in instance `to` of a repeat group so that it shows as much
 * as instance `from` does now: alike instances were folded alike, so their
 * groups pair up in the order they were made.
 * @param {Folding} f
 * @param {number} from  group id of the instance shown so far
 * @param {number} to    group id of the next instance
 * @param {Set<string>} expanded
 * @returns {string[]}
 */
export function matching_open(f, from, to, expanded) {
  const inside = (root) => {
    const depth = f.paths[root].length - 1;
    const out = [];
    for (let g = 0; g < f.key.length; g++) if (f.paths[g][depth] === root) out.push(g);
    return out;
  };
  const a = inside(from),
    b = inside(to);
  if (a.length !== b.length) return expanded.has(f.key[from]) ? [f.key[to]] : [];
  const open = [];
  a.forEach((g, k) => {
    if (expanded.has(f.key[g])) open.push(f.key[b[k]]);
  });
  return open;
}
