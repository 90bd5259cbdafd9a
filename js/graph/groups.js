// Which boxes are drawn: every node of a small graph, or, above a threshold, a
// folded graph whose groups expand on click. Folding is computed here and only
// here, once per structure, in about linear time (a 65,818-node MLP loss folds
// in well under a second), so that no graph ever arrives node by node.
//
// A node's group comes from, in this order:
//  1. the scope the package's nn recorded ("sample.3" > "layers.0" > "neurons.2");
//  2. the name it shows, when the name has a hierarchy
//     ("model.layers[0].neurons[3].w[1]" is in "model" > "model.layers[0]" > "model.layers[0].neurons[3]");
//  3. the graph's own structure: see NOTE [regions] below.
// Then, at every level, identical sibling groups (the 100 per-sample branches
// of a loss, the 16 neurons of a layer) fold into one repeat group that shows
// one instance at a time, and a level with too many boxes packs its loose
// leaves and then the rest into groups of at most MAX_LEVEL. Constants fold
// into the node that uses them (their value is printed inside it).

import { shown_name } from "../core/names.js";

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
 *
 * @typedef {object} Folding
 * @property {Uint8Array} inline   1: a constant drawn inside its consumer
 * @property {Int32Array} host     an inline constant's consumer (else -1)
 * @property {Int32Array} group_of node id -> innermost group id (-1: the top level)
 * @property {string[]} key        group id -> key (data-group)
 * @property {string[]} title
 * @property {string[]} kind       "scope" | "name" | "region" | "chain" | "repeat" | "leaves" | "part"
 * @property {number[]} parent     group id -> parent group id (-1: the top level)
 * @property {number[]} count      engine nodes inside (inline constants included)
 * @property {number[]} opens      boxes a group shows when opened
 * @property {number[]} last       a group's last node id (the nearest the output)
 * @property {number} top          boxes of the top level
 * @property {number[]} packed     1: a group too crowded to show its nodes, opened into parts
 * @property {number[][]} instances  a repeat group's instances (group ids), else []
 * @property {number[][]} paths    group id -> its group ids from the outermost to itself
 * @property {Map<string, number>} index  key -> group id
 */

const ADD = 1, MUL = 3, SUM = 15;
const MIN_REGION = 3; // drawn nodes a region needs before it folds
const MIN_SCOPED_REGION = 2; // the same inside a scope, whose nodes have no other fold
const MIN_REPEAT = 3; // identical siblings before they fold into one repeat group
export const MAX_LEVEL = 40; // boxes one level shows before it packs
const LOOSE_LEAVES = 8; // loose leaves a crowded level keeps before packing them
/** @type {number[]} */
const NO_INSTANCES = []; // shared by every group that is not a repeat (never written to)

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

/**
 * "model.layers[0].neurons[3].w[1]" -> ["model", "model.layers[0]", "model.layers[0].neurons[3]"]:
 * every attribute step but the last is a level ("x[0]" or "params['w']" has none).
 * @param {string} name
 * @returns {string[]}
 */
export function name_prefixes(name) {
  if (!name || name.indexOf(".") < 0) return [];
  const out = [];
  let depth = 0;
  for (let k = 0; k < name.length; k++) {
    const ch = name[k];
    if (ch === "[" || ch === "(") depth++;
    else if (ch === "]" || ch === ")") depth--;
    else if (ch === "." && depth === 0 && k > 0) out.push(name.slice(0, k));
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
    // a scopeless parameter leaf: NOTE [parameters have no scope]
    if (scopes[i] || s.kind[i] !== "parameter" || s.offsets[i] !== s.offsets[i + 1]) continue;
    let common = null;
    for (const c of users[i]) {
      const levels = scope_levels(s.scope[c]);
      if (common === null) { common = levels; continue; }
      let k = 0;
      while (k < common.length && k < levels.length && common[common.length - 1 - k] === levels[levels.length - 1 - k]) k++;
      common = common.slice(common.length - k);
    }
    if (common === null) continue; // an unused parameter: nothing to group it with
    scopes[i] = ["parameters", ...common].join(".");
  }
  effective.set(s, scopes);
  return scopes;
}

