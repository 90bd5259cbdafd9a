// Two passes over a folding's levels (folding.js): alike sibling groups fold
// into one repeat group that shows one instance at a time (the 100 per-sample
// branches of a loss, the 16 neurons of a layer), and a level with too many
// boxes packs its loose leaves, then the rest, into groups of at most MAX_LEVEL.

const MIN_REPEAT = 3; // identical siblings before they fold into one repeat group
export const MAX_LEVEL = 40; // boxes one level shows before it packs
const LOOSE_LEAVES = 8; // loose leaves a crowded level keeps before packing them
/** @type {number[]} */
export const NO_INSTANCES = []; // shared by every group that is not a repeat (never written to)

/** A 32-bit mix (FNV-1a steps over one number). */
function mix(h, x) {
  h ^= x & 0xffff;
  h = Math.imul(h, 16777619);
  h ^= x >>> 16;
  h = Math.imul(h, 16777619);
  return h >>> 0;
}

/**
 * Alike sibling groups fold into one repeat group. Two groups are alike when
 * the same sequence of ops, in id order, reads inputs of the same ops inside
 * the group (outside inputs count alike, wherever they are).
 */
export function fold_repeats(s, f) {
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
        if (f.inline[u]) {
          h = mix(h, 0x7fff);
          continue;
        }
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
    if (!by_level.has(bucket)) by_level.set(bucket, []);
    by_level.get(bucket).push(g);
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
export function pack_levels(s, f) {
  const { n, offsets } = s;
  const m0 = f.key.length;
  // what each level holds: its direct nodes and its child groups
  const nodes_at = new Map(),
    groups_at = new Map();
  const push = (map, k, x) => {
    if (!map.has(k)) map.set(k, []);
    map.get(k).push(x);
  };
  for (let i = 0; i < n - 1; i++) if (!f.inline[i]) push(nodes_at, f.group_of[i], i);
  for (let g = 0; g < m0; g++) push(groups_at, f.parent[g], g);
  const last = new Int32Array(m0).fill(-1);
  for (let i = 0; i < n; i++)
    if (!f.inline[i] && f.group_of[i] >= 0) for (const g of f.paths[f.group_of[i]]) last[g] = i;
  const levels = [-1];
  for (let g = 0; g < m0; g++) if (f.kind[g] !== "repeat") levels.push(g);
  for (const level of levels) {
    const direct = nodes_at.get(level) || [];
    const children = groups_at.get(level) || [];
    if (direct.length + children.length <= MAX_LEVEL) continue;
    const level_key = level < 0 ? "" : f.key[level];
    const add_group = (k, what, text, p) => {
      const g = f.key.length;
      f.key.push(k);
      f.title.push(text);
      f.kind.push(what);
      f.parent.push(p);
      f.instances.push(NO_INSTANCES);
      f.index.set(k, g);
      return g;
    };
    let loose = direct;
    const leaves = direct.filter((i) => offsets[i] === offsets[i + 1]);
    if (leaves.length > LOOSE_LEAVES) {
      const g = add_group(`l${level_key}`, "leaves", `${leaves.length} leaves`, level);
      pack_items(
        f,
        leaves.map((i) => ({ node: i, at: i })),
        g,
        `l${level_key}`,
        add_group,
        s,
      );
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
