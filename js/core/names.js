// How the views name a node in text (the graph's boxes, the chain-rule panel,
// the step-through). Shared by the graph view and the teaching modes.
// micrograd_widgets/widgets/_teaching.py node_name is the Python copy
// (tests/test_cross_check.py runs both).

/** What a leaf's box says in place of an op (view_draw.js op_text; js/tests/sliders_names.test.js checks both agree). */
const KIND_TEXT = { input: "input", parameter: "param", constant: "const", op: "" };

/**
 * The name a node shows: its label, else the name the notebook gives it
 * (wire.structure's `name` column); "" for an unnamed node.
 * @param {import('../core/replay.js').Structure} s
 * @param {number} i
 */
export function shown_name(s, i) {
  return s.name?.[i] || s.label[i] || "";
}

/**
 * How a node is named in text: its shown name, else the words its box shows
 * in their place: its op ("tanh", "+"), or for a leaf its kind ("input",
 * "param", "const"). Never a node id: no box shows one.
 * @param {import('../core/replay.js').Structure} s
 * @param {number} i
 */
export function node_name(s, i) {
  return shown_name(s, i) || s.op[i] || KIND_TEXT[s.kind[i]] || "node";
}
