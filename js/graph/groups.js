// Which boxes are drawn: every node of a small graph, or, above a threshold,
// nodes grouped by scope ("sample.3" > "layers.0" > "neurons.2") into collapsed
// boxes that expand on click. Collapsing is what keeps the element count low
// enough that a moons-MLP loss with thousands of nodes never freezes the page.

/**
 * @typedef {object} Item  one box on screen
 * @property {"node"|"group"} type
 * @property {number} rep      a node id standing for the box (the group's last node)
 * @property {string} key      "n<id>" for a node, the scope prefix for a group
 * @property {number[]} members node ids inside (one for a node)
 *
 * @typedef {object} VisibleGraph
 * @property {Item[]} items      in order of their rep id (inputs before outputs, mostly)
 * @property {Int32Array} item_of  node id -> index into items
 * @property {{from: number, to: number, edges: number[]}[]} links  item -> item, with the structure's edge ids
 */

/**
 * "sample.3.layers.0.neurons.2" -> ["sample.3", "sample.3.layers.0", "sample.3.layers.0.neurons.2"]:
 * a name followed by a number is one level.
 * @param {string} scope
 * @returns {string[]}
 */
export function scope_prefixes(scope) {
  if (!scope) return [];
  const parts = scope.split(".");
  const out = [];
  let current = "";
  for (let k = 0; k < parts.length; k++) {
    let level = parts[k];
    if (k + 1 < parts.length && /^\d+$/.test(parts[k + 1])) level += "." + parts[++k];
    current = current ? current + "." + level : level;
    out.push(current);
  }
  return out;
}

// NOTE [parameters have no scope]
// An MLP's weights are made when the model is built, outside any scope, and
// every data point's graph reads them: left ungrouped they would be hundreds
// of loose boxes, each linked to every data point's group. So a scopeless
// parameter takes the levels its uses' scopes end with in common (w0 of
// layers.0.neurons.2 is read in sample.N.layers.0.neurons.2 for every N),
// under one "parameters" group.

const effective = new WeakMap();

/**
 * The scope each node is grouped by: its own, or for a scopeless parameter
 * "parameters" plus the levels its consumers' scopes end with in common.
 * @param {import('../core/replay.js').Structure} s
 * @returns {string[]}
 */
export function grouping_scopes(s) {
  let scopes = effective.get(s);
  if (scopes) return scopes;
  scopes = s.scope.slice();
  const users = Array.from({ length: s.n }, () => []);
  for (let c = 0; c < s.n; c++) for (let e = s.offsets[c]; e < s.offsets[c + 1]; e++) users[s.inputs[e]].push(c);
  for (let i = 0; i < s.n; i++) {
    if (scopes[i] || s.kind[i] !== "parameter" || s.offsets[i] !== s.offsets[i + 1]) continue;
    let common = null;
    for (const c of users[i]) {
      const levels = scope_levels(s.scope[c]);
      if (common === null) { common = levels; continue; }
      let k = 0;
      while (k < common.length && k < levels.length && common[common.length - 1 - k] === levels[levels.length - 1 - k]) k++;
      common = common.slice(common.length - k);
    }
    scopes[i] = ["parameters", ...(common || [])].join(".");
  }
  effective.set(s, scopes);
  return scopes;
}

/** "sample.3.layers.0" -> ["sample.3", "layers.0"] */
function scope_levels(scope) {
  const prefixes = scope_prefixes(scope);
  return prefixes.map((p, k) => (k ? p.slice(prefixes[k - 1].length + 1) : p));
}

/**
 * @param {import('../core/replay.js').Structure} s
 * @param {{threshold: number, expanded: Set<string>}} options
 * @returns {VisibleGraph}
 */
export function visible_graph(s, { threshold, expanded }) {
  const n = s.n;
  const grouping = n > threshold;
  const item_of = new Int32Array(n);
  /** @type {Item[]} */
  const items = [];
  const group_index = new Map();
  const scopes = grouping ? grouping_scopes(s) : s.scope;
  for (let i = 0; i < n; i++) {
    let key = null;
    if (grouping && i !== n - 1) { // the root stays visible: it is what the user asked about
      for (const prefix of scope_prefixes(scopes[i])) {
        if (!expanded.has(prefix)) { key = prefix; break; }
      }
    }
    if (key === null) {
      item_of[i] = items.length;
      items.push({ type: "node", rep: i, key: "n" + i, members: [i] });
      continue;
    }
    let index = group_index.get(key);
    if (index === undefined) {
      index = items.length;
      group_index.set(key, index);
      items.push({ type: "group", rep: i, key, members: [] });
    }
    const group = items[index];
    group.members.push(i);
    group.rep = i;
    item_of[i] = index;
  }
  // order boxes by their last node, so that a group sits after the nodes it reads
  const order = items.map((_, k) => k).sort((p, q) => items[p].rep - items[q].rep);
  const renumber = new Int32Array(items.length);
  order.forEach((old, k) => { renumber[old] = k; });
  const sorted = order.map((k) => items[k]);
  for (let i = 0; i < n; i++) item_of[i] = renumber[item_of[i]];
  const link_index = new Map();
  const links = [];
  for (let v = 0; v < n; v++) {
    for (let e = s.offsets[v]; e < s.offsets[v + 1]; e++) {
      const from = item_of[s.inputs[e]], to = item_of[v];
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
  return { items: sorted, item_of, links };
}
