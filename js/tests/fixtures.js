// Small graphs as wire.structure() would send them, built by hand.
import { OPS } from "../core/ops.js";

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
