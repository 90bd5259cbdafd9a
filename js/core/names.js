// How the views name a node in text (the graph's boxes, the chain-rule panel,
// the step-through). Shared by the graph view and the teaching modes.

/**
 * How a node is named in text: its label, else its op and id.
 * @param {import('../core/replay.js').Structure} s
 * @param {number} i
 */
export function node_name(s, i) {
  if (s.label[i]) return s.label[i];
  return s.op[i] ? `${s.op[i]} #${i}` : `#${i}`;
}
