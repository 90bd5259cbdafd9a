// How a big graph folds into groups, computed once per structure in about
// linear time (a 65,818-node MLP loss folds in well under a second), so that
// no graph ever arrives node by node. groups.js draws from a folding.
//
// A node's group comes from, in this order:
//  1. the scope the package's nn recorded ("sample.3" > "layers.0" > "neurons.2");
//  2. the name it shows, when the name has a hierarchy
//     ("model.layers[0].neurons[3].w[1]" is in "model" > "model.layers[0]" > "model.layers[0].neurons[3]");
//  3. the graph's own structure: see NOTE [regions] below.
// Then tidy_levels.js folds identical sibling groups into repeat groups and
// packs crowded levels. Constants fold into the node that uses them (their
// value is printed inside it).

import { shown_name } from "../core/names.js";
import { fold_repeats, pack_levels, NO_INSTANCES } from "./tidy_levels.js";

/**
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

const ADD = 1,
  MUL = 3,
  SUM = 15;
const MIN_REGION = 3; // drawn nodes a region needs before it folds
const MIN_SCOPED_REGION = 2; // the same inside a scope, whose nodes have no other fold

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
    if (k + 1 < parts.length && /^\d+$/.test(parts[k + 1])) level += `.${parts[++k]}`;
    current = current ? `${current}.${level}` : level;
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
      if (common === null) {
        common = levels;
        continue;
      }
      let k = 0;
      while (k < common.length && k < levels.length && common[common.length - 1 - k] === levels[levels.length - 1 - k])
        k++;
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
  if (!f) {
    f = compute_folding(s);
    cache.set(s, f);
  }
  return f;
}

/** @param {import('../core/replay.js').Structure} s @returns {Folding} */
function compute_folding(s) {
  const users = consumers(s);
  const dominators = post_dominators(s.n, users);
  const groups = new_groups();
  const { group_of, sourced } = source_groups(s, users.inline, groups);
  fold_regions(s, users, dominators, groups, group_of, sourced);
  const f = {
    inline: users.inline,
    host: users.host,
    group_of,
    key: groups.key,
    title: groups.title,
    kind: groups.kind,
    parent: groups.parent,
    count: [],
    opens: [],
    last: [],
    top: 0,
    instances: groups.instances,
    paths: [],
    index: groups.index,
    packed: [],
  };
  compute_paths(f);
  fold_repeats(s, f);
  compute_paths(f);
  pack_levels(s, f);
  compute_paths(f);
  count_members(f, s.n);
  return f;
}

/**
 * Each node's consumers (user_list[user_start[i] .. user_start[i + 1]]), and the constants
 * drawn inline in their one consumer's box (host: that consumer).
 * @param {import('../core/replay.js').Structure} s
 */
function consumers(s) {
  const { n, inputs, offsets } = s;
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
    if (s.kind[i] === "constant" && offsets[i] === offsets[i + 1] && uses[i] > 0) {
      inline[i] = 1;
      host[i] = user_list[user_start[i]];
    }
  }
  return { uses, user_start, user_list, inline, host };
}

/**
 * Immediate post-dominators toward the output (NOTE [regions]), and how many drawn nodes
 * each node dominates, itself included.
 * @param {number} n @param {ReturnType<typeof consumers>} users
 */
function post_dominators(n, { user_start, user_list, inline }) {
  const root = n - 1;
  const idom = new Int32Array(n).fill(root);
  for (let v = n - 2; v >= 0; v--) {
    let d = -1;
    for (let u = user_start[v]; u < user_start[v + 1]; u++) {
      let c = user_list[u];
      if (d < 0) {
        d = c;
        continue;
      }
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
  return { idom, size };
}

/** The groups' columns, and ensure(key, parent, kind, title): the group of that key, made once. */
function new_groups() {
  const groups = {
    key: /** @type {string[]} */ ([]),
    title: /** @type {string[]} */ ([]),
    kind: /** @type {string[]} */ ([]),
    parent: /** @type {number[]} */ ([]),
    instances: /** @type {any[]} */ ([]),
    index: new Map(),
    /** @param {string} k @param {number} p @param {string} what @param {string} text */
    ensure(k, p, what, text) {
      let g = groups.index.get(k);
      if (g === undefined) {
        g = groups.key.length;
        groups.index.set(k, g);
        groups.key.push(k);
        groups.title.push(text);
        groups.kind.push(what);
        groups.parent.push(p);
        groups.instances.push(NO_INSTANCES);
      }
      return g;
    },
  };
  return groups;
}

/**
 * The groups a node's source gives it: its scope's levels, else its name's prefixes.
 * sourced[i] says node i has one.
 * @param {import('../core/replay.js').Structure} s @param {Uint8Array} inline
 * @param {ReturnType<typeof new_groups>} groups
 */
function source_groups(s, inline, groups) {
  const n = s.n;
  const group_of = new Int32Array(n).fill(-1);
  const sourced = new Uint8Array(n);
  const scopes = s.scope.some((x) => x) ? grouping_scopes(s) : null;
  for (let i = 0; i < n - 1; i++) {
    if (inline[i]) continue;
    let levels = [],
      what = "scope";
    if (scopes?.[i]) levels = scope_prefixes(scopes[i]);
    else {
      levels = name_prefixes(shown_name(s, i));
      what = "name";
    }
    if (!levels.length) continue;
    let g = -1;
    for (const level of levels) {
      const short = what === "scope" ? level.split(".").slice(-2).join(".") : level.slice(level.lastIndexOf(".") + 1);
      g = groups.ensure(level, g, what, short);
    }
    group_of[i] = g;
    sourced[i] = 1;
  }
  return { group_of, sourced };
}

/**
 * Regions and chains, from the output down: a node's dominator is placed before it.
 * Inside a scope or a name group, regions fold too (an MLP's neuron scope holds every
 * sample's dot and relu: one small region each, alike, so they fold into one repeat group).
 * @param {import('../core/replay.js').Structure} s @param {ReturnType<typeof consumers>} users
 * @param {ReturnType<typeof post_dominators>} dominators @param {ReturnType<typeof new_groups>} groups
 * @param {Int32Array} group_of @param {Uint8Array} sourced
 */
function fold_regions(s, { uses, inline }, { idom, size }, groups, group_of, sourced) {
  const { n, code } = s;
  const { parent } = groups;
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
    if (
      chainable(code[v]) &&
      code[p] === code[v] &&
      uses[v] === 1 &&
      sourced[p] === sourced[v] &&
      around === inner[p]
    ) {
      // v is an inner link of p's chain: beside the chain's terms, folded into one chain box
      const h = chain_head[p];
      chain_head[v] = h;
      group_of[v] = groups.ensure(`c${h}`, inner[h], "chain", `${s.op[h] || "op"} chain`);
      inner[v] = inner[h];
      continue;
    }
    if (size[v] >= (sourced[v] ? MIN_SCOPED_REGION : MIN_REGION)) {
      const name = shown_name(s, v);
      const g = groups.ensure(`r${v}`, around, "region", name || `${s.op[v] || "node"} branch`);
      group_of[v] = g;
      inner[v] = g;
    } else {
      group_of[v] = around;
      inner[v] = around;
    }
  }
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
    if (g < 0) {
      top++;
      continue;
    }
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