/** "sample.3.layers.0" -> ["sample.3", "layers.0"] */
function scope_levels(scope) {
  const prefixes = scope_prefixes(scope);
  return prefixes.map((p, k) => (k ? p.slice(prefixes[k - 1].length + 1) : p));
}

// NOTE [regions]
// Without scopes or names, the graph's own structure folds it. Node v's region
// is every node whose every path to the output goes through v: v's subtree in
// the dominator tree of the reversed graph (the output is the entry). Such a
// region reaches the rest of the graph only through v, so it can be drawn as
// one box standing where v stands. Ids are a topological order (inputs first,
// output last), so a node's dominator always has a larger id and one pass from
// the output down computes them all (Cooper, Harvey and Kennedy's intersection
// walk, which needs no iteration on a DAG). Long chains of one associative op
// (Python's sum() over 100 losses is 100 nested '+') do not nest 100 levels
// deep: the chain's inner links fold into one "chain" group beside its terms.

const cache = new WeakMap();

/**
 * The folding of a structure (computed once per structure).
 * @param {import('../core/replay.js').Structure} s
 * @returns {Folding}
 */
export function fold(s) {
  let f = cache.get(s);
  if (!f) { f = compute_folding(s); cache.set(s, f); }
  return f;
}

/** @param {import('../core/replay.js').Structure} s @returns {Folding} */
function compute_folding(s) {
  const { n, code, inputs, offsets } = s;
  const root = n - 1;
  // ---- consumers, inline constants
  const uses = new Int32Array(n);
  for (let e = 0; e < inputs.length; e++) uses[inputs[e]]++;
  const user_start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) user_start[i + 1] = user_start[i] + uses[i];
  const user_list = new Int32Array(inputs.length);
  const fill = user_start.slice(0, n);
  for (let c = 0; c < n; c++) for (let e = offsets[c]; e < offsets[c + 1]; e++) user_list[fill[inputs[e]]++] = c;
  const inline = new Uint8Array(n);
  const host = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (s.kind[i] === "constant" && offsets[i] === offsets[i + 1] && uses[i] > 0) { inline[i] = 1; host[i] = user_list[user_start[i]]; }
  }
  // ---- post-dominators (NOTE [regions])
  const idom = new Int32Array(n).fill(root);
  for (let v = n - 2; v >= 0; v--) {
    let d = -1;
    for (let u = user_start[v]; u < user_start[v + 1]; u++) {
      let c = user_list[u];
      if (d < 0) { d = c; continue; }
      while (c !== d) {
        while (c < d) c = idom[c];
        while (d < c) d = idom[d];
      }
    }
    idom[v] = d < 0 ? root : d;
  }
  const size = new Int32Array(n);
  for (let v = 0; v < n - 1; v++) {
    if (!inline[v]) size[v] += 1;
    size[idom[v]] += size[v];
  }

  // ---- groups
  const key = [], title = [], kind = [], parent = [], instances = [];
  const index = new Map();
  const ensure = (k, p, what, text) => {
    let g = index.get(k);
    if (g === undefined) {
      g = key.length;
      index.set(k, g);
      key.push(k); title.push(text); kind.push(what); parent.push(p); instances.push(NO_INSTANCES);
    }
    return g;
  };
  const group_of = new Int32Array(n).fill(-1);
  const sourced = new Uint8Array(n);
  const has_scope = s.scope.some((x) => x);
  const scopes = has_scope ? grouping_scopes(s) : null;
  for (let i = 0; i < n - 1; i++) {
    if (inline[i]) continue;
    let levels = [], what = "scope";
    if (scopes && scopes[i]) levels = scope_prefixes(scopes[i]);
    else { levels = name_prefixes(shown_name(s, i)); what = "name"; }
    if (!levels.length) continue;
    let g = -1;
    for (const level of levels) {
      const short = what === "scope" ? level.split(".").slice(-2).join(".") : level.slice(level.lastIndexOf(".") + 1);
      g = ensure(level, g, what, short);
    }
    group_of[i] = g;
    sourced[i] = 1;
  }
  // regions and chains, from the output down: a node's dominator is placed before it.
  // Inside a scope or a name group, regions fold too (an MLP's neuron scope holds every
  // sample's dot and relu: one small region each, alike, so they fold into one repeat group).
  const inner = new Int32Array(n).fill(-1); // where a node's dominated nodes go
  const chain_head = new Int32Array(n);
  for (let i = 0; i < n; i++) chain_head[i] = i;
  const chainable = (c) => c === ADD || c === MUL || c === SUM;
  const within = (g, outer) => {
    for (let h = g; h >= 0; h = parent[h]) if (h === outer) return true;
    return false;
  };
  for (let v = n - 2; v >= 0; v--) {
    if (inline[v]) continue;
    const p = idom[v];
    const home = sourced[v] ? group_of[v] : -1; // the scope or name group v belongs to
    const around = sourced[v] ? (within(inner[p], home) ? inner[p] : home) : inner[p];
    if (chainable(code[v]) && code[p] === code[v] && uses[v] === 1 && sourced[p] === sourced[v] && around === inner[p]) {
      // v is an inner link of p's chain: beside the chain's terms, folded into one chain box
      const h = chain_head[p];
      chain_head[v] = h;
      group_of[v] = ensure(`c${h}`, inner[h], "chain", `${s.op[h] || "op"} chain`);
      inner[v] = inner[h];
      continue;
    }
    if (size[v] >= (sourced[v] ? MIN_SCOPED_REGION : MIN_REGION)) {
      const name = shown_name(s, v);
      const g = ensure(`r${v}`, around, "region", name || `${s.op[v] || "node"} branch`);
      group_of[v] = g;
      inner[v] = g;
    } else {
      group_of[v] = around;
      inner[v] = around;
    }
  }

  const f = { inline, host, group_of, key, title, kind, parent, count: [], opens: [], last: [], top: 0, instances, paths: [], index, packed: [] };
  compute_paths(f);
  fold_repeats(s, f);
  compute_paths(f);
  pack_levels(s, f);
  compute_paths(f);
  count_members(f, n);
  return f;
}

