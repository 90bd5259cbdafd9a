// How the views name a node in text (the graph's boxes, the chain-rule panel,
// the step-through). Shared by the graph view and the teaching modes.

/**
 * The name a node shows: its label, else the name the notebook gives it
 * (wire.structure's `name` column); "" for an unnamed node.
 * @param {import('../core/replay.js').Structure} s
 * @param {number} i
 */
export function shown_name(s, i) {
  return (s.name && s.name[i]) || s.label[i] || "";
}

/**
 * How a node is named in text: its shown name, else its op (or kind, for a
 * leaf) and a short id, "tanh #7", "input #0".
 * @param {import('../core/replay.js').Structure} s
 * @param {number} i
 */
export function node_name(s, i) {
  const name = shown_name(s, i);
  if (name) return name;
  if (s.op[i]) return `${s.op[i]} #${i}`;
  return s.kind[i] && s.kind[i] !== "op" ? `${s.kind[i]} #${i}` : `#${i}`;
}
