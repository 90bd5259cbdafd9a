// Small graphs as wire.structure() would send them, built by hand.
import { OPS } from "../core/ops.js";
import { normalize_structure } from "../core/codecs.js";
import { replay } from "../core/replay.js";

/** A tiny builder: leaf(label, value), op(code, inputs, label) -> node ids in topological order. */
export function builder() {
  const nodes = [];
  const add = (node) => nodes.push(node) - 1;
  return {
    leaf: (label, value, kind = "input") => add({ label, code: 0, inputs: [], value, kind, c: 0 }),
    op: (code, inputs, label = "", c = 0) => add({ label, code, inputs, value: 0, kind: "op", c }),
    done() {
      const inputs = [],
        offsets = [0];
      for (const node of nodes) {
        inputs.push(...node.inputs);
        offsets.push(inputs.length);
      }
      const structure = {
        n: nodes.length,
        label: nodes.map((x) => x.label),
        code: nodes.map((x) => x.code),
        op: nodes.map((x) => (x.code === 7 ? `**${x.c}` : OPS[x.code].name)),
        kind: nodes.map((x) => x.kind),
        scope: nodes.map(() => ""),
        inputs,
        offsets,
        const: nodes.map((x) => x.c),
      };
      return { structure, data: nodes.map((x) => x.value) };
    },
  };
}

/** (a * b).log() + a: a reachable domain error (a * b <= 0) and a reused leaf. */
export function log_graph(a_value = 2, label_a = "a") {
  const g = builder();
  const a = g.leaf(label_a, a_value),
    b = g.leaf("b", 3);
  const p = g.op(3, [a, b], "p");
  const l = g.op(11, [p], "l");
  g.op(1, [l, a], "out");
  return g.done();
}

/**
 * A graph's numbers replayed in the page: forward and backward from its data, with `leaves`
 * ({id: value}) put in first.
 * @param {{structure: any, data: number[]}} graph @param {Record<number, number>} [leaves]
 */
export function replayed(graph, leaves = {}) {
  const s = normalize_structure(graph.structure);
  const data = Float64Array.from(graph.data),
    grad = new Float64Array(s.n),
    errors = new Array(s.n).fill(null);
  for (const [id, value] of Object.entries(leaves)) data[Number(id)] = value;
  replay(s, data, grad, errors);
  return { s, data, grad, errors };
}

/** mount_graph_view's numbers for `graph`, as the kernel would send them (replayed). */
export function view_numbers(graph) {
  const { data, grad, errors } = replayed(graph);
  return { structure: graph.structure, data: Array.from(data), grad: Array.from(grad), errors };
}