/** paths[g]: g's groups from the outermost down to g. */
function compute_paths(f) {
  const m = f.key.length;
  const paths = new Array(m);
  const walk = (g) => {
    if (paths[g]) return paths[g];
    const p = f.parent[g];
    paths[g] = p < 0 ? [g] : [...walk(p), g];
    return paths[g];
  };
  for (let g = 0; g < m; g++) walk(g);
  f.paths = paths;
}

function count_members(f, n) {
  const count = new Array(f.key.length).fill(0);
  const opens = new Array(f.key.length).fill(0);
  for (let i = 0; i < n; i++) {
    const g = f.inline[i] ? f.group_of[f.host[i]] : f.group_of[i];
    if (g < 0) continue;
    for (const h of f.paths[g]) count[h]++;
    if (!f.inline[i]) opens[g]++;
  }
  const last = new Array(f.key.length).fill(-1);
  let top = 0;
  for (let i = 0; i < n; i++) {
    if (f.inline[i]) continue;
    const g = f.group_of[i];
    if (g < 0) { top++; continue; }
    for (const h of f.paths[g]) last[h] = i;
  }
  for (let g = 0; g < f.key.length; g++) {
    if (f.kind[g] === "repeat") opens[g] = 2; // one instance, and the rest
    if (f.parent[g] >= 0 && f.kind[f.parent[g]] !== "repeat") opens[f.parent[g]]++;
    if (f.parent[g] < 0) top++;
  }
  f.count = count;
  f.opens = opens;
  f.last = last;
  f.top = top;
}

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
      if (best < 0 || f.count[g] > f.count[best] || (f.count[g] === f.count[best] && f.last[g] > f.last[best])) best = g;
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

/** A 32-bit mix (FNV-1a steps over one number). */
function mix(h, x) {
  h ^= x & 0xffff; h = Math.imul(h, 16777619);
  h ^= x >>> 16; h = Math.imul(h, 16777619);
  return h >>> 0;
}

/**
 * Alike sibling groups fold into one repeat group. Two groups are alike when
 * the same sequence of ops, in id order, reads inputs of the same ops inside
 * the group (outside inputs count alike, wherever they are).
 */
function fold_repeats(s, f) {
  const m = f.key.length;
  if (!m) return;
  const sig = new Uint32Array(m).fill(2166136261);
  const members = new Int32Array(m);
  const first = new Int32Array(m).fill(-1);
  const { n, code, inputs, offsets } = s;
  for (let i = 0; i < n; i++) {
    if (f.inline[i] || f.group_of[i] < 0) continue;
    const path = f.paths[f.group_of[i]];
    for (let d = 0; d < path.length; d++) {
      const g = path[d];
      let h = mix(sig[g], code[i] + 64 * (offsets[i + 1] - offsets[i]));
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const u = inputs[e];
        if (f.inline[u]) { h = mix(h, 0x7fff); continue; }
        const gu = f.group_of[u];
        const inside = gu >= 0 && f.paths[gu].length > d && f.paths[gu][d] === g;
        // an input inside is named by its op, not its id: alike groups need not be laid out alike in ids
        h = mix(h, inside ? 1 + code[u] + 64 * (offsets[u + 1] - offsets[u]) : 0xfffe);
      }
      sig[g] = h;
      members[g]++;
      if (first[g] < 0) first[g] = i;
    }
  }
  const by_level = new Map();
  for (let g = 0; g < m; g++) {
    const bucket = `${f.parent[g]}:${f.kind[g]}:${members[g]}:${sig[g]}`;
    let list = by_level.get(bucket);
    if (!list) by_level.set(bucket, (list = []));
    list.push(g);
  }
  for (const list of by_level.values()) {
    if (list.length < MIN_REPEAT || members[list[0]] < 2) continue;
    list.sort((p, q) => first[p] - first[q]);
    const lead = list[0];
    const r = f.key.length;
    f.key.push(`x${f.key[lead]}`);
    f.title.push(`${star(f.title[lead])} ×${list.length}`);
    f.kind.push("repeat");
    f.parent.push(f.parent[lead]);
    f.instances.push(list);
    f.index.set(f.key[r], r);
    for (const g of list) f.parent[g] = r;
  }
}

/** "neurons.3" -> "neurons.*", "layers[0]" -> "layers[*]": the title of many alike. */
function star(text) {
  return text.replace(/\d+(\]?)$/, "*$1");
}

/** A level with more than MAX_LEVEL boxes packs its loose leaves, then the rest, into groups. */
function pack_levels(s, f) {
  const { n, offsets } = s;
  const m0 = f.key.length;
  // what each level holds: its direct nodes and its child groups
  const nodes_at = new Map(), groups_at = new Map();
  const push = (map, k, x) => { let list = map.get(k); if (!list) map.set(k, (list = [])); list.push(x); };
  for (let i = 0; i < n - 1; i++) if (!f.inline[i]) push(nodes_at, f.group_of[i], i);
  for (let g = 0; g < m0; g++) push(groups_at, f.parent[g], g);
  const last = new Int32Array(m0).fill(-1);
  for (let i = 0; i < n; i++) if (!f.inline[i] && f.group_of[i] >= 0) for (const g of f.paths[f.group_of[i]]) last[g] = i;
  const levels = [-1];
  for (let g = 0; g < m0; g++) if (f.kind[g] !== "repeat") levels.push(g);
  for (const level of levels) {
    const direct = nodes_at.get(level) || [];
    const children = groups_at.get(level) || [];
    if (direct.length + children.length <= MAX_LEVEL) continue;
    const level_key = level < 0 ? "" : f.key[level];
    const add_group = (k, what, text, p) => {
      const g = f.key.length;
      f.key.push(k); f.title.push(text); f.kind.push(what); f.parent.push(p); f.instances.push(NO_INSTANCES);
      f.index.set(k, g);
      return g;
    };
    let loose = direct;
    const leaves = direct.filter((i) => offsets[i] === offsets[i + 1]);
    if (leaves.length > LOOSE_LEAVES) {
      const g = add_group(`l${level_key}`, "leaves", `${leaves.length} leaves`, level);
      pack_items(f, leaves.map((i) => ({ node: i, at: i })), g, `l${level_key}`, add_group, s);
      loose = direct.filter((i) => offsets[i] !== offsets[i + 1]);
    }
    const rest = [...loose.map((i) => ({ node: i, at: i })), ...children.map((g) => ({ group: g, at: last[g] }))];
    if (rest.length + (leaves.length > LOOSE_LEAVES ? 1 : 0) > MAX_LEVEL) {
      if (level >= 0) f.packed[level] = 1;
      rest.sort((p, q) => p.at - q.at);
      pack_items(f, rest, level, `k${level_key}`, add_group, s);
    }
  }
}

/** Put items (nodes or groups) under `into`, in parts of at most MAX_LEVEL, parts of parts when needed. */
function pack_items(f, items, into, prefix, add_group, s) {
  if (items.length <= MAX_LEVEL) {
    for (const it of items) place(f, it, into);
    return;
  }
  const per = Math.ceil(items.length / Math.ceil(items.length / MAX_LEVEL));
  const parts = [];
  for (let k = 0; k < items.length; k += per) {
    const chunk = items.slice(k, k + per);
    const ops = new Set(chunk.map((it) => (it.group !== undefined ? "" : s.op[it.node] || s.kind[it.node])));
    const what = ops.size === 1 && !ops.has("") ? `${[...ops][0]} ×${chunk.length}` : `${chunk.length} boxes`;
    const g = add_group(`${prefix}.${parts.length}`, "part", `part ${parts.length + 1}: ${what}`, into);
    for (const it of chunk) place(f, it, g);
    parts.push({ group: g, at: chunk[chunk.length - 1].at });
  }
  if (parts.length > MAX_LEVEL) {
    pack_items(f, parts, into, `${prefix}p`, add_group, s);
  }
}

function place(f, it, into) {
  if (it.group !== undefined) f.parent[it.group] = into;
  else f.group_of[it.node] = into;
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
    if (folding && folding.inline[i]) continue;
    let index = -1;
    const g0 = folding ? folding.group_of[i] : -1;
    if (g0 >= 0) {
      const path = folding.paths[g0];
      for (let d = 0; d < path.length; d++) {
        const g = path[d], k = folding.key[g];
        if (!expanded.has(k)) { index = group_item(k, g, false); break; }
        if (folding.kind[g] === "repeat" && d + 1 < path.length) {
          const list = folding.instances[g];
          const pick = Math.min(list.length - 1, Math.max(0, picks?.get(k) ?? 0));
          if (list[pick] !== path[d + 1]) { index = group_item(`${k}~rest`, g, true); break; }
        }
      }
    }
    if (index < 0) {
      index = items.length;
      items.push({ type: "node", rep: i, key: "n" + i, members: [] });
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
      if (items[k].type === "node") (items[k].consts ||= []).push(i);
    }
  }
  // order boxes by their last node, so that a group sits after the nodes it reads
  const order = items.map((_, k) => k).sort((p, q) => items[p].rep - items[q].rep);
  const renumber = new Int32Array(items.length);
  order.forEach((old, k) => { renumber[old] = k; });
  const sorted = order.map((k) => items[k]);
  for (let i = 0; i < n; i++) if (item_of[i] >= 0) item_of[i] = renumber[item_of[i]];
  const link_index = new Map();
  const links = [];
  for (let v = 0; v < n; v++) {
    for (let e = s.offsets[v]; e < s.offsets[v + 1]; e++) {
      const u = s.inputs[e];
      if (folding && folding.inline[u]) continue;
      const from = item_of[u], to = item_of[v];
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
  const a = inside(from), b = inside(to);
  if (a.length !== b.length) return expanded.has(f.key[from]) ? [f.key[to]] : [];
  const open = [];
  a.forEach((g, k) => { if (expanded.has(f.key[g])) open.push(f.key[b[k]]); });
  return open;
}
